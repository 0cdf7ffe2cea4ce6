/**
 * The licence commands refuse what they cannot use in words, never as an internal error:
 * `sandbox` a port, a latency or a fault argument (never quietly replaced by a default), before
 * anything listens; `licence catalogue` a file or key it cannot read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, type CommandContext } from '../../../../src/main/commands'
import { parseFault } from '../../../../src/main/training'

async function cli(...argv: string[]) {
  let out = ''
  const ctx: CommandContext = {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    resourcesDir: '',
    interrupted: new Promise(() => undefined),
  }
  const code = await runCli(argv, ctx)
  return { code, json: out ? JSON.parse(out) : undefined }
}

describe('sandbox --fault', () => {
  it('takes each kind with its argument, or its default without one', () => {
    expect(parseFault('status:502')).toEqual({ kind: 'status', status: 502 })
    expect(parseFault('status')).toEqual({ kind: 'status', status: 503 })
    expect(parseFault('drip:100')).toEqual({ kind: 'drip', intervalMs: 100 })
    expect(parseFault('latency:0')).toEqual({ kind: 'latency', ms: 0 })
    expect(parseFault('huge')).toEqual({ kind: 'huge', bytes: 64 * 1024 * 1024 })
    expect(parseFault('invalid-ofd:not-ofd')).toEqual({ kind: 'invalid-ofd', variant: 'not-ofd' })
    expect(parseFault('reset')).toEqual({ kind: 'reset' })
  })

  it.each([
    [['--fault', 'bogus'], 'bogus'],
    [['--fault', 'status:200'], '200'],
    [['--fault', 'drip:fast'], 'fast'],
    [['--fault', 'huge:-1'], '-1'],
    [['--fault', 'invalid-ofd:broken'], 'broken'],
    [['--port', 'http'], '--port'],
    [['--port', '70000'], '--port'],
    [['--latency', '1.5'], '--latency'],
  ])('%j: exit 64 with a usage error naming %s', async (args, named) => {
    const r = await cli('sandbox', ...args)
    expect(r.code).toBe(64)
    expect(r.json.error.code).toBe('CLI_USAGE')
    expect(r.json.error.message).toContain(named)
    expect(r.json.error.message).toMatch(/[\u4e00-\u9fff]/)
  })
})

describe('licence catalogue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'licence-cli-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const missing = join(dir, 'missing.json')
  const key = join(dir, 'key.hex')
  writeFileSync(key, '11'.repeat(32))

  it.each([
    [['check', missing, '--trusted', '00'], 'CATALOGUE_INVALID'],
    [['sign', missing, '--key', key, '--out', join(dir, 'out.json')], 'CATALOGUE_INVALID'],
    [['sign', key, '--key', missing, '--out', join(dir, 'out.json')], 'CONFIG_INVALID'],
  ])('%j: a file it cannot read is %s naming the file, exit 1', async (args, code) => {
    const r = await cli('licence', 'catalogue', ...args)
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe(code)
    expect(r.json.error.message).toContain(missing)
    expect(r.json.error.message).toMatch(/[\u4e00-\u9fff]/)
  })
})
