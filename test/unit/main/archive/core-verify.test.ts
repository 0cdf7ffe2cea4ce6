/**
 * Training mode end to end: a supervisor prints a copy through the core's handlers, the QR code
 * read off the rendered page (pdftoppm, jsQR) opens the sandbox library's verification service
 * — the library the core was given — and it vouches for the copy from the office's key and
 * register, as `archive.verifyQr` does.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { MethodName } from '../../../../src/shared/api'
import type { BatchView, QrCheckView } from '../../../../src/shared/domain'
import { trainingConfig } from '../../../../src/main/config'
import { createCore, type Core } from '../../../../src/main/core'
import { silentLogger } from '../../../../src/main/log'
import { SEED_LICENCES } from '../../../../src/main/training'

let core: Core
let dataDir: string

async function call<T = unknown>(method: MethodName, ...args: unknown[]): Promise<T> {
  const r = await core.dispatch(method, args)
  if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), r.error)
  return r.value as T
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'archive-core-'))
  core = await createCore({
    config: trainingConfig(),
    dataDir,
    resourcesDir: resolve(import.meta.dirname, '../../../../resources'),
    version: 'test',
    logger: silentLogger,
  })
  await core.start()
}, 60_000)
afterAll(async () => {
  await core?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

it('prints a copy whose QR code the training library verifies', { timeout: 120_000 }, async () => {
  await call('auth.signOut')
  await call('cakey.trainingInsert', 'staff-supervisor')
  await expect
    .poll(async () => (await call<{ tokenId: string }[]>('auth.keys')).map((k) => k.tokenId), {
      timeout: 20_000,
    })
    .toContain('sim/staff-supervisor')
  await call('auth.signIn', 'sim/staff-supervisor', '123456')

  const hukou = SEED_LICENCES.find((l) => l.licenseTypeName === '居民户口簿')!
  const started = await call<BatchView>('archive.start', {
    items: [{ identifier: hukou.licenseIdentifier }],
    output: 'per-business',
    paper: 'A4',
  })
  let view = started
  await expect
    .poll(
      async () => {
        view = (await call<BatchView[]>('archive.batches')).find((b) => b.id === started.id)!
        return view.state
      },
      { timeout: 60_000 },
    )
    .toBe('done')
  const pdf = join(dataDir, 'exports', 'archive', view.files[0]!.path)

  // The footer's code, as a phone would read it off the paper (A4 at 200 dpi, bottom left).
  const png = PNG.sync.read(
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '200',
      '-singlefile',
      ...['-x', '0', '-y', String(Math.round((245 * 200) / 25.4))],
      ...['-W', String(Math.round((70 * 200) / 25.4)), '-H', String(Math.round((52 * 200) / 25.4))],
      pdf,
    ]),
  )
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data
  expect(qr?.startsWith(`${core.training!.sandbox!.url}/archive/v1/verify?v=1&`)).toBe(true)

  const answer = (await (await fetch(qr!)).json()) as { code: string; data: QrCheckView }
  expect(answer.code).toBe('0')
  expect(answer.data).toEqual(await call<QrCheckView>('archive.verifyQr', qr))
  expect(answer.data).toMatchObject({
    valid: true,
    identifier: hukou.licenseIdentifier,
    registered: { prints: 1 },
  })
})
