import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { CounterError } from '../../shared/errors'
import { modeProblems } from './modes'
import { ConfigSchema, type Config } from './schema'
import { trainingConfig } from './training'

// Validation messages are shown to Chinese-speaking administrators.
z.config(z.locales.zhCN())

function keyPath(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? '(根)'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[')
}

/** Validates parsed JSON; the error names the first bad key and what is wrong with it. */
export function parseConfig(raw: unknown, file = '(内存)'): Config {
  const result = ConfigSchema.safeParse(raw)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  let key = keyPath(issue.path)
  let problem = issue.message
  if (issue.code === 'unrecognized_keys') {
    key = [keyPath(issue.path), ...issue.keys].filter((k) => k !== '(根)').join('.')
    problem = '未知的配置项'
  }
  throw new CounterError('CONFIG_INVALID', {
    params: { file, key, problem },
    detail: result.error.issues.map((i) => `${keyPath(i.path)}: ${i.message}`).join('; '),
  })
}

/**
 * Refuses a configuration, however it was made, that breaks its mode's rules (a simulated device
 * in production): the core runs this before it builds anything.
 */
export function assertModeRules(config: Config, file = '(运行配置)'): void {
  const problem = modeProblems(config)[0]
  if (!problem) return
  throw new CounterError('CONFIG_INVALID', {
    params: { file, key: keyPath(problem.path), problem: problem.message },
  })
}

export function loadConfigFile(file: string): Config {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new CounterError('CONFIG_UNREADABLE', { params: { file }, cause })
  }
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (cause) {
    const where = cause instanceof SyntaxError ? cause.message : 'JSON'
    throw new CounterError('CONFIG_INVALID', {
      params: { file, key: '(JSON 语法)', problem: where },
      cause,
    })
  }
  return parseConfig(json, file)
}

/** A file if one is given, training mode if not. */
export function resolveConfig(file: string | undefined): Config {
  return file ? loadConfigFile(file) : trainingConfig()
}
