import type Database from 'better-sqlite3'
import { CounterError } from '../../shared/errors'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/**
 * Applies the migrations the database has not seen, each in its own transaction, and refuses a
 * database that has seen one this code does not know (it was written by a newer version).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.version === sorted[i - 1]!.version) {
      throw new Error(`duplicate migration version ${sorted[i]!.version}`)
    }
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  )
  const known = new Set(sorted.map((m) => m.version))
  const unknown = [...applied].filter((v) => !known.has(v)).sort((a, b) => a - b)
  if (unknown.length > 0) {
    // Versions are numbered per domain, so an unknown one may sit below the newest known one:
    // name the unknown upgrades rather than compare numbers.
    throw new CounterError('DB_SCHEMA_TOO_NEW', {
      params: { found: unknown.join(', ') },
      detail: `unknown migrations: ${unknown.join(', ')}; known up to ${sorted.at(-1)?.version ?? 0}`,
    })
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  )
  const done: number[] = []
  for (const m of sorted) {
    if (applied.has(m.version)) continue
    db.transaction(() => {
      db.exec(m.sql)
      record.run(m.version, m.name, new Date().toISOString())
    })()
    done.push(m.version)
  }
  return done
}
