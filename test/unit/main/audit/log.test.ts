import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  AuditLog,
  canonicalEntry,
  csvCell,
  csvLines,
  entryHash,
  GENESIS_HASH,
  verifyChain,
} from '../../../../src/main/audit'
import { openDatabase, type Db } from '../../../../src/main/db'
import { shanghaiDayAfter, shanghaiDayStart } from '../../../../src/shared/time'
import type { AuditEntry } from '../../../../src/shared/domain'

const dirs: string[] = []
const dbs: Db[] = []
afterEach(() => {
  for (const d of dbs.splice(0)) d.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function db(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'))
  dirs.push(dir)
  const d = openDatabase({ file: join(dir, 'a.db') })
  dbs.push(d)
  return d
}

const staff = { name: '窗口甲', code: 'CERT-1', role: 'clerk' }

function fill(log: AuditLog, n: number): void {
  for (let i = 0; i < n; i++)
    log.append({
      action: i % 2 ? 'preview' : 'list',
      staff,
      holder: { code: '410105197805160032', typeCode: '111' },
      matter: '410100-ZRZY-0031',
      reason: '办理不动产转移登记',
      licences: [`1.2.156.3005.2.X.${i}`],
      result: 'ok',
    })
}

describe('hash chain', () => {
  it('links each entry to the one before and verifies the whole chain', () => {
    const log = new AuditLog({ db: db(), terminal: 'T1' })
    fill(log, 20)
    const entries = [...log.iterate()]
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH)
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash)
    expect(entries.every((e) => e.hash === entryHash(e))).toBe(true)
    expect(log.verify()).toEqual({ ok: true, checked: 20, firstSeq: 1, lastSeq: 20 })
  })

  it('stores the holder masked, never in full', () => {
    const d = db()
    const log = new AuditLog({ db: d, terminal: 'T1' })
    fill(log, 1)
    const raw = JSON.stringify(d.prepare('SELECT * FROM audit_log').all())
    expect(raw).toContain('410105********0032')
    expect(raw).not.toContain('410105197805160032')
  })

  it('the canonical form separates fields unambiguously', () => {
    const e = [
      ...(() => {
        const log = new AuditLog({ db: db(), terminal: 'T1' })
        fill(log, 1)
        return log.iterate()
      })(),
    ][0]!
    const shifted = { ...e, matter: e.matter + e.reason.slice(0, 1), reason: e.reason.slice(1) }
    expect(canonicalEntry(shifted)).not.toBe(canonicalEntry(e))
    expect(entryHash(shifted)).not.toBe(e.hash)
  })

  it('names the first altered entry', () => {
    const d = db()
    const log = new AuditLog({ db: d, terminal: 'T1' })
    fill(log, 10)
    d.exec('DROP TRIGGER audit_log_no_update')
    d.prepare("UPDATE audit_log SET result = 'refused:X' WHERE seq = 4").run()
    d.prepare("UPDATE audit_log SET matter = 'other' WHERE seq = 7").run()
    expect(log.verify()).toMatchObject({
      ok: false,
      checked: 3,
      broken: { seq: 4, problem: 'hash' },
    })
  })

  it('names a removed entry as a gap, and a spliced one as a broken link', () => {
    const d = db()
    const log = new AuditLog({ db: d, terminal: 'T1' })
    fill(log, 10)
    d.exec('DROP TRIGGER audit_log_retention')
    d.prepare('DELETE FROM audit_log WHERE seq = 6').run()
    expect(log.verify()).toMatchObject({ ok: false, broken: { seq: 7, problem: 'gap' } })

    const entries = [...new AuditLog({ db: db(), terminal: 'T2' }).iterate()]
    expect(entries).toEqual([])
    const a = new AuditLog({ db: db(), terminal: 'T3' })
    fill(a, 3)
    const [e1, e2, e3] = [...a.iterate()]
    // Rewriting an entry and recomputing its hash only moves the break to the next entry.
    const forged = { ...e2!, result: 'ok', licences: ['1.2.156.3005.2.OTHER'] }
    expect(verifyChain([e1!, { ...forged, hash: entryHash(forged) }, e3!])).toMatchObject({
      ok: false,
      checked: 2,
      broken: { seq: 3, problem: 'link' },
    })
    expect(verifyChain([e1!, e3!])).toMatchObject({ broken: { seq: 3, problem: 'gap' } })
    expect(verifyChain([e1!, { ...e2!, prevHash: GENESIS_HASH }])).toMatchObject({
      broken: { seq: 2, problem: 'link' },
    })
  })
})

describe('append-only, kept three years', () => {
  it('the database refuses updates and deleting young entries', () => {
    const d = db()
    const log = new AuditLog({ db: d, terminal: 'T1' })
    fill(log, 3)
    expect(() => d.prepare("UPDATE audit_log SET result = 'x' WHERE seq = 1").run()).toThrow(
      /append-only/,
    )
    expect(() => d.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/3 years/)
    expect(() => d.prepare('DELETE FROM audit_log').run()).toThrow(/3 years/)
    expect(log.count()).toBe(3)
  })

  it('the database refuses an entry that does not link to the tail', () => {
    const d = db()
    const log = new AuditLog({ db: d, terminal: 'T1' })
    fill(log, 2)
    const last = log.list({ limit: 1 })[0]!
    const forged = { ...last, seq: 3, prevHash: GENESIS_HASH }
    expect(() =>
      d
        .prepare(
          `INSERT INTO audit_log (seq, at, action, staff_name, staff_cert, staff_role, terminal, holder,
            holder_type, matter, reason, business_serial, licences, result, detail, prev_hash, hash)
           VALUES (@seq, @at, @action, @staffName, @staffCert, @staffRole, @terminal, @holder,
            @holderType, @matter, @reason, @businessSerial, '[]', @result, @detail, @prevHash, 'f')`,
        )
        .run(forged),
    ).toThrow(/does not link/)
  })

  it('prune refuses to reach into the retention period', () => {
    const log = new AuditLog({ db: db(), terminal: 'T1', retentionYears: 5 })
    fill(log, 2)
    const fourYearsAgo = new Date(Date.now() - 4 * 365 * 86_400_000)
    expect(() => log.prune(fourYearsAgo, staff)).toThrow(
      expect.objectContaining({ code: 'AUDIT_RETENTION' }),
    )
    expect(log.count()).toBe(2)
  })

  it('removes entries past retention from the head and the chain still verifies', () => {
    const d = db()
    let now = new Date('2019-01-10T00:00:00Z')
    const log = new AuditLog({ db: d, terminal: 'T1', now: () => now })
    fill(log, 5)
    now = new Date()
    fill(log, 3)
    const cutoff = new Date(Date.now() - 3 * 366 * 86_400_000)
    expect(log.prune(cutoff, staff)).toEqual({ removed: 5 })
    expect(log.count()).toBe(4) // three kept, one for the prune itself
    expect(log.verify()).toMatchObject({ ok: true, checked: 4, firstSeq: 6, lastSeq: 9 })
    expect(log.list({ limit: 1 })[0]).toMatchObject({ action: 'audit-prune', seq: 9 })
  })

  it('a configured retention shorter than three years is raised to three', () => {
    expect(new AuditLog({ db: db(), terminal: 'T', retentionYears: 1 }).retentionYears).toBe(3)
  })
})

/** Inserts a row straight into the table, as a bug or a hand with a SQL shell would. */
function rawInsert(d: Db, e: AuditEntry, verb = 'INSERT'): void {
  d.prepare(
    `${verb} INTO audit_log (seq, at, action, staff_name, staff_cert, staff_role, terminal, holder,
      holder_type, matter, reason, business_serial, licences, result, detail, prev_hash, hash)
     VALUES (@seq, @at, @action, @staffName, @staffCert, @staffRole, @terminal, @holder,
      @holderType, @matter, @reason, @businessSerial, '[]', @result, @detail, @prevHash, @hash)`,
  ).run(e)
}

const yearsAgo = (n: number) => new Date(Date.now() - n * 365.25 * 86_400_000 - 86_400_000)

describe('the database guards the log itself (no app code in the way)', () => {
  it('refuses INSERT OR REPLACE over an existing entry, so a young entry cannot be swapped out', () => {
    const d = db()
    const log = new AuditLog({ db: d, terminal: 'T1' })
    fill(log, 3)
    const [third, second] = log.list()
    // A backdated stand-in for entry 2, then a delete its old date would allow.
    const forged = {
      ...second!,
      at: '2001-01-01T00:00:00.000Z',
      result: 'ok',
      hash: 'f'.repeat(64),
    }
    // (It fails more than one check; whichever the database names, nothing was replaced.)
    expect(() => rawInsert(d, forged, 'INSERT OR REPLACE')).toThrow(/never replaced|not append/)
    expect(() => rawInsert(d, forged, 'REPLACE')).toThrow(/never replaced|not append/)
    // Colliding on the hash instead of the seq is refused the same way.
    const clash = { ...third!, seq: 4, prevHash: third!.hash, hash: second!.hash }
    expect(() => rawInsert(d, clash, 'INSERT OR REPLACE')).toThrow(/never replaced/)
    expect(log.count()).toBe(3)
    expect(log.verify()).toMatchObject({ ok: true, checked: 3 })
  })

  it('refuses an entry whose seq does not follow the tail, or whose time is before it', () => {
    const d = db()
    const log = new AuditLog({ db: d, terminal: 'T1' })
    fill(log, 2)
    const tail = log.list({ limit: 1 })[0]!
    const next = { ...tail, seq: 3, prevHash: tail.hash, hash: 'a'.repeat(64) }
    expect(() => rawInsert(d, { ...next, seq: 5 })).toThrow(/seq must follow/)
    expect(() => rawInsert(d, { ...next, seq: null as unknown as number })).toThrow(
      /seq must follow/,
    )
    expect(() => rawInsert(d, { ...next, at: '2001-01-01T00:00:00.000Z' })).toThrow(
      /time is before the tail/,
    )
    // Not a time at all, or not in the canonical form the date filters compare as text.
    expect(() => rawInsert(d, { ...next, at: 'yesterday' })).toThrow(/time is before the tail/)
    expect(() => rawInsert(d, { ...next, at: tail.at.replace('T', ' ') })).toThrow(
      /time is before the tail/,
    )
    expect(log.count()).toBe(2)
    rawInsert(d, next) // the real next entry is still accepted
    expect(log.count()).toBe(3)
  })

  it('keeps entries for the configured retention, not a fixed three years', () => {
    const d = db()
    let now = yearsAgo(4)
    const log = new AuditLog({ db: d, terminal: 'T1', retentionYears: 5, now: () => now })
    fill(log, 2)
    now = new Date()
    fill(log, 1)
    expect(log.enforcedRetentionYears()).toBe(5)
    // Four years old: past the legal floor, inside the five years configured.
    expect(() => d.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/3 years/)
    expect(log.count()).toBe(3)
    // Configured back to three, the same entry may go (prune removes it with the anchor moved).
    const three = new AuditLog({ db: d, terminal: 'T1', retentionYears: 3 })
    expect(three.enforcedRetentionYears()).toBe(3)
    expect(three.prune(yearsAgo(3.5), staff)).toEqual({ removed: 2 })
    expect(three.verify()).toMatchObject({ ok: true, firstSeq: 3 })
  })

  it('the retention policy never goes under three years and cannot be removed or replaced', () => {
    const d = db()
    new AuditLog({ db: d, terminal: 'T1', retentionYears: 10 })
    expect(() => d.prepare('UPDATE audit_policy SET retention_years = 2').run()).toThrow(
      /CHECK constraint/,
    )
    expect(() => d.prepare('DELETE FROM audit_policy').run()).toThrow(/cannot be removed/)
    expect(() =>
      d.prepare('INSERT OR REPLACE INTO audit_policy (id, retention_years) VALUES (1, 3)').run(),
    ).toThrow(/UPDATE only/)
    expect(d.prepare('SELECT retention_years AS y FROM audit_policy').get()).toEqual({ y: 10 })
  })

  it('the chain anchor cannot be replaced backwards either', () => {
    const d = db()
    let now = yearsAgo(6)
    const log = new AuditLog({ db: d, terminal: 'T1', now: () => now })
    fill(log, 2)
    now = yearsAgo(4)
    fill(log, 2)
    now = new Date()
    fill(log, 1)
    expect(log.prune(yearsAgo(5), staff)).toEqual({ removed: 2 })
    expect(() =>
      d
        .prepare(
          `INSERT OR REPLACE INTO audit_anchor (id, seq, hash, pruned_at)
           VALUES (1, 0, '${GENESIS_HASH}', '2001-01-01T00:00:00.000Z')`,
        )
        .run(),
    ).toThrow(/UPDATE only/)
    expect(log.start()).toMatchObject({ seq: 3 })
    // A second prune moves the anchor on, by UPDATE.
    expect(log.prune(yearsAgo(3.5), staff)).toEqual({ removed: 2 })
    expect(log.start()).toMatchObject({ seq: 5 })
    expect(log.verify()).toMatchObject({ ok: true, firstSeq: 5, checked: 3 })
  })

  it('a clock stepped back does not stop the window: the entry takes the tail’s time', () => {
    const d = db()
    let now = new Date('2026-03-02T02:00:00.000Z')
    const log = new AuditLog({ db: d, terminal: 'T1', now: () => now })
    fill(log, 1)
    now = new Date('2026-03-02T01:00:00.000Z')
    fill(log, 1)
    const [later, first] = log.list()
    expect(later!.at).toBe(first!.at)
    expect(log.verify()).toMatchObject({ ok: true, checked: 2 })
  })
})

describe('queries and export', () => {
  it('filters by Shanghai calendar day and action', () => {
    const d = db()
    let now = new Date('2026-03-01T15:59:00Z') // 23:59 in Shanghai, 1 March
    const log = new AuditLog({ db: d, terminal: 'T1', now: () => now })
    fill(log, 1)
    now = new Date('2026-03-01T16:01:00Z') // 00:01 on 2 March
    fill(log, 2)
    expect(log.list({ from: '2026-03-02' })).toHaveLength(2)
    expect(log.list({ to: '2026-03-01' })).toHaveLength(1)
    expect(log.list({ from: '2026-03-02', action: 'preview' })).toHaveLength(1)
    // A Shanghai day runs from 16:00 UTC the day before; its end is the next day's start.
    expect(shanghaiDayStart('2026-03-02')).toBe('2026-03-01T16:00:00.000Z')
    expect(shanghaiDayAfter('2026-03-02')).toBe('2026-03-02T16:00:00.000Z')
    expect(shanghaiDayAfter('2026-12-31')).toBe(shanghaiDayStart('2027-01-01'))
  })

  it('CSV cells cannot smuggle formulas and survive commas, quotes and newlines', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('行1\n行2')).toBe('"行1\n行2"')
    expect(csvCell('410105********0032')).toBe('410105********0032')
    const log = new AuditLog({ db: db(), terminal: 'T1' })
    fill(log, 2)
    const text = [...csvLines(log.iterate())].join('')
    expect(text.startsWith('\uFEFF序号,')).toBe(true)
    expect(text.split('\r\n')).toHaveLength(5)
  })
})

describe('who', () => {
  it('records the staff certificate, and never a staff member’s full ID number', () => {
    const log = new AuditLog({ db: db(), terminal: 'T1' })
    log.append({
      action: 'list',
      staff: {
        name: '窗口甲',
        code: '410105198001010013',
        role: 'clerk',
        certificate: { serialNumber: '1A2B3C', issuer: 'CN=河南CA' },
      },
      result: 'ok',
    })
    log.append({
      action: 'list',
      staff: { name: '窗口乙', code: '410105198001010013', role: 'clerk' },
      result: 'ok',
    })
    const [second, first] = log.list()
    expect(first!.staffCert).toBe('1A2B3C@CN=河南CA')
    expect(second!.staffCert).toBe('410105********0013')
  })
})
