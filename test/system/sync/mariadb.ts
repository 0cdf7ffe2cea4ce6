/**
 * The machine's MariaDB (127.0.0.1:3306, root, no password). Each test gets a database of its
 * own, named for it, and drops it afterwards.
 */
import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import { initFrontend, parseFrontendUrl, type FrontendUrl } from '../../../src/main/sync'

export const MARIADB_HOST = '127.0.0.1'
export const MARIADB_PORT = 3306

export interface TestDatabase {
  readonly name: string
  /** Straight to the server. */
  readonly url: string
  readonly frontendUrl: FrontendUrl
  /** The same database through another host:port (a proxy). */
  via(hostPort: string): string
  query<T = unknown>(sql: string, values?: unknown[]): Promise<T[]>
  drop(): Promise<void>
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `cd_${prefix}_${randomBytes(4).toString('hex')}`
  const url = `mysql://root@${MARIADB_HOST}:${MARIADB_PORT}/${name}`
  await initFrontend(parseFrontendUrl(url))
  const conn = await mysql.createConnection({
    host: MARIADB_HOST,
    port: MARIADB_PORT,
    user: 'root',
    database: name,
    dateStrings: true,
  })
  return {
    name,
    url,
    frontendUrl: parseFrontendUrl(url),
    via: (hostPort) => `mysql://root@${hostPort}/${name}?connectTimeout=1000`,
    async query<T>(sql: string, values: unknown[] = []) {
      const [rows] = await conn.query(sql, values)
      return rows as T[]
    },
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await conn.end()
    },
  }
}
