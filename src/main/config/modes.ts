/**
 * What each mode must not contain. Production never runs on a simulated device, so a practice
 * card can never become an applicant.
 *
 * The schema applies these rules to the file, and the core applies them again to the parsed
 * configuration before it builds anything (a configuration can also be built in code). They read
 * any JSON value, so they never throw on a malformed one.
 */

export interface ModeProblem {
  readonly path: readonly (string | number)[]
  readonly message: string
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

const kindOf = (value: unknown): unknown => record(value)?.kind

function productionProblems(config: Record<string, unknown>): ModeProblem[] {
  const problems: ModeProblem[] = []
  if (config.library === undefined)
    problems.push({ path: ['library'], message: '正式模式必须配置电子证照库地址' })
  if (kindOf(record(config.devices)?.idcard) === 'simulated')
    problems.push({
      path: ['devices', 'idcard', 'kind'],
      message: '模拟身份证阅读器只能在培训模式下使用，正式模式请配置 serial、hid 或 none',
    })
  if (kindOf(record(config.emrtd)?.reader) === 'simulated')
    problems.push({
      path: ['emrtd', 'reader', 'kind'],
      message: '模拟护照阅读器只能在培训模式下使用，正式模式请配置 pcsc、auto 或 none',
    })
  const providers = record(config.cakey)?.providers
  if (Array.isArray(providers))
    providers.forEach((provider, i) => {
      if (kindOf(provider) === 'simulated')
        problems.push({
          path: ['cakey', 'providers', i, 'kind'],
          message: '模拟 CA 证书只能在培训模式下使用',
        })
    })
  return problems
}

/** The mode rules broken by a configuration, raw or parsed; `mode` defaults to production. */
export function modeProblems(raw: unknown): ModeProblem[] {
  const config = record(raw)
  if (!config) return []
  const mode = config.mode ?? 'production'
  if (mode === 'production') return productionProblems(config)
  return []
}
