import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { CounterError, isCounterError } from '../../shared/errors'
import type { Migration } from './migration'
import { migrate } from './migration'
import { migrations as allMigrations } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  readonly file: string
  /**
   * The compiled better-sqlite3 addon to load. Electron and Node need differently built addons;
   * the shell passes the Electron build here, Node uses the package's own.
   */
  readonly nativeBinding?: string
  readonly migrations?: readonly Migration[]
}

/** Files open in this process: the database is opened once and shared. */
const openFiles = new Set<string>()

/** What SQLite says of a file that is not, or is no longer, a database. */
const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

/**
 * SQLite opens any file lazily and objects only at the first statement: what it then throws
 * becomes an error the clerk can act on. The file itself is left as it was, for recovery.
 */
function openFailure(file: string, cause: unknown): CounterError {
  if (isCounterError(cause)) return cause
  const sqlite = (cause as { code?: unknown } | null)?.code
  const code = typeof sqlite === 'string' && DAMAGED.has(sqlite) ? 'DB_DAMAGED' : 'DB_OPEN_FAILED'
  return new CounterError(code, { params: { file }, detail: String(cause), cause })
}

export function openDatabase(options: OpenOptions): Db {
  const file = options.file === ':memory:' ? ':memory:' : resolve(options.file)
  if (file !== ':memory:' && openFiles.has(file))
    throw new CounterError('DB_ALREADY_OPEN', { detail: file })
  let db: Db
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  } catch (cause) {
    throw openFailure(file, cause)
  }
  try {
    db.pragma('journal_mode = WAL')
    // Outbox and audit commits must survive a power cut; the volume is small enough to pay for it.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, options.migrations ?? allMigrations)
  } catch (error) {
    db.close()
    throw openFailure(file, error)
  }
  if (file !== ':memory:') {
    openFiles.add(file)
    const close = db.close.bind(db)
    db.close = () => {
      openFiles.delete(file)
      return close()
    }
  }
  return db
}
