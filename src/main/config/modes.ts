/**
 * What each mode must not contain. Production never runs on a simulated device, so a practice
 * card can never become an applicant; training never reaches a real service, so nothing a
 * trainee does lands in the real library, the front-end processor, the real-name platform or
 * the unit's roster server.
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

function trainingProblems(config: Record<string, unknown>): ModeProblem[] {
  const problems: ModeProblem[] = []
  const never = (what: string) => `培训模式不得连接真实的${what}，请删除此项`
  if (config.library !== undefined)
    problems.push({
      path: ['library'],
      message: never('电子证照库') + '（培训使用内置沙箱证照库）',
    })
  const sync = record(config.sync)
  if (sync?.target === 'frontend')
    problems.push({ path: ['sync', 'target'], message: never('前置机') + '或改为 library' })
  if (sync?.frontend !== undefined)
    problems.push({ path: ['sync', 'frontend'], message: never('前置机') })
  if (config.realname !== undefined)
    problems.push({
      path: ['realname'],
      message: never('出入境证件身份认证平台') + '（培训使用模拟平台）',
    })
  if (record(record(config.auth)?.roster)?.url !== undefined)
    problems.push({
      path: ['auth', 'roster', 'url'],
      message: never('人员名单服务') + '（培训使用内置名单）',
    })
  return problems
}

/** The mode rules broken by a configuration, raw or parsed; `mode` defaults to production. */
export function modeProblems(raw: unknown): ModeProblem[] {
  const config = record(raw)
  if (!config) return []
  const mode = config.mode ?? 'production'
  if (mode === 'production') return productionProblems(config)
  if (mode === 'training') return trainingProblems(config)
  return []
}
