import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync, zipSync } from 'fflate'
import { PNG } from 'pngjs'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../src/main/commands'
import { FIXTURES, RESOURCES } from './helpers'

const out = mkdtempSync(join(tmpdir(), 'ofd-cli-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    resourcesDir: RESOURCES,
    interrupted: new Promise(() => {}),
  })
  return {
    code,
    stderr,
    json: stdout ? (JSON.parse(stdout) as Record<string, unknown>) : undefined,
  }
}
const f = (name: string) => join(FIXTURES, name)

describe('cli ofd', { timeout: 60_000 }, () => {
  it('info: pages, fonts and signatures', async () => {
    const r = await cli('ofd', 'info', f('two-signatures.ofd'))
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({
      pages: [{ page: 1, width: 210, height: 297 }],
      signatures: [
        {
          id: '1',
          type: 'Seal',
          version: 4,
          signer: '郑州市市场监督管理局',
          signedAt: '2024-05-01T01:30:00.000Z',
          pages: [1],
        },
        { id: '2', type: 'Seal', version: 4, signer: '郑州市金水区政务服务中心', pages: [1] },
      ],
    })
    const fonts = r.json!.fonts as { name: string; embedded: boolean }[]
    expect(fonts.map((x) => x.name).sort()).toEqual(['仿宋', '宋体', '楷体', '黑体'])
    expect(fonts.every((x) => x.embedded)).toBe(true)
  })

  it('verify: the exact shape, exit 0 whatever the seals say', async () => {
    const trusted = await cli('ofd', 'verify', f('licence-v4.ofd'), '--trust', f('pki/root.der'))
    expect(trusted.code).toBe(0)
    expect(trusted.json).toEqual({
      signatures: [
        {
          valid: true,
          reason: 'valid',
          signer: '郑州市市场监督管理局',
          signedAt: '2024-05-01T01:30:00.000Z',
          sealName: '郑州市市场监督管理局电子印章（测试）',
        },
      ],
    })
    const untrusted = await cli('ofd', 'verify', f('licence-v4.ofd'))
    expect(untrusted.code).toBe(0)
    expect(untrusted.json).toMatchObject({
      signatures: [{ valid: false, reason: 'certificate-untrusted' }],
    })
    const verbose = await cli(
      'ofd',
      'verify',
      f('licence-v4.ofd'),
      '--trust',
      f('pki/other-root.der'),
      '--verbose',
    )
    expect(verbose.json).toMatchObject({
      signatures: [
        {
          valid: false,
          detail: 'certificate-untrusted',
          id: '1',
          timeSource: 'signer-asserted',
          validityAt: '2024-05-01T01:30:00.000Z',
        },
      ],
    })
  })

  it('verify: exits non-zero only when the file cannot be read', async () => {
    const missing = await cli('ofd', 'verify', join(out, 'nope.ofd'))
    expect(missing.code).toBe(1)
    expect(missing.json).toMatchObject({ error: { code: 'OFD_FILE_UNREADABLE' } })
    const notOfd = await cli('ofd', 'verify', join(FIXTURES, 'pki', 'root.der'))
    expect(notOfd.code).toBe(1)
    expect(notOfd.json).toMatchObject({ error: { code: 'OFD_NOT_OFD' } })
  })

  it('verify: a missing or broken signature list is a result and exit 0, not an error', async () => {
    const list = 'Doc_0/Signs/Signatures.xml'
    const files: Record<string, Uint8Array> = unzipSync(readFileSync(f('licence-v4.ofd')))
    const withoutList = join(out, 'no-list.ofd')
    const { [list]: _gone, ...rest } = files
    writeFileSync(withoutList, zipSync(rest))
    const brokenList = join(out, 'broken-list.ofd')
    writeFileSync(brokenList, zipSync({ ...files, [list]: new TextEncoder().encode('<ofd:Sig') }))
    for (const [file, detail] of [
      [withoutList, 'signature-list-missing'],
      [brokenList, 'signature-list-malformed'],
    ] as const) {
      const r = await cli('ofd', 'verify', file, '--trust', f('pki/root.der'))
      expect(r.code).toBe(0)
      expect(r.json).toEqual({
        signatures: [
          {
            valid: false,
            reason: 'document-altered',
            signer: null,
            signedAt: null,
            sealName: null,
          },
        ],
      })
      const verbose = await cli('ofd', 'verify', file, '--verbose')
      expect(verbose.code).toBe(0)
      expect(verbose.json).toMatchObject({ signatures: [{ valid: false, detail }] })
    }
    const info = await cli('ofd', 'info', withoutList)
    expect(info.code).toBe(0)
    expect(info.json).toMatchObject({
      signatures: [],
      signatureListProblem: { kind: 'missing', part: list },
    })
  })

  it('render: a PNG of the page at the asked resolution', async () => {
    const png = join(out, 'p1.png')
    const r = await cli(
      'ofd',
      'render',
      f('licence-v4.ofd'),
      '--page',
      '1',
      '--png',
      png,
      '--dpi',
      '50',
    )
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ page: 1, width: 210, height: 297, dpi: 50, png, warnings: [] })
    const img = PNG.sync.read(readFileSync(png))
    expect([img.width, img.height]).toEqual([
      Math.round((210 * 50) / 25.4),
      Math.round((297 * 50) / 25.4),
    ])
    expect(
      (await cli('ofd', 'render', f('licence-v4.ofd'), '--page', '2', '--png', png)).json,
    ).toMatchObject({
      error: { code: 'OFD_PAGE_OUT_OF_RANGE' },
    })
    expect(
      (await cli('ofd', 'render', f('licence-v4.ofd'), '--png', png, '--dpi', 'lots')).code,
    ).toBe(64)
    const nowhere = join(out, 'no-such-folder', 'p1.png')
    const unwritable = await cli('ofd', 'render', f('licence-v4.ofd'), '--png', nowhere)
    expect(unwritable.code).toBe(1)
    expect(unwritable.json).toMatchObject({
      error: { code: 'OFD_OUTPUT_UNWRITABLE', message: `无法写入文件 ${nowhere}` },
    })
  })
})
