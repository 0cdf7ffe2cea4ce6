/**
 * `cli audit verify` on a real database file: an intact chain exits 0; an altered, removed or
 * spliced entry exits non-zero and names the first broken entry. The app's own triggers refuse
 * the alteration first; the test drops them as an attacker with file access would.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AuditLog } from '../../../src/main/audit'
import { openDatabase } from '../../../src/main/db'
import { cli } from './cli'

const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function database(name: string, entries: number): string {
  const file = join(dir, name)
  const db = openDatabase({ file })
  const log = new AuditLog({ db, terminal: 'SYS-01' })
  for (let i = 0; i < entries; i++)
    log.append({
      action: 'list',
      staff: { name: '窗口甲', code: 'C1', role: 'clerk' },
      holder: { code: '410105197805160032', typeCode: '111' },
      matter: '410100-ZRZY-0031',
      licences: [`1.2.156.3005.2.X.${i}`],
      result: 'ok',
    })
  db.close()
  return file
}

describe('cli audit verify', () => {
  it('exits 0 on an intact chain', () => {
    const r = cli(['audit', 'verify', '--db', database('ok.db', 25)])
    expect(r.status).toBe(0)
    expect(r.json()).toMatchObject({ ok: true, checked: 25, entries: 25, lastSeq: 25 })
  })

  it('exits non-zero naming the first altered entry', () => {
    const file = database('altered.db', 25)
    const db = openDatabase({ file })
    expect(() => db.prepare("UPDATE audit_log SET result = 'x' WHERE seq = 9").run()).toThrow()
    db.exec('DROP TRIGGER audit_log_no_update')
    db.prepare("UPDATE audit_log SET licences = '[]' WHERE seq = 12").run()
    db.prepare("UPDATE audit_log SET holder = '' WHERE seq = 20").run()
    db.close()
    const r = cli(['audit', 'verify', '--db', file])
    expect(r.status).toBe(3)
    expect(r.json()).toMatchObject({ ok: false, checked: 11, broken: { seq: 12, problem: 'hash' } })
    expect(r.stderr).toContain('第 12 条')
  })

  it('exits non-zero naming the entry after a removed one', () => {
    const file = database('removed.db', 10)
    const db = openDatabase({ file })
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 4').run()).toThrow(/3 years/)
    db.exec('DROP TRIGGER audit_log_retention')
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run()
    db.close()
    const r = cli(['audit', 'verify', '--db', file])
    expect(r.status).toBe(3)
    expect(r.json()).toMatchObject({ broken: { seq: 5, problem: 'gap' } })
  })

  it('a file that is not a CounterDesk database is a clear error', () => {
    const r = cli(['audit', 'verify', '--db', join(dir, 'missing.db')])
    expect(r.status).toBe(1)
    expect(r.json()).toMatchObject({ error: { code: 'AUDIT_DB_UNAVAILABLE' } })
  })
})
