import { parseArgs } from 'node:util'
import { CounterError, isCounterError } from '../../shared/errors'
import { UsageError, type Command, type CommandContext } from './command'
import { commands } from './groups'

/** The exit status of a command line the CLI cannot run as typed (BSD sysexits EX_USAGE). */
export const EXIT_USAGE = 64

function match(argv: readonly string[], all: readonly Command[]): Command | undefined {
  return [...all]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => argv[i] === word))
}

const CLI = 'npm run -s cli --'

function usage(all: readonly Command[]): string {
  return [
    `用法: ${CLI} <命令>`,
    '',
    ...all.map((c) => `  ${c.usage.padEnd(48)} ${c.summary}`),
    '',
  ].join('\n')
}

/** What Node's argument parser objects to, in words for the field engineer. */
const PARSE_PROBLEMS: Record<string, string> = {
  ERR_PARSE_ARGS_UNKNOWN_OPTION: '未知的选项',
  ERR_PARSE_ARGS_INVALID_OPTION_VALUE: '选项的值有误',
  ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: '多余的参数',
}

function parseProblem(error: unknown): string {
  const code = (error as { code?: unknown })?.code
  const what = (typeof code === 'string' && PARSE_PROBLEMS[code]) || '参数有误'
  // Node's own words name the option; its first sentence is enough.
  const detail = String((error as Error)?.message ?? '').split(/\.\s/)[0]
  return detail ? `${what}（${detail}）` : what
}

/** The JSON error on stdout the README promises: `{error: {code, message, hint}}`. */
function printJsonError(ctx: CommandContext, error: CounterError): void {
  const { code, message, hint } = error
  ctx.stdout(JSON.stringify({ error: { code, message, hint } }, null, 2) + '\n')
}

/** An error as JSON on stdout, and in words on stderr. */
function printError(ctx: CommandContext, error: CounterError): void {
  printJsonError(ctx, error)
  ctx.stderr(`${error.message}\n${error.hint}\n`)
}

const usageError = (problem: string, commandUsage: string) =>
  new CounterError('CLI_USAGE', { params: { problem, usage: `${CLI} ${commandUsage}` } })

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  ctx: CommandContext,
  all: readonly Command[] = commands,
): Promise<number> {
  const command = match(argv, all)
  if (!command) {
    ctx.stderr(usage(all))
    if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help') return 0
    printError(
      ctx,
      usageError(`未知的命令 ${argv.slice(0, 2).join(' ')}`, '<命令>（命令列表见 help）'),
    )
    return EXIT_USAGE
  }
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv.slice(command.path.length)],
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    printError(ctx, usageError(parseProblem(error), command.usage))
    return EXIT_USAGE
  }
  // A command may still refuse its arguments by printing why and returning 64 itself: note
  // what it wrote, so that the JSON error it owes stdout can be given for it.
  let wroteStdout = false
  let said = ''
  const watched: CommandContext = {
    ...ctx,
    stdout: (text) => {
      wroteStdout = true
      ctx.stdout(text)
    },
    stderr: (text) => {
      said += text
      ctx.stderr(text)
    },
  }
  try {
    const code = await command.run(
      { positionals: parsed.positionals, values: parsed.values },
      watched,
    )
    if (code === EXIT_USAGE && !wroteStdout) {
      const problem = said
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !/^用法[:：]/.test(line))
        .join('；')
      printJsonError(ctx, usageError(problem || '参数不完整或有误', command.usage))
    }
    return code
  } catch (error) {
    if (error instanceof UsageError) {
      printError(ctx, usageError(error.message, command.usage))
      return EXIT_USAGE
    }
    if (isCounterError(error)) {
      printError(ctx, error)
      return 1
    }
    ctx.stderr(`内部错误: ${(error as Error)?.message ?? String(error)}\n`)
    return 70
  }
}
