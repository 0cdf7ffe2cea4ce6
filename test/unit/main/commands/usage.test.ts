/**
 * A command line the CLI cannot run as typed exits 64 and, like every other error, prints
 * `{error: {code, message, hint}}` on stdout — the README's promise to scripts — while the words
 * for a person still go to stderr.
 */
import { describe, expect, it } from 'vitest'
import { EXIT_USAGE, runCli, UsageError, type Command } from '../../../../src/main/commands'

async function cli(argv: string[], all?: Command[]) {
  let out = ''
  let err = ''
  const code = await runCli(
    argv,
    {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      resourcesDir: 'resources',
      interrupted: new Promise(() => {}),
    },
    all,
  )
  return { code, out, err }
}

const jsonError = (out: string) =>
  (JSON.parse(out) as { error: { code: string; message: string; hint: string } }).error

const probe: Command[] = [
  {
    path: ['probe', 'throws'],
    usage: 'probe throws --level <n>',
    summary: '',
    options: { level: { type: 'string' } },
    run: ({ values }) => {
      if (values.level === undefined) throw new UsageError('需要 --level')
      return 0
    },
  },
  {
    path: ['probe', 'says'],
    usage: 'probe says <文件>',
    summary: '',
    run: (_args, ctx) => {
      ctx.stderr('缺少文件\n用法: probe says <文件>\n')
      return 64
    },
  },
  {
    path: ['probe', 'json'],
    usage: 'probe json',
    summary: '',
    run: (_args, ctx) => {
      ctx.stdout('{"error":{"code":"OWN","message":"m","hint":"h"}}\n')
      return 64
    },
  },
]

describe('CLI usage errors', () => {
  it('an unknown command: exit 64, JSON on stdout, the command list on stderr', async () => {
    const r = await cli(['frobnicate', 'now'])
    expect(r.code).toBe(EXIT_USAGE)
    expect(jsonError(r.out)).toEqual({
      code: 'CLI_USAGE',
      message: '命令用法有误：未知的命令 frobnicate now',
      hint: expect.stringMatching(/^用法：npm run -s cli -- <命令>/),
    })
    expect(r.err).toContain('id check')
  })

  it('an unknown option names the option', async () => {
    const r = await cli(['id', 'check', '--frob', '11010519491231002X'])
    expect(r.code).toBe(EXIT_USAGE)
    const error = jsonError(r.out)
    expect(error.code).toBe('CLI_USAGE')
    expect(error.message).toContain('未知的选项')
    expect(error.message).toContain('--frob')
    expect(error.hint).toBe('用法：npm run -s cli -- id check <value>')
  })

  it('an option without its value', async () => {
    const r = await cli(['probe', 'throws', '--level'], probe)
    expect(r.code).toBe(EXIT_USAGE)
    expect(jsonError(r.out)).toMatchObject({
      code: 'CLI_USAGE',
      message: expect.stringContaining('--level'),
    })
  })

  it('a command that throws a UsageError', async () => {
    const r = await cli(['probe', 'throws'], probe)
    expect(r.code).toBe(EXIT_USAGE)
    expect(jsonError(r.out)).toEqual({
      code: 'CLI_USAGE',
      message: '命令用法有误：需要 --level',
      hint: '用法：npm run -s cli -- probe throws --level <n>',
    })
    expect(r.err).toContain('需要 --level')
  })

  it('a command that refuses its arguments in words and returns 64 gets its JSON error too', async () => {
    const r = await cli(['probe', 'says'], probe)
    expect(r.code).toBe(EXIT_USAGE)
    expect(jsonError(r.out)).toEqual({
      code: 'CLI_USAGE',
      message: '命令用法有误：缺少文件',
      hint: '用法：npm run -s cli -- probe says <文件>',
    })
    expect(r.err).toBe('缺少文件\n用法: probe says <文件>\n')
  })

  it('a command that printed its own JSON error is left alone', async () => {
    const r = await cli(['probe', 'json'], probe)
    expect(r.code).toBe(EXIT_USAGE)
    expect(jsonError(r.out).code).toBe('OWN')
  })

  it('a real command: config check without a file', async () => {
    const r = await cli(['config', 'check'])
    expect(r.code).toBe(EXIT_USAGE)
    expect(jsonError(r.out)).toMatchObject({
      code: 'CLI_USAGE',
      hint: '用法：npm run -s cli -- config check <file>',
    })
  })

  it('help is not an error: exit 0, nothing on stdout', async () => {
    for (const argv of [[], ['help'], ['--help']]) {
      const r = await cli(argv)
      expect(r.code).toBe(0)
      expect(r.out).toBe('')
      expect(r.err).toContain('config check')
    }
  })
})
