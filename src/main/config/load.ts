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

interface Problem {
  readonly key: string
  readonly problem: string
}

/** One problem per bad key: an unknown-keys issue names each key on its own. */
function problemsOf(issue: z.core.$ZodIssue): Problem[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({ key: keyPath([...issue.path, k]), problem: '未知的配置项' }))
  return [{ key: keyPath(issue.path), problem: issue.message }]
}

/**
 * The error for every problem at once, so an administrator fixes the file in one round: the
 * message reads `配置文件 f 中的 a.b 有误：…；c.d 有误：…`, `key` names the first bad key and
 * `keys` all of them.
 */
function configError(file: string, problems: readonly Problem[]): CounterError {
  const [first, ...rest] = problems
  return new CounterError('CONFIG_INVALID', {
    params: {
      file,
      key: first!.key,
      problem: [first!.problem, ...rest.map((p) => `${p.key} 有误：${p.problem}`)].join('；'),
      keys: problems.map((p) => p.key).join('、'),
      count: problems.length,
    },
    detail: problems.map((p) => `${p.key}: ${p.problem}`).join('; '),
  })
}

/** Validates parsed JSON; the error names every bad key and what is wrong with each. */
export function parseConfig(raw: unknown, file = '(内存)'): Config {
  const result = ConfigSchema.safeParse(raw)
  if (result.success) return result.data
  const problems = result.error.issues.flatMap(problemsOf)
  // The mode rules run inside the schema only once everything else parses: add them here.
  for (const p of modeProblems(raw)) {
    const key = keyPath(p.path)
    if (!problems.some((q) => q.key === key)) problems.push({ key, problem: p.message })
  }
  throw configError(file, problems)
}

/**
 * Refuses a configuration, however it was made, that breaks its mode's rules (a simulated device
 * in production): the core runs this before it builds anything.
 */
export function assertModeRules(config: Config, file = '(运行配置)'): void {
  const problems = modeProblems(config)
  if (problems.length === 0) return
  throw configError(
    file,
    problems.map((p) => ({ key: keyPath(p.path), problem: p.message })),
  )
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
