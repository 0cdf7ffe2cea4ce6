/**
 * `cli archive …` as a field engineer runs it, on the app's database: print one copy from a
 * licence identifier (training sandbox) and from a local OFD file, read the register, verify a
 * copy's QR code, and a batch killed with SIGKILL in the middle and resumed — every copy once,
 * every archive number once, the interrupted copy finished under the number it already had.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ArchivePrint, BatchView } from '../../../src/shared/domain'
import { runCli } from '../../../src/main/commands'
import { createLicenceFileSource, SEED_LICENCES } from '../../../src/main/training'
import { decodeQr, pdfText, renderPng } from './poppler'

const root = resolve(import.meta.dirname, '../../..')
/** One Node process running the CLI (tsx's own launcher would fork a second one to kill). */
const node = (args: string[]) =>
  [process.execPath, ['--import', 'tsx', join(root, 'src/main/cli.ts'), ...args]] as const

let dataDir: string

function cli(args: string[]) {
  const [bin, argv] = node([...args, '--data-dir', dataDir])
  const r = spawnSync(bin, argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, COUNTERDESK_CONFIG: '' },
    timeout: 120_000,
  })
  return {
    status: r.status,
    json: r.stdout.trim() ? (JSON.parse(r.stdout) as unknown) : undefined,
    stderr: r.stderr,
  }
}

/** The same command line in this process (the CLI entry only adds argv and the exit code). */
async function cliHere(args: string[]) {
  let out = ''
  let err = ''
  const status = await runCli([...args, '--data-dir', dataDir], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    resourcesDir: join(root, 'resources'),
    interrupted: new Promise(() => undefined),
  })
  return { status, json: out.trim() ? (JSON.parse(out) as unknown) : undefined, stderr: err }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'archive-cli-'))
})

describe('cli archive', { timeout: 300_000 }, () => {
  it('prints from an identifier and from a file, lists the register, verifies the QR', async () => {
    const hukou = SEED_LICENCES.find((l) => l.licenseTypeName === '居民户口簿')!
    const out = join(dataDir, 'one.pdf')
    const byId = cli([
      'archive',
      'print',
      '--licence',
      hukou.licenseIdentifier,
      '--out',
      out,
      '--by',
      '现场工程师',
    ])
    expect(byId.status, byId.stderr).toBe(0)
    expect(byId.json).toMatchObject({
      archiveNo: 'TRAIN-01-2026-000001',
      printNo: 1,
      reprint: false,
      pages: 1,
    })
    const text = pdfText(out).replace(/\s+/g, '')
    expect(text).toContain('打印人：现场工程师（命令行，cli:')
    expect(text).toContain(hukou.holderName)

    const source = createLicenceFileSource({ resourcesDir: join(root, 'resources') })
    const business = SEED_LICENCES.find((l) => l.licenseTypeName === '营业执照')!
    const file = join(dataDir, 'business.ofd')
    writeFileSync(file, (await source.fileFor(business, 'ofd'))!)
    const byFile = await cliHere([
      'archive',
      'print',
      '--licence',
      file,
      '--out',
      join(dataDir, 'two.pdf'),
      '--paper',
      'A3',
    ])
    expect(byFile.status, byFile.stderr).toBe(0)
    expect(byFile.json).toMatchObject({ archiveNo: 'TRAIN-01-2026-000002', reprint: false })

    const register = (await cliHere(['archive', 'register'])).json as ArchivePrint[]
    expect(register.map((p) => [p.archiveNo, p.identifier, p.staffRole])).toEqual([
      ['TRAIN-01-2026-000002', business.licenseIdentifier, 'cli'],
      ['TRAIN-01-2026-000001', hukou.licenseIdentifier, 'cli'],
    ])

    const qr = decodeQr(renderPng(out, 1, 200, { x: 0, y: 1900, w: 600, h: 440 }))
    expect(qr).toBeDefined()
    const check = await cliHere(['archive', 'verify-qr', qr!.data])
    expect(check.status).toBe(0)
    expect(check.json).toMatchObject({
      valid: true,
      archiveNo: 'TRAIN-01-2026-000001',
      registered: { prints: 1 },
    })
    const tampered = await cliHere(['archive', 'verify-qr', qr!.data.replace('000001', '000002')])
    expect(tampered.status).toBe(1)
    expect(tampered.json).toMatchObject({ valid: false, problem: 'signature' })
    // The office's public key, for checking copies elsewhere: its fingerprint is on the copy.
    const key = (await cliHere(['archive', 'key'])).json as { fingerprint: string }
    expect(key).toMatchObject({
      kid: expect.stringMatching(/^[0-9a-f]{8}$/),
      publicKey: expect.stringMatching(/^04[0-9a-f]{128}$/),
      fingerprint: expect.stringMatching(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/),
    })
    expect(text).toContain(`核验公钥SM3指纹：${key.fingerprint.replaceAll(' ', '')}`)

    const missing = await cliHere([
      'archive',
      'print',
      '--licence',
      join(dataDir, 'nope.ofd'),
      '--out',
      join(dataDir, 'x.pdf'),
    ])
    expect(missing.status).toBe(1)
    expect(missing.json).toMatchObject({ error: { code: 'ARCHIVE_SOURCE_NOT_FOUND' } })
    expect((await cliHere(['archive', 'print', '--out', 'x.pdf'])).status).toBe(64)
  })

  it('resumes a batch killed mid-way without duplicating archive numbers', async () => {
    // Licences not printed above, so none of these is a reprint.
    const ids = SEED_LICENCES.filter((l) => !['居民户口簿', '营业执照'].includes(l.licenseTypeName))
      .slice(0, 8)
      .map((l) => l.licenseIdentifier)
    const args = [
      'archive',
      'batch',
      ...ids.flatMap((id) => ['--licence', id]),
      '--data-dir',
      dataDir,
    ]
    const [bin, argv] = node(args)
    const child = spawn(bin, argv, {
      cwd: root,
      env: { ...process.env, COUNTERDESK_CONFIG: '' },
    })
    let stderr = ''
    let batchId = ''
    // Kill the process, as a power cut would, once three copies are done.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress: ${stderr}`)), 180_000)
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8')
        batchId ||= /批次 (AB[\d-]+[0-9A-F]{4})/.exec(stderr)?.[1] ?? ''
        if (/\[[3-7]\/8 /.test(stderr)) {
          clearTimeout(timer)
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', () => {
        clearTimeout(timer)
        resolve()
      })
    })
    await new Promise((r) => child.once('exit', r).once('close', r))
    expect(batchId).toMatch(/^AB\d{8}-\d{6}-[0-9A-F]{4}$/)
    const before = (await cliHere(['archive', 'batch', '--list'])).json as BatchView[]
    const killed = before.find((b) => b.id === batchId)!
    expect(killed.state).toBe('interrupted')
    expect(killed.done).toBeGreaterThanOrEqual(3)
    expect(killed.done).toBeLessThan(8)

    const resumed = await cliHere(['archive', 'batch', '--resume', batchId])
    expect(resumed.status, resumed.stderr).toBe(0)
    expect(resumed.json).toMatchObject({ id: batchId, state: 'done', total: 8, done: 8, failed: 0 })
    const files = (resumed.json as BatchView & { outputDir: string }).files
    expect(files).toHaveLength(8)
    for (const f of files)
      expect(existsSync(join((resumed.json as { outputDir: string }).outputDir, f.path))).toBe(true)

    const prints = (
      (await cliHere(['archive', 'register', '--limit', '100'])).json as ArchivePrint[]
    ).filter((p) => p.batchId === batchId)
    const done = prints.filter((p) => p.state === 'done')
    expect(done).toHaveLength(8)
    // One number per licence, none given twice, none a reprint.
    expect(new Set(done.map((p) => p.archiveNo)).size).toBe(8)
    expect(new Set(done.map((p) => p.identifier))).toEqual(new Set(ids))
    expect(done.every((p) => p.printNo === 1 && !p.reprint)).toBe(true)
    // Numbers are consecutive: nothing was skipped or given twice across the kill.
    const seq = done.map((p) => Number(p.archiveNo.slice(-6))).sort((a, b) => a - b)
    expect(seq.at(-1)! - seq[0]!).toBe(7)
    // The kill left no unfinished print behind.
    expect(prints.filter((p) => p.state === 'pending')).toHaveLength(0)
  })
})
