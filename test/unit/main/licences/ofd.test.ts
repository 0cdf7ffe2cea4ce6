/**
 * The licence module with the OFD module plugged in: signed training files from the sandbox,
 * rendered for the preview and verified against the training seal root — and the same files
 * altered, signed by an untrusted root, or broken.
 */
import { unzipSync, zipSync } from 'fflate'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createOfdAdapter, type OfdPort } from '../../../../src/main/licences'
import {
  createLicenceFileSource,
  HOLDERS,
  type LicenceFileSource,
} from '../../../../src/main/training'
import { codeOf, fixture, root, type Fixture } from './fixture'

const ZRZY = '410100-ZRZY-0031'
const resourcesDir = join(root, 'resources')
let source: LicenceFileSource
let trusted: OfdPort

beforeAll(() => {
  source = createLicenceFileSource({ resourcesDir })
  trusted = createOfdAdapter({ resourcesDir, trust: () => source.trustAnchors })
})

const open: Fixture[] = []
afterEach(async () => {
  for (const f of open.splice(0)) await f.close()
})
afterAll(() => undefined)

async function make(ofd: OfdPort, alter?: (bytes: Uint8Array) => Uint8Array): Promise<Fixture> {
  const f = await fixture({
    ofd,
    sandbox: {
      fileFor: async (l, format) => {
        const bytes = await source.fileFor(l, format)
        return bytes && format === 'ofd' && alter ? alter(bytes) : bytes
      },
    },
  })
  open.push(f)
  f.identify(HOLDERS.zhang.code, ZRZY)
  return f
}

/** Changes one character of the page content after signing. */
function tamper(bytes: Uint8Array): Uint8Array {
  const files = unzipSync(bytes)
  const page = Object.keys(files).find((n) => /Pages\/Page_\d+\/Content\.xml$/.test(n))!
  const text = new TextDecoder().decode(files[page])
  files[page] = new TextEncoder().encode(
    text.replace(/X="(\d)/, (_m, d: string) => `X="${(Number(d) + 1) % 10}`),
  )
  return zipSync(files)
}

describe('preview and seal check through the OFD module', () => {
  it('shows the page as a draw list first, then verifies the seal against the trusted root', async () => {
    const f = await make(trusted)
    const list = await f.handlers.licences.list()
    const id = list.items[0]!.identifier
    const p = await f.handlers.licences.preview(id)
    expect(p.format).toBe('ofd')
    expect(p.document.kind).toBe('ofd')
    if (p.document.kind !== 'ofd') return
    expect(p.document.outline.pages).toHaveLength(1)
    expect(p.document.pages[0]!.model!.ops.length).toBeGreaterThan(0)
    expect(p.seal).toEqual({ state: 'unchecked', reason: '正在核验' })
    expect(p.annotation?.reason).toBe('办理不动产转移登记，核验权属及婚姻状况')

    const v = await f.handlers.licences.verify(id)
    expect(v.seal).toMatchObject({ state: 'valid' })
    expect(v.verdict).toBe('ok')
    expect(Object.values(v.signatures ?? {})).toEqual(['valid'])
    // The list now carries the seal result for this applicant.
    const again = await f.handlers.licences.list()
    expect(again.items[0]!.seal).toMatchObject({ state: 'valid' })
  })

  it('an altered file: 文件被篡改, danger, and refused as material', async () => {
    const f = await make(trusted, tamper)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    const v = await f.handlers.licences.verify(id)
    expect(v.seal.state).toBe('altered')
    expect(v.verdict).toBe('danger')
    expect(v.findings[0]).toMatchObject({ code: 'seal-altered', tone: 'danger' })
    expect(
      await codeOf(
        f.handlers.licences.attach({ businessSerial: 'ZZJS-2026-9', identifiers: [id] }),
      ),
    ).toBe('LICENCE_NOT_USABLE')
  })

  it('attach checks a never-verified file itself: a tampered OFD is refused, nothing exported', async () => {
    const f = await make(trusted, tamper)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    expect(
      await codeOf(
        f.handlers.licences.attach({ businessSerial: 'ZZJS-2026-10', identifiers: [id] }),
      ),
    ).toBe('LICENCE_NOT_USABLE')
    expect(existsSync(join(f.exportRoot, 'materials'))).toBe(false)
    expect(f.db.prepare('SELECT count(*) AS n FROM licence_attachment').get()).toEqual({ n: 0 })
    const attaches = f.audit.list({ action: 'attach' })
    expect(attaches).toHaveLength(1)
    expect(attaches[0]).toMatchObject({
      result: 'failed:LICENCE_NOT_USABLE',
      businessSerial: 'ZZJS-2026-10',
      licences: [id],
    })
    expect(attaches[0]!.detail).toContain('seal-altered')
    // The check is remembered: the list now shows the licence as altered.
    expect((await f.handlers.licences.list()).items[0]!.seal).toMatchObject({ state: 'altered' })
  })

  it('attach checks a never-verified file itself: an intact OFD goes in with its seal valid', async () => {
    const f = await make(trusted)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    const record = await f.handlers.licences.attach({
      businessSerial: 'ZZJS-2026-11',
      identifiers: [id],
    })
    expect(record.items[0]!.seal).toMatchObject({ state: 'valid' })
    const manifest = JSON.parse(
      readFileSync(join(f.exportRoot, record.exportPath, 'materials.json'), 'utf8'),
    )
    expect(manifest.items[0].seal).toMatchObject({ state: 'valid' })
  })

  it('a seal from a root this terminal does not trust: untrusted', async () => {
    const f = await make(createOfdAdapter({ resourcesDir, trust: () => [] }))
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    const v = await f.handlers.licences.verify(id)
    expect(v.seal.state).toBe('untrusted')
    expect(v.findings[0]!.code).toBe('seal-untrusted')
  })

  it('a broken OFD: the face data still shows, the document says why, the seal is unverifiable', async () => {
    const f = await make(trusted, (bytes) => zipSync({ 'readme.txt': bytes.subarray(0, 100) }))
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    const p = await f.handlers.licences.preview(id)
    expect(p.faceFields.length).toBeGreaterThan(0)
    expect(p.document).toMatchObject({ kind: 'unavailable' })
    expect(p.document.kind === 'unavailable' && p.document.code).toMatch(/^OFD_/)
    expect(p.seal.state).toBe('unverifiable')
    expect(f.audit.list()[0]).toMatchObject({
      action: 'preview',
      result: expect.stringMatching(/^failed:OFD_/),
    })
  })
})
