/**
 * The access log (rules art. 27) in SQLite: append-only and hash-chained. Every append reads the
 * chain's tail and writes the new entry in one IMMEDIATE transaction, so several writers (the
 * licence module, a supervisor's export) stay on one chain. Triggers refuse updates, refuse
 * deleting entries inside the configured retention (never under three years), and refuse an
 * entry that is not the next one: its seq, time and link must follow the tail, and REPLACE
 * cannot stand in for a delete (migrations 700 and 702).
 */
import type { AuditAction, AuditEntry, AuditQuery, ChainCheck } from '../../shared/domain'
import { CounterError, isCounterError } from '../../shared/errors'
import { maskIdNumber } from '../../shared/ids'
import { shanghaiDayAfter, shanghaiDayStart } from '../../shared/time'
import type { Db } from '../db'
import { redact } from '../log'
import { entryHash, GENESIS_HASH, verifyChain, type ChainStart } from './chain'

/** The floor the rules set; configuration may only lengthen it. */
export const MIN_RETENTION_YEARS = 3

export interface AuditActor {
  readonly name: string
  /** Staff code; stands for the certificate only when there is none (training). */
  readonly code: string
  readonly role: string
  /** The staff certificate the person signed in with: what the log records as "who". */
  readonly certificate?: { readonly serialNumber: string; readonly issuer: string }
}

/**
 * The staff certificate as the log names it: serial number and issuer. A staff code may be a
 * citizen ID number, so without a certificate it is recorded masked.
 */
export function certificateOf(staff: AuditActor): string {
  if (staff.certificate) return `${staff.certificate.serialNumber}@${staff.certificate.issuer}`
  return redact(staff.code)
}

export interface AuditRecord {
  readonly action: AuditAction
  readonly staff: AuditActor | null
  /** The full identity code: it is masked here, before anything is stored. */
  readonly holder?: { readonly code: string; readonly typeCode: string } | null
  readonly matter?: string
  readonly reason?: string
  readonly businessSerial?: string | null
  readonly licences?: readonly string[]
  /** `ok`, `cache`, `refused:<code>`, `failed:<code>`. */
  readonly result: string
  readonly detail?: string
}

export interface AuditLogOptions {
  readonly db: Db
  readonly terminal: string
  readonly retentionYears?: number
  readonly now?: () => Date
}

interface Row {
  seq: number
  at: string
  action: AuditAction
  staff_name: string
  staff_cert: string
  staff_role: string
  terminal: string
  holder: string
  holder_type: string
  matter: string
  reason: string
  business_serial: string
  licences: string
  result: string
  detail: string
  prev_hash: string
  hash: string
}

function fromRow(r: Row): AuditEntry {
  let licences: string[] = []
  try {
    const parsed: unknown = JSON.parse(r.licences)
    if (Array.isArray(parsed)) licences = parsed.map(String)
  } catch {
    // A damaged cell shows up as a hash mismatch in verification; listing still works.
  }
  return {
    seq: r.seq,
    at: r.at,
    action: r.action,
    staffName: r.staff_name,
    staffCert: r.staff_cert,
    staffRole: r.staff_role,
    terminal: r.terminal,
    holder: r.holder,
    holderType: r.holder_type,
    matter: r.matter,
    reason: r.reason,
    businessSerial: r.business_serial,
    licences,
    result: r.result,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

/** What a failed operation is logged as: a refusal of scope or role, or a failure. */
export function auditResult(error: unknown): string {
  const code = isCounterError(error) ? error.code : 'INTERNAL'
  return /^(SCOPE_|ROLE_|AUTH_)/.test(code) ? `refused:${code}` : `failed:${code}`
}

function addYears(d: Date, years: number): Date {
  const x = new Date(d)
  x.setUTCFullYear(x.getUTCFullYear() + years)
  return x
}

export class AuditLog {
  readonly terminal: string
  readonly retentionYears: number
  private readonly db: Db
  private readonly now: () => Date

  constructor(options: AuditLogOptions) {
    this.db = options.db
    this.terminal = options.terminal
    this.retentionYears = Math.max(
      MIN_RETENTION_YEARS,
      options.retentionYears ?? MIN_RETENTION_YEARS,
    )
    this.now = options.now ?? (() => new Date())
    // The database's own retention trigger reads the configured period from here. A reader
    // (`cli audit verify`) names none and writes nothing.
    if (options.retentionYears !== undefined) this.applyRetention()
  }

  private applyRetention(): void {
    try {
      this.db
        .prepare(
          'UPDATE audit_policy SET retention_years = ? WHERE id = 1 AND retention_years != ?',
        )
        .run(this.retentionYears, this.retentionYears)
    } catch (cause) {
      throw new CounterError('AUDIT_WRITE_FAILED', { cause, detail: String(cause) })
    }
  }

  /** The retention the database itself enforces on deletes, in years. */
  enforcedRetentionYears(): number {
    const row = this.db.prepare('SELECT retention_years FROM audit_policy WHERE id = 1').get() as
      { retention_years: number } | undefined
    return Math.max(MIN_RETENTION_YEARS, row?.retention_years ?? MIN_RETENTION_YEARS)
  }

  /** Where the chain starts: after the last pruned entry, or at genesis. */
  start(): ChainStart {
    const anchor = this.db.prepare('SELECT seq, hash FROM audit_anchor WHERE id = 1').get() as
      { seq: number; hash: string } | undefined
    return anchor ? { seq: anchor.seq + 1, hash: anchor.hash } : { seq: 1, hash: GENESIS_HASH }
  }

  /** Appends one entry; throws AUDIT_WRITE_FAILED (and the caller must not go on) if it cannot. */
  append(record: AuditRecord): AuditEntry {
    try {
      return this.db
        .transaction(() => {
          const tail = this.db
            .prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1')
            .get() as { seq: number; hash: string; at: string } | undefined
          const start = this.start()
          const fields = {
            seq: tail ? tail.seq + 1 : start.seq,
            at: this.nextTime(tail?.at),
            action: record.action,
            staffName: record.staff?.name ?? '(未登录)',
            staffCert: record.staff ? certificateOf(record.staff) : '',
            staffRole: record.staff?.role ?? '',
            terminal: this.terminal,
            holder: record.holder ? maskIdNumber(record.holder.code) : '',
            holderType: record.holder?.typeCode ?? '',
            matter: record.matter ?? '',
            reason: record.reason ?? '',
            businessSerial: record.businessSerial ?? '',
            licences: [...(record.licences ?? [])],
            result: record.result,
            detail: redact(record.detail ?? '').slice(0, 500),
            prevHash: tail ? tail.hash : start.hash,
          }
          const entry: AuditEntry = { ...fields, hash: entryHash(fields) }
          this.db
            .prepare(
              `INSERT INTO audit_log (seq, at, action, staff_name, staff_cert, staff_role, terminal,
               holder, holder_type, matter, reason, business_serial, licences, result, detail,
               prev_hash, hash)
             VALUES (@seq, @at, @action, @staffName, @staffCert, @staffRole, @terminal, @holder,
               @holderType, @matter, @reason, @businessSerial, @licences, @result, @detail,
               @prevHash, @hash)`,
            )
            .run({ ...entry, licences: JSON.stringify(entry.licences) })
          return entry
        })
        .immediate()
    } catch (cause) {
      throw new CounterError('AUDIT_WRITE_FAILED', { cause, detail: String(cause) })
    }
  }

  /**
   * The time for the next entry. The database refuses one earlier than the tail, so a clock
   * stepped back (or a pruning made at a later time) stamps the tail's time instead: the window
   * keeps working and the log stays in order.
   */
  private nextTime(tailAt: string | undefined): string {
    const floor =
      tailAt ??
      (
        this.db.prepare('SELECT pruned_at FROM audit_anchor WHERE id = 1').get() as
          { pruned_at: string } | undefined
      )?.pruned_at
    const now = this.now()
    const min = floor ? Date.parse(floor) : NaN
    return Number.isFinite(min) && min > now.getTime()
      ? new Date(min).toISOString()
      : now.toISOString()
  }

  /** Entries matching the query, newest first. */
  list(query: AuditQuery = {}): AuditEntry[] {
    const { where, params } = this.filter(query)
    const rows = this.db
      .prepare(`SELECT * FROM audit_log ${where} ORDER BY seq DESC LIMIT @limit`)
      .all({ ...params, limit: query.limit ?? 500 }) as Row[]
    return rows.map(fromRow)
  }

  /** Entries matching the query, oldest first, without loading them all at once. */
  *iterate(query: Omit<AuditQuery, 'limit'> = {}): Generator<AuditEntry> {
    const { where, params } = this.filter(query)
    const stmt = this.db.prepare(`SELECT * FROM audit_log ${where} ORDER BY seq ASC`)
    for (const r of stmt.iterate(params) as Iterable<Row>) yield fromRow(r)
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
  }

  /** Checks the whole chain from its start. */
  verify(): ChainCheck {
    return verifyChain(this.iterate(), this.start())
  }

  /** The earliest instant whose entries may be deleted: everything at or after it is kept. */
  retentionCutoff(): Date {
    return addYears(this.now(), -this.retentionYears)
  }

  /**
   * Removes entries older than `before`, oldest first, and moves the chain's anchor past them so
   * the rest still verifies. Refused when `before` would reach into the retention period.
   */
  prune(before: Date, actor: AuditActor | null): { removed: number } {
    const cutoff = this.retentionCutoff()
    if (before.getTime() > cutoff.getTime()) {
      throw new CounterError('AUDIT_RETENTION', {
        params: { years: this.retentionYears, cutoff: cutoff.toISOString().slice(0, 10) },
      })
    }
    const removed = this.db
      .transaction(() => {
        const last = this.db
          .prepare('SELECT seq, hash FROM audit_log WHERE at < ? ORDER BY seq DESC LIMIT 1')
          .get(before.toISOString()) as { seq: number; hash: string } | undefined
        if (!last) return 0
        // Only a prefix of the chain may go: anything younger in between would be a hole.
        const n = this.db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(last.seq).changes
        // The anchor is moved by UPDATE; the database refuses a second insert (no REPLACE).
        const anchor = { seq: last.seq, hash: last.hash, at: this.now().toISOString() }
        const moved = this.db
          .prepare('UPDATE audit_anchor SET seq = @seq, hash = @hash, pruned_at = @at WHERE id = 1')
          .run(anchor).changes
        if (moved === 0)
          this.db
            .prepare(
              'INSERT INTO audit_anchor (id, seq, hash, pruned_at) VALUES (1, @seq, @hash, @at)',
            )
            .run(anchor)
        return n
      })
      .immediate()
    this.append({
      action: 'audit-prune',
      staff: actor,
      result: 'ok',
      detail: `removed ${removed} entries before ${before.toISOString()}`,
    })
    return { removed }
  }

  private filter(query: Omit<AuditQuery, 'limit'>): {
    where: string
    params: Record<string, string>
  } {
    const clauses: string[] = []
    const params: Record<string, string> = {}
    if (query.from) {
      clauses.push('at >= @from')
      params.from = shanghaiDayStart(query.from)
    }
    if (query.to) {
      clauses.push('at < @to')
      params.to = shanghaiDayAfter(query.to)
    }
    if (query.action) {
      clauses.push('action = @action')
      params.action = query.action
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
  }
}
