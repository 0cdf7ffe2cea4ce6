/**
 * Opens a database for reading the access log only — for `cli audit verify` on a copy taken from
 * a terminal, or on the live file while the app runs. It never migrates or writes.
 */
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { CounterError } from '../../shared/errors'
import type { Db } from '../db'

export function openAuditDatabase(file: string): Db {
  if (!existsSync(file)) throw new CounterError('AUDIT_DB_UNAVAILABLE', { params: { file } })
  let db: Db
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 5000')
  } catch (cause) {
    throw new CounterError('AUDIT_DB_UNAVAILABLE', { params: { file }, cause })
  }
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
    .get()
  if (!table) {
    db.close()
    throw new CounterError('AUDIT_DB_UNAVAILABLE', {
      params: { file },
      detail: 'no audit_log table',
    })
  }
  return db
}
