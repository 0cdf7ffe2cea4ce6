/**
 * A CLI command: a path of words (`id check`), the options it takes, and a handler that returns
 * an exit code. Handlers print JSON to stdout; a CounterError thrown becomes a JSON error and exit
 * 1, a UsageError a JSON `CLI_USAGE` error and exit 64.
 */
import type { ParseArgsConfig } from 'node:util'

export interface CommandContext {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** The repository's (or the installed app's) resources folder. */
  readonly resourcesDir: string
  /** Resolves when the user interrupts (Ctrl-C): for long-running commands. */
  readonly interrupted: Promise<void>
}

export interface ParsedArgs {
  readonly positionals: string[]
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>
}

export interface Command {
  /** The words that select this command, e.g. `['id', 'check']`. */
  readonly path: readonly string[]
  readonly usage: string
  readonly summary: string
  readonly options?: ParseArgsConfig['options']
  run(args: ParsedArgs, ctx: CommandContext): Promise<number> | number
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout(JSON.stringify(value, null, 2) + '\n')
}

/** Thrown by a command whose arguments are missing or wrong: exit 64 with a JSON `CLI_USAGE` error. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}
