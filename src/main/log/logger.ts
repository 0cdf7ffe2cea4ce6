/**
 * A small structured logger: JSON lines to a file (or stderr), every string redacted. Kept
 * dependency-free because the CLI, the app and the tests all share it.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { redact } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(scope: string): Logger
}

export interface LoggerOptions {
  readonly level?: LogLevel
  /** A file to append to; without one, lines go to stderr. */
  readonly file?: string
  /** Collects lines instead of writing them (tests). */
  readonly sink?: (line: string) => void
  readonly scope?: string
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; detail?: unknown }
    return { name: e.name, message: e.message, code: e.code, detail: e.detail, stack: e.stack }
  }
  return value
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info']
  if (options.file) mkdirSync(dirname(options.file), { recursive: true })
  const write =
    options.sink ??
    (options.file
      ? (line: string) => appendFileSync(options.file!, line + '\n')
      : (line: string) => process.stderr.write(line + '\n'))

  const make = (scope: string | undefined): Logger => {
    const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return
      const entry = { t: new Date().toISOString(), level, scope, msg, ...fields }
      try {
        write(redact(JSON.stringify(entry, (_k, v: unknown) => serialise(v))))
      } catch {
        // A log line must never take the app down.
      }
    }
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (s) => make(scope ? `${scope}.${s}` : s),
    }
  }
  return make(options.scope)
}

export const silentLogger: Logger = createLogger({ sink: () => {} })
