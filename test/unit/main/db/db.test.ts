import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrations, openDatabase, type Migration } from '../../../../src/main/db'

const file = () => join(mkdtempSync(join(tmpdir(), 'db-')), 'test.db')

describe('database', () => {
  it('opens in WAL mode with every migration applied', () => {
    const db = openDatabase({ file: file() })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()
    expect(applied).toEqual(migrations.map((m) => ({ version: m.version })))
    db.close()
  })

  it('is opened once per process', () => {
    const f = file()
    const db = openDatabase({ file: f })
    expect(() => openDatabase({ file: f })).toThrow(
      expect.objectContaining({ code: 'DB_ALREADY_OPEN' }),
    )
    db.close()
    openDatabase({ file: f }).close()
  })

  it('refuses a database written by a newer version', () => {
    const f = file()
    const newer: Migration[] = [
      ...migrations,
      { version: 9999, name: 'future', sql: 'CREATE TABLE future (x INTEGER)' },
    ]
    openDatabase({ file: f, migrations: newer }).close()
    expect(() => openDatabase({ file: f })).toThrow(
      expect.objectContaining({
        code: 'DB_SCHEMA_TOO_NEW',
        params: { found: '9999' },
      }),
    )
  })

  it('names an unknown upgrade numbered below the newest known one as too new', () => {
    const f = file()
    const withGap: Migration[] = [
      ...migrations,
      { version: 650, name: 'from-a-newer-domain', sql: 'CREATE TABLE gap (x INTEGER)' },
    ]
    openDatabase({ file: f, migrations: withGap }).close()
    expect(() => openDatabase({ file: f })).toThrow(
      expect.objectContaining({ code: 'DB_SCHEMA_TOO_NEW', params: { found: '650' } }),
    )
  })

  it('refuses a damaged file with a clear error and leaves it as it was', () => {
    const garbage = Buffer.alloc(8192, 0x5a)
    // The SQLite magic over a broken header: a file that was a database once.
    const broken = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 0xff)])
    for (const bytes of [garbage, broken]) {
      const f = file()
      writeFileSync(f, bytes)
      expect(() => openDatabase({ file: f })).toThrow(
        expect.objectContaining({ code: 'DB_DAMAGED', params: { file: f } }),
      )
      expect(readFileSync(f).equals(bytes)).toBe(true)
      // Nothing holds it open: the next attempt says the same, not "already open".
      expect(() => openDatabase({ file: f })).toThrow(
        expect.objectContaining({ code: 'DB_DAMAGED' }),
      )
    }
  })

  it('applies new migrations to an existing database and rolls back a failing one', () => {
    const f = file()
    openDatabase({ file: f }).close()
    const broken: Migration[] = [
      ...migrations,
      {
        version: 9998,
        name: 'broken',
        sql: 'CREATE TABLE half (x INTEGER); SELECT nonsense FROM nowhere;',
      },
    ]
    expect(() => openDatabase({ file: f, migrations: broken })).toThrow()
    const db = openDatabase({ file: f })
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined()
    db.close()
  })
})
