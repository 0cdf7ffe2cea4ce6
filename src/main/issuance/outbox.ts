/**
 * The transactional outbox. A change to a licence (its issuance, each status change) is written
 * here in the same SQLite transaction as the record it changes, so either both survive a power cut
 * or neither does. Pushers claim items under a short lease, deliver them at least once, and the
 * receiver drops repeats by the item's idempotency key (the exchange row guid).
 *
 * Order: changes to one licence go out one at a time, in the order they happened — a status change
 * is never offered before the issuance it changes has been accepted.
 */
import { randomUUID } from 'node:crypto'
import type { IssueMode, StatusAction } from '../../shared/domain'
import { localPid, processAlive, processOwner, type Db } from '../db'
import { shanghaiDate } from '../../shared/time'
import type { Sealer } from './data-key'

/** GB/T 36903 metadata as the exchange carries it, for one change. Sealed at rest. */
export interface ExchangeRecord {
  readonly kind: 'issue' | 'status'
  readonly action?: StatusAction
  readonly licenseName: string
  readonly licenseTypeCode: string
  readonly licenseTypeName: string
  readonly licenseNumber: string
  readonly licenseIdentifier: string
  readonly issuerName: string
  readonly issuerCode: string
  /** `YYYY-MM-DD`. */
  readonly issueDate: string
  readonly holderName: string
  readonly holderCode: string
  readonly holderCodeType: string
  readonly holderCodeTypeName: string
  readonly validFrom: string
  /** `YYYY-MM-DD` or `长期`. */
  readonly validTo: string
  readonly signerName?: string
  readonly signTime?: string
  readonly sealName?: string
  readonly regionCode: string
  readonly status: string
  readonly statusReason?: string
  readonly faceData: Readonly<Record<string, string>>
  readonly issueMode: IssueMode
  readonly completedAt: string
  readonly terminalId: string
}

export interface OutboxDeadline {
  readonly at: string
  readonly ms: number
  readonly provisional: boolean
}

export interface OutboxEntry {
  readonly kind: 'issue' | 'status'
  readonly action?: StatusAction
  readonly identifier: string
  readonly typeCode: string
  readonly typeName: string
  readonly holderMasked: string
  readonly mode: IssueMode
  /** The exchange row's version: 1 for the issuance, +1 for each later change. */
  readonly version: number
  readonly operation: 'I' | 'U' | 'D'
  readonly record: ExchangeRecord
  /** The signed OFD, for an issuance. */
  readonly document?: Uint8Array
  readonly documentSm3?: string
  readonly completedAtMs: number
  readonly deadline: OutboxDeadline
  readonly batchNo?: string
}

/** An item as a pusher gets it: decrypted, for the length of one delivery attempt. */
export interface ClaimedItem {
  readonly id: number
  readonly idempotencyKey: string
  readonly kind: 'issue' | 'status'
  readonly identifier: string
  readonly version: number
  readonly operation: 'I' | 'U' | 'D'
  readonly mode: IssueMode
  readonly attempts: number
  readonly record: ExchangeRecord
  readonly document?: Buffer
  readonly documentSm3?: string
  readonly completedAt: string
  readonly deadline: string
  readonly deadlineMs: number
  readonly deadlineProvisional: boolean
}

/** An item as the dashboard lists it: nothing personal beyond the masked holder. */
export interface OutboxRow {
  readonly id: number
  readonly kind: 'issue' | 'status'
  readonly action: StatusAction | null
  readonly identifier: string
  readonly typeName: string
  readonly holderMasked: string
  readonly mode: IssueMode
  readonly completedAt: string
  readonly deadline: string
  readonly deadlineMs: number
  readonly deadlineProvisional: boolean
  readonly state: 'pending' | 'parked'
  readonly attempts: number
  readonly lastErrorCode: string | null
  readonly lastError: string | null
  readonly nextAttemptMs: number
  readonly leaseUntilMs: number | null
  readonly alerted: boolean
  readonly waitingForEarlier: boolean
}

export interface FailureInfo {
  readonly code: string
  /** Clerk-facing, no personal data. */
  readonly message: string
}

const ROW_COLUMNS = `o.id, o.kind, o.action, o.identifier, o.type_name AS typeName,
  o.holder_masked AS holderMasked, o.mode, o.completed_at AS completedAt, o.deadline,
  o.deadline_ms AS deadlineMs, o.deadline_provisional AS deadlineProvisional, o.state, o.attempts,
  o.last_error_code AS lastErrorCode, o.last_error AS lastError, o.next_attempt_ms AS nextAttemptMs,
  o.lease_until_ms AS leaseUntilMs, o.alerted,
  EXISTS (SELECT 1 FROM outbox p WHERE p.identifier = o.identifier AND p.id < o.id) AS waitingForEarlier`

type RawRow = Omit<OutboxRow, 'deadlineProvisional' | 'alerted' | 'waitingForEarlier'> & {
  deadlineProvisional: number
  alerted: number
  waitingForEarlier: number
}

const toRow = (r: RawRow): OutboxRow => ({
  ...r,
  deadlineProvisional: r.deadlineProvisional === 1,
  alerted: r.alerted === 1,
  waitingForEarlier: r.waitingForEarlier === 1,
})

/** Who holds a lease: host, process and start, so a restarted process can tell its dead self's. */
export function leaseOwner(): string {
  return `${processOwner()}:${Date.now()}`
}

export class OutboxStore {
  constructor(
    readonly db: Db,
    private readonly sealer: Sealer,
  ) {}

  /** Adds one change. Call it inside the transaction that writes the record it belongs to. */
  enqueue(e: OutboxEntry): { id: number; idempotencyKey: string } {
    if (!this.db.inTransaction)
      throw new Error('outbox entries are written inside the record’s transaction')
    const key = randomUUID()
    const info = this.db
      .prepare(
        `INSERT INTO outbox (idempotency_key, kind, action, identifier, type_code, type_name,
           holder_masked, mode, version, operation, document_sm3, document_bytes, completed_at,
           deadline, deadline_ms, deadline_provisional, batch_no)
         VALUES (@key, @kind, @action, @identifier, @typeCode, @typeName, @holderMasked, @mode,
           @version, @operation, @documentSm3, @documentBytes, @completedAt, @deadline,
           @deadlineMs, @provisional, @batchNo)`,
      )
      .run({
        key,
        kind: e.kind,
        action: e.action ?? null,
        identifier: e.identifier,
        typeCode: e.typeCode,
        typeName: e.typeName,
        holderMasked: e.holderMasked,
        mode: e.mode,
        version: e.version,
        operation: e.operation,
        documentSm3: e.documentSm3 ?? null,
        documentBytes: e.document?.length ?? 0,
        completedAt: new Date(e.completedAtMs).toISOString(),
        deadline: e.deadline.at,
        deadlineMs: e.deadline.ms,
        provisional: e.deadline.provisional ? 1 : 0,
        batchNo: e.batchNo ?? null,
      })
    const id = Number(info.lastInsertRowid)
    this.db
      .prepare(
        'INSERT INTO outbox_documents (outbox_id, payload_box, document_box) VALUES (?, ?, ?)',
      )
      .run(
        id,
        this.sealer.sealJson(e.record, `outbox:${key}:payload`),
        e.document ? this.sealer.seal(e.document, `outbox:${key}:document`) : null,
      )
    return { id, idempotencyKey: key }
  }

  /**
   * Takes up to `limit` due items (and at most `maxBytes` of documents, but always one) under a
   * lease, earliest deadline first, never two changes of one licence at once. `everything` takes
   * pending items whatever their retry time (an operator's explicit push). Items whose box does
   * not open are returned apart as `broken`, to be parked; a wrong key releases everything and
   * throws, since no item would open.
   */
  claim(
    owner: string,
    limit: number,
    nowMs: number,
    leaseMs: number,
    options: { maxBytes?: number; everything?: boolean } = {},
  ): { items: ClaimedItem[]; broken: { id: number; code: string }[] } {
    const maxBytes = options.maxBytes ?? 8 << 20
    const due = options.everything ? '' : 'AND o.next_attempt_ms <= @now'
    const rows = this.db.transaction(() => {
      const candidates = this.db
        .prepare(
          `SELECT o.id, o.document_bytes AS bytes FROM outbox o
           WHERE o.state = 'pending' ${due}
             AND (o.lease_until_ms IS NULL OR o.lease_until_ms < @now)
             AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.identifier = o.identifier AND p.id < o.id)
           ORDER BY o.deadline_ms, o.id LIMIT @limit`,
        )
        .all({ now: nowMs, limit }) as { id: number; bytes: number }[]
      const ids: number[] = []
      let bytes = 0
      for (const c of candidates) {
        if (ids.length > 0 && bytes + c.bytes > maxBytes) break
        ids.push(c.id)
        bytes += c.bytes
      }
      if (ids.length === 0) return []
      const lease = this.db.prepare(
        'UPDATE outbox SET lease_owner = ?, lease_until_ms = ? WHERE id = ?',
      )
      for (const id of ids) lease.run(owner, nowMs + leaseMs, id)
      return this.db
        .prepare(
          `SELECT o.id, o.idempotency_key AS idempotencyKey, o.kind, o.identifier, o.version,
             o.operation, o.mode, o.attempts, d.payload_box AS payload, d.document_box AS document,
             o.document_sm3 AS documentSm3, o.completed_at AS completedAt, o.deadline,
             o.deadline_ms AS deadlineMs, o.deadline_provisional AS deadlineProvisional
           FROM outbox o JOIN outbox_documents d ON d.outbox_id = o.id
           WHERE o.id IN (${ids.map(() => '?').join(',')}) ORDER BY o.deadline_ms, o.id`,
        )
        .all(...ids) as (Omit<ClaimedItem, 'record' | 'document' | 'deadlineProvisional'> & {
        payload: Buffer
        document: Buffer | null
        deadlineProvisional: number
        documentSm3: string | null
      })[]
    })()
    const items: ClaimedItem[] = []
    const broken: { id: number; code: string }[] = []
    for (const r of rows) {
      const { payload, document, documentSm3, deadlineProvisional, ...rest } = r
      try {
        items.push({
          ...rest,
          deadlineProvisional: deadlineProvisional === 1,
          record: this.sealer.openJson<ExchangeRecord>(
            payload,
            `outbox:${r.idempotencyKey}:payload`,
          ),
          ...(document
            ? { document: this.sealer.open(document, `outbox:${r.idempotencyKey}:document`) }
            : {}),
          ...(documentSm3 ? { documentSm3 } : {}),
        })
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'SYNC_ITEM_DAMAGED'
        if (code !== 'SYNC_ITEM_DAMAGED') {
          this.releaseOwn(owner)
          throw error
        }
        broken.push({ id: r.id, code })
      }
    }
    return { items, broken }
  }

  /** Delivered (or already there): into the history, out of the outbox, in one transaction. */
  complete(ids: readonly number[], target: string, nowMs: number): void {
    if (ids.length === 0) return
    const sentAt = new Date(nowMs).toISOString()
    const history = this.db.prepare(
      `INSERT OR IGNORE INTO sync_history (idempotency_key, kind, identifier, type_name, mode,
         completed_at, completed_day, deadline, deadline_ms, sent_at, on_time, target, attempts)
       SELECT idempotency_key, kind, identifier, type_name, mode, completed_at, @day, deadline,
         deadline_ms, @sentAt, CASE WHEN @now <= deadline_ms THEN 1 ELSE 0 END, @target, attempts + 1
       FROM outbox WHERE id = @id`,
    )
    const completedAt = this.db.prepare('SELECT completed_at FROM outbox WHERE id = ?')
    const remove = this.db.prepare('DELETE FROM outbox WHERE id = ?')
    this.db.transaction(() => {
      for (const id of ids) {
        const row = completedAt.get(id) as { completed_at: string } | undefined
        if (!row) continue
        history.run({
          id,
          day: shanghaiDate(new Date(row.completed_at)),
          sentAt,
          now: nowMs,
          target,
        })
        remove.run(id)
      }
    })()
  }

  /** A transient failure: try again after `delayMs(attempts)`. */
  retryLater(
    ids: readonly number[],
    failure: FailureInfo,
    nowMs: number,
    delayMs: (attempts: number) => number,
  ): void {
    const get = this.db.prepare('SELECT attempts FROM outbox WHERE id = ?')
    const update = this.db.prepare(
      `UPDATE outbox SET attempts = @attempts, last_error_code = @code, last_error = @message,
         next_attempt_ms = @next, lease_owner = NULL, lease_until_ms = NULL WHERE id = @id`,
    )
    this.db.transaction(() => {
      for (const id of ids) {
        const row = get.get(id) as { attempts: number } | undefined
        if (!row) continue
        const attempts = row.attempts + 1
        update.run({
          id,
          attempts,
          code: failure.code,
          message: failure.message,
          next: nowMs + delayMs(attempts),
        })
      }
    })()
  }

  /** A rejection: set aside for a supervisor, with the reason. Not retried on its own. */
  park(id: number, failure: FailureInfo, nowMs: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error_code = ?,
           last_error = ?, parked_at = ?, lease_owner = NULL, lease_until_ms = NULL WHERE id = ?`,
      )
      .run(failure.code, failure.message.slice(0, 500), new Date(nowMs).toISOString(), id)
  }

  /** A supervisor's decision to offer parked items again. Returns how many were parked. */
  unpark(ids: readonly number[]): number {
    const stmt = this.db.prepare(
      `UPDATE outbox SET state = 'pending', next_attempt_ms = 0, parked_at = NULL
       WHERE id = ? AND state = 'parked'`,
    )
    return this.db.transaction(() => ids.reduce((n, id) => n + stmt.run(id).changes, 0))()
  }

  /** Leases this process holds go back (a clean stop). */
  releaseOwn(owner: string): void {
    this.db
      .prepare('UPDATE outbox SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner = ?')
      .run(owner)
  }

  /**
   * Leases held by processes on this host that no longer run go back (after a crash), so a
   * restarted pusher does not wait for them to expire. `self` is this process's own owner name:
   * an older name with this process's pid is a previous life of a reused pid.
   */
  releaseDead(self: string, isAlive: (pid: number) => boolean = processAlive): number {
    const owners = (
      this.db
        .prepare('SELECT DISTINCT lease_owner AS owner FROM outbox WHERE lease_owner IS NOT NULL')
        .all() as { owner: string }[]
    ).map((r) => r.owner)
    let released = 0
    for (const owner of owners) {
      if (owner === self) continue
      const pid = localPid(owner)
      if (pid === undefined) continue
      if (pid !== process.pid && isAlive(pid)) continue
      released += this.db
        .prepare(
          'UPDATE outbox SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner = ?',
        )
        .run(owner).changes
    }
    return released
  }

  /**
   * Recomputes stored deadlines after the working-day calendar changed (a year's notice
   * imported): `revise` gets what each queued item's deadline was computed from and returns the
   * deadline by the calendar now, or undefined to keep it. All items change in one transaction, so
   * the dashboard never shows some items on the old calendar and some on the new. An item whose
   * deadline moved later may be alerted again when the new one nears. Returns how many changed.
   */
  reviseDeadlines(
    revise: (item: {
      readonly kind: 'issue' | 'status'
      readonly mode: IssueMode
      readonly completedAtMs: number
      readonly deadlineMs: number
      readonly provisional: boolean
    }) => OutboxDeadline | undefined,
  ): number {
    const select = this.db.prepare(
      `SELECT id, kind, mode, completed_at AS completedAt, deadline_ms AS deadlineMs,
         deadline_provisional AS provisional FROM outbox`,
    )
    const update = this.db.prepare(
      `UPDATE outbox SET deadline = @at, deadline_ms = @ms, deadline_provisional = @provisional,
         alerted = CASE WHEN @ms > deadline_ms THEN 0 ELSE alerted END WHERE id = @id`,
    )
    return this.db.transaction(() => {
      let changed = 0
      for (const r of select.all() as {
        id: number
        kind: 'issue' | 'status'
        mode: IssueMode
        completedAt: string
        deadlineMs: number
        provisional: number
      }[]) {
        const next = revise({
          kind: r.kind,
          mode: r.mode,
          completedAtMs: Date.parse(r.completedAt),
          deadlineMs: r.deadlineMs,
          provisional: r.provisional === 1,
        })
        if (!next || (next.ms === r.deadlineMs && next.provisional === (r.provisional === 1)))
          continue
        update.run({ id: r.id, at: next.at, ms: next.ms, provisional: next.provisional ? 1 : 0 })
        changed++
      }
      return changed
    })()
  }

  markAlerted(ids: readonly number[]): void {
    const stmt = this.db.prepare('UPDATE outbox SET alerted = 1 WHERE id = ?')
    this.db.transaction(() => ids.forEach((id) => stmt.run(id)))()
  }

  rows(filter: { state?: 'pending' | 'parked'; limit?: number } = {}): OutboxRow[] {
    const where = filter.state ? 'WHERE o.state = @state' : ''
    return (
      this.db
        .prepare(
          `SELECT ${ROW_COLUMNS} FROM outbox o ${where} ORDER BY o.deadline_ms, o.id LIMIT @limit`,
        )
        .all({
          ...(filter.state ? { state: filter.state } : {}),
          limit: filter.limit ?? 1000,
        }) as RawRow[]
    ).map(toRow)
  }

  /** Unsent items whose deadline is before `ms`, not yet alerted. */
  unalertedBefore(ms: number): OutboxRow[] {
    return (
      this.db
        .prepare(
          `SELECT ${ROW_COLUMNS} FROM outbox o WHERE o.alerted = 0 AND o.deadline_ms <= ? ORDER BY o.deadline_ms`,
        )
        .all(ms) as RawRow[]
    ).map(toRow)
  }

  counts(nowMs: number): { pending: number; inFlight: number; parked: number; total: number } {
    const r = this.db
      .prepare(
        `SELECT
           COALESCE(SUM(state = 'pending' AND (lease_until_ms IS NULL OR lease_until_ms < @now)), 0) AS pending,
           COALESCE(SUM(state = 'pending' AND lease_until_ms >= @now), 0) AS inFlight,
           COALESCE(SUM(state = 'parked'), 0) AS parked,
           COUNT(*) AS total
         FROM outbox`,
      )
      .get({ now: nowMs }) as { pending: number; inFlight: number; parked: number; total: number }
    return r
  }

  /** When the earliest pending item may be tried again (undefined when none is pending). */
  nextAttemptMs(): number | undefined {
    const r = this.db
      .prepare("SELECT MIN(next_attempt_ms) AS next FROM outbox WHERE state = 'pending'")
      .get() as { next: number | null }
    return r.next ?? undefined
  }

  /** Items the pending licence is waiting on, for the issuance list. */
  pendingFor(identifier: string): OutboxRow | undefined {
    const r = this.db
      .prepare(
        `SELECT ${ROW_COLUMNS} FROM outbox o WHERE o.identifier = ? ORDER BY o.id DESC LIMIT 1`,
      )
      .get(identifier) as RawRow | undefined
    return r ? toRow(r) : undefined
  }
}
