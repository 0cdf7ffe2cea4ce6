import { parseArgs } from 'node:util'
import { isCounterError } from '../../shared/errors'
import type { Command, CommandContext } from './command'
import { commands } from './groups'

function match(argv: readonly string[], all: readonly Command[]): Command | undefined {
  return [...all]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => argv[i] === word))
}

function usage(all: readonly Command[]): string {
  return [
    '用法: npm run -s cli -- <命令>',
    '',
    ...all.map((c) => `  ${c.usage.padEnd(48)} ${c.summary}`),
    '',
  ].join('\n')
}

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  ctx: CommandContext,
  all: readonly Command[] = commands,
): Promise<number> {
  const command = match(argv, all)
  if (!command) {
    ctx.stderr(usage(all))
    return argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 64
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
    ctx.stderr(`${(error as Error).message}\n用法: ${command.usage}\n`)
    return 64
  }
  try {
    return await command.run({ positionals: parsed.positionals, values: parsed.values }, ctx)
  } catch (error) {
    if (isCounterError(error)) {
      ctx.stdout(
        JSON.stringify(
          { error: { code: error.code, message: error.message, hint: error.hint } },
          null,
          2,
        ) + '\n',
      )
      ctx.stderr(`${error.message}\n${error.hint}\n`)
      return 1
    }
    ctx.stderr(`内部错误: ${(error as Error)?.message ?? String(error)}\n`)
    return 70
  }
}
