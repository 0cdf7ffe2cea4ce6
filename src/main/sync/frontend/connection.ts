/**
 * Connecting to the front-end processor (前置机): a MySQL database, `HN_license` by default. The
 * URL names the account; every session runs strict (bad data is an error, never silently cut),
 * in UTF-8 (utf8mb4) and on Shanghai time, which is what the exchange columns are written in.
 */
import mysql, { type Connection } from 'mysql2/promise'
import { CounterError } from '../../../shared/errors'

export interface FrontendUrl {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database: string
  readonly connectTimeoutMs: number
}

export const DEFAULT_DATABASE = 'HN_license'

function bad(problem: string): CounterError {
  return new CounterError('FRONTEND_URL_INVALID', { params: { problem } })
}

export function parseFrontendUrl(text: string): FrontendUrl {
  let u: URL
  try {
    u = new URL(text)
  } catch {
    throw bad('不是有效的地址')
  }
  if (u.protocol !== 'mysql:') throw bad('应以 mysql:// 开头')
  if (!u.hostname) throw bad('缺少主机名')
  const port = u.port ? Number(u.port) : 3306
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || DEFAULT_DATABASE
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) throw bad('数据库名只能包含字母、数字和下划线')
  let connectTimeoutMs = 5000
  for (const [k, v] of u.searchParams) {
    if (k !== 'connectTimeout') throw bad(`不支持的参数 ${k}`)
    const n = Number(v)
    if (!Number.isInteger(n) || n < 100 || n > 120_000)
      throw bad('connectTimeout 应为 100–120000 毫秒')
    connectTimeoutMs = n
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database,
    connectTimeoutMs,
  }
}

/** The URL with the password hidden, for logs and screens. */
export function describeFrontendUrl(url: FrontendUrl): string {
  return `mysql://${url.user}${url.password ? ':***' : ''}@${url.host}:${url.port}/${url.database}`
}

const LABEL = '前置机'

/** Server errors that mean the data is at fault: the row is rejected, not retried. */
const DATA_ERRNOS: ReadonlySet<number> = new Set([
  1048, // column cannot be null
  1062, // duplicate entry on a unique key other than the row guid
  1264, // out of range
  1265, // data truncated
  1292, // incorrect date/time value
  1366, // incorrect string value
  1406, // data too long
  1411, // incorrect value for function
  1452, // foreign key
  3140, // invalid JSON (MySQL)
  3819, // check constraint (MySQL)
  4025, // CONSTRAINT_FAILED (MariaDB)
])

/** Server errors after which the account or schema needs fixing. */
const CONFIG_ERRNOS: ReadonlySet<number> = new Set([
  1044, // access denied to the database
  1045, // access denied (wrong password)
  1049, // unknown database
  1054, // unknown column (schema older than the program)
  1142, // command denied
  1146, // no such table
  1227, // missing privilege
  1698, // access denied (MariaDB, no password given)
])

export type MysqlFailure =
  | { readonly kind: 'data'; readonly reason: string }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'config'; readonly error: CounterError }
  | { readonly kind: 'transient'; readonly error: CounterError; readonly connectionLost: boolean }

interface MysqlError {
  readonly code?: string
  readonly errno?: number
  readonly sqlMessage?: string
  readonly fatal?: boolean
  readonly message?: string
}

/** Sorts a mysql2 error into what the pusher does about it. */
export function classifyMysqlError(error: unknown): MysqlFailure {
  const e = (error ?? {}) as MysqlError
  const errno = typeof e.errno === 'number' ? e.errno : undefined
  const message = (e.sqlMessage ?? e.message ?? String(error)).slice(0, 300)
  if (errno === 1153 || e.code === 'ER_NET_PACKET_TOO_LARGE') return { kind: 'too-large' }
  if (errno !== undefined && DATA_ERRNOS.has(errno)) return { kind: 'data', reason: message }
  if (errno !== undefined && CONFIG_ERRNOS.has(errno)) {
    const code = errno === 1146 || errno === 1054 ? 'FRONTEND_SCHEMA_MISSING' : 'SYNC_REFUSED'
    return {
      kind: 'config',
      error: new CounterError(code, { params: { target: LABEL, status: errno }, detail: message }),
    }
  }
  const timeout = e.code === 'PROTOCOL_SEQUENCE_TIMEOUT' || e.code === 'ETIMEDOUT'
  // A server error with a SQL state leaves the session usable; anything else does not.
  const connectionLost = e.fatal === true || errno === undefined || timeout
  return {
    kind: 'transient',
    connectionLost,
    error: new CounterError(
      timeout
        ? 'SYNC_TIMEOUT'
        : errno === undefined || e.fatal
          ? 'SYNC_OFFLINE'
          : 'SYNC_SERVER_ERROR',
      { params: { target: LABEL, status: errno ?? e.code ?? 'network' }, detail: message },
    ),
  }
}

/** Opens one session; `database: false` connects without choosing a database (for init). */
export async function connectFrontend(
  url: FrontendUrl,
  options: { database?: boolean } = {},
): Promise<Connection> {
  let conn: Connection
  try {
    conn = await mysql.createConnection({
      host: url.host,
      port: url.port,
      user: url.user,
      password: url.password,
      ...(options.database === false ? {} : { database: url.database }),
      charset: 'utf8mb4',
      connectTimeout: url.connectTimeoutMs,
      dateStrings: true,
      supportBigNumbers: true,
      multipleStatements: false,
      // Affected rows then count only rows really written, so a repeat delivery is visible.
      flags: ['-FOUND_ROWS'],
    })
  } catch (error) {
    const f = classifyMysqlError(error)
    if (f.kind === 'config') throw f.error
    if (f.kind === 'transient') throw f.error
    throw new CounterError('SYNC_OFFLINE', { params: { target: LABEL }, detail: String(error) })
  }
  // Errors on an idle session must not crash the process; the next query reports them.
  conn.on('error', () => undefined)
  try {
    await conn.query(
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+08:00'",
    )
  } catch (error) {
    conn.destroy()
    const f = classifyMysqlError(error)
    throw f.kind === 'config' || f.kind === 'transient'
      ? f.error
      : new CounterError('SYNC_OFFLINE', { params: { target: LABEL }, detail: String(error) })
  }
  return conn
}

export { LABEL as FRONTEND_LABEL }
