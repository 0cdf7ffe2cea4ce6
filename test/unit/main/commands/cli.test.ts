import { describe, expect, it } from 'vitest'
import { runCli } from '../../../../src/main/commands'

async function cli(...argv: string[]) {
  let out = ''
  let err = ''
  const code = await runCli(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    resourcesDir: 'resources',
    interrupted: new Promise(() => {}),
  })
  return { code, out, err, json: out ? (JSON.parse(out) as Record<string, unknown>) : undefined }
}

describe('diagnostics CLI', () => {
  it('id check: a valid citizen ID', async () => {
    expect((await cli('id', 'check', '11010519491231002X')).json).toMatchObject({
      kind: 'citizen-id',
      valid: true,
    })
  })

  it('id check: a valid USCC', async () => {
    expect((await cli('id', 'check', '91350100M000100Y43')).json).toMatchObject({
      kind: 'uscc',
      valid: true,
    })
  })

  it('id check: a licence identifier with a wrong check character gives the expected one', async () => {
    const r = await cli(
      'id',
      'check',
      '1.2.156.3005.2.11100000000013338W032.91350100M000100Y43.0001.001.B',
    )
    expect(r.json).toMatchObject({ kind: 'licence-id', valid: false, expected: 'A' })
  })

  it('config check: names the bad key, exits non-zero, no stack trace', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'c.json')
    writeFileSync(
      file,
      JSON.stringify({
        mode: 'training',
        terminal: {
          id: 'bad id!',
          unitName: 'x',
          unitCode: '91350100M000100Y43',
          region: '410100',
        },
      }),
    )
    const r = await cli('config', 'check', file)
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ error: { code: 'CONFIG_INVALID' } })
    expect(r.err).toContain('terminal.id')
    expect(r.err).not.toMatch(/\n\s+at /)
  })

  it('unknown commands print usage and exit 64', async () => {
    const r = await cli('frobnicate')
    expect(r.code).toBe(64)
    expect(r.err).toContain('id check')
  })
})
