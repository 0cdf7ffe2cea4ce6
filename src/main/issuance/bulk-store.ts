/**
 * Bulk batches in SQLite: the batch with the catalogue entry it was checked against, and its rows
 * with the identifiers reserved for them and their personal data sealed (`bulk:<batch>:<seq>`).
 * Who is working on a batch is recorded as an owner (host and process) with a heartbeat, so a
 * batch whose process died shows as interrupted and can be taken over — by one process only.
 */
import type { BulkBatchState, BulkBatchView, LicenceTemplate } from '../../shared/domain'
import { CounterError, describeError } from '../../shared/errors'
import { localPid, processAlive, processOwner, type Db } from '../db'
import type { BulkRowData } from './bulk-rows'
import type { Sealer } from './data-key'

/** A running batch whose heartbeat is older than this was cut off (crash, power loss, kill). */
export const BULK_STALE_MS = 2 * 60_000

export type StoredState = 'ready' | 'running' | 'stopped' | 'done' | 'closed'

/** Why a batch stopped, when it is not an error code. */
export const STOP_CANCELLED = 'cancelled'
export const STOP_SHUTDOWN = 'shutdown'

interface BatchRow {
  batch_no: string
  type_code: string
  type_name: string
  template: string
  file_name: string
  file_sm3: string
  encoding: string
  total: number
  state: StoredState
  stop_code: string | null
  stop_params: string | null
  stop_row: number | null
  created_at: string
  created_by: string
  started_at: string | null
  finished_at: string | null
  owner: string | null
  heartbeat: string | null
}

export interface StoredRow {
  readonly seq: number
  readonly fileRow: number
  readonly identifier: string
  readonly number: string
  readonly holderType: string
  readonly holderMasked: string
  readonly holderNameMasked: string
  readonly box: Buffer
  readonly state: 'pending' | 'issued'
  readonly issuedAt: string | null
}

interface RawRow {
  seq: number
  file_row: number
  identifier: string
  number: string
  holder_type: string
  holder_masked: string
  holder_name_masked: string
  row_box: Buffer
  state: 'pending' | 'issued'
  issued_at: string | null
}

const toStored = (r: RawRow): StoredRow => ({
  seq: r.seq,
  fileRow: r.file_row,
  identifier: r.identifier,
  number: r.number,
  holderType: r.holder_type,
  holderMasked: r.holder_masked,
  holderNameMasked: r.holder_name_masked,
  box: r.row_box,
  state: r.state,
  issuedAt: r.issued_at,
})

export const rowAad = (batchNo: string, seq: number) => `bulk:${batchNo}:${seq}`

/** Whether the process that owns a batch is gone (only knowable on this host). */
function ownerGone(owner: string): boolean {
  const pid = localPid(owner)
  return pid !== undefined && !processAlive(pid)
}

export interface NewRow extends BulkRowData {
  readonly identifier: string
  readonly number: string
  readonly holderMasked: string
  readonly holderNameMasked: string
}

export class BulkStore {
  constructor(
    readonly db: Db,
    private readonly sealer: Sealer,
  ) {}

  /** Stores a checked batch; call inside the transaction that reserved its identifiers. */
  insert(b: {
    batchNo: string
    template: LicenceTemplate
    fileName: string
    fileSm3: string
    encoding: string
    createdAt: string
    createdBy: string
    rows: readonly NewRow[]
  }): void {
    this.db
      .prepare(
        `INSERT INTO issuance_batches (batch_no, type_code, type_name, template, file_name, file_sm3,
           encoding, total, state, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?)`,
      )
      .run(
        b.batchNo,
        b.template.typeCode,
        b.template.name,
        JSON.stringify(b.template),
        b.fileName,
        b.fileSm3,
        b.encoding,
        b.rows.length,
        b.createdAt,
        b.createdBy,
      )
    const insert = this.db.prepare(
      `INSERT INTO issuance_batch_rows (batch_no, seq, file_row, identifier, number, holder_type,
         holder_masked, holder_name_masked, row_box, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    )
    b.rows.forEach((r, seq) => {
      const data: BulkRowData = {
        row: r.row,
        holderName: r.holderName,
        holderCode: r.holderCode,
        holderType: r.holderType,
        values: r.values,
        validFrom: r.validFrom,
        validTo: r.validTo,
      }
      insert.run(
        b.batchNo,
        seq,
        r.row,
        r.identifier,
        r.number,
        r.holderType,
        r.holderMasked,
        r.holderNameMasked,
        this.sealer.sealJson(data, rowAad(b.batchNo, seq)),
      )
    })
  }

  private batch(batchNo: string): BatchRow {
    const row = this.db
      .prepare('SELECT * FROM issuance_batches WHERE batch_no = ?')
      .get(batchNo) as BatchRow | undefined
    if (!row) throw new CounterError('ISSUANCE_BULK_NOT_FOUND', { params: { batch: batchNo } })
    return row
  }

  template(batchNo: string): LicenceTemplate {
    return JSON.parse(this.batch(batchNo).template) as LicenceTemplate
  }

  /** The state a batch is in, as the supervisor should see it. `mine`: running in this process. */
  private viewState(b: BatchRow, mine: boolean, nowMs: number): BulkBatchState {
    switch (b.state) {
      case 'ready':
      case 'done':
      case 'closed':
        return b.state
      case 'stopped':
        return b.stop_code === STOP_CANCELLED
          ? 'cancelled'
          : b.stop_code === STOP_SHUTDOWN
            ? 'interrupted'
            : 'failed'
      case 'running':
        if (mine) return 'running'
        if (b.owner === processOwner() || !b.owner || ownerGone(b.owner)) return 'interrupted'
        return nowMs - Date.parse(b.heartbeat ?? b.started_at ?? b.created_at) > BULK_STALE_MS
          ? 'interrupted'
          : 'running'
    }
  }

  view(batchNo: string, mine: boolean, nowMs: number, currentRow?: number): BulkBatchView {
    const b = this.batch(batchNo)
    const done = (
      this.db
        .prepare(
          "SELECT COUNT(*) AS n FROM issuance_batch_rows WHERE batch_no = ? AND state = 'issued'",
        )
        .get(batchNo) as { n: number }
    ).n
    const state = this.viewState(b, mine, nowMs)
    const error =
      state === 'failed' && b.stop_code
        ? {
            code: b.stop_code,
            ...describeError(
              b.stop_code,
              b.stop_params
                ? (JSON.parse(b.stop_params) as Record<string, string | number>)
                : undefined,
            ),
          }
        : undefined
    return {
      batchNo: b.batch_no,
      typeCode: b.type_code,
      typeName: b.type_name,
      fileName: b.file_name,
      state,
      done,
      total: b.total,
      createdAt: b.created_at,
      createdBy: b.created_by,
      ...(b.started_at ? { startedAt: b.started_at } : {}),
      ...(b.finished_at ? { finishedAt: b.finished_at } : {}),
      ...(state === 'running' && currentRow !== undefined ? { currentRow } : {}),
      ...(error ? { error: { ...error, ...(b.stop_row ? { row: b.stop_row } : {}) } } : {}),
    }
  }

  batchNos(limit: number): string[] {
    return (
      this.db
        .prepare('SELECT batch_no FROM issuance_batches ORDER BY created_at DESC LIMIT ?')
        .all(limit) as { batch_no: string }[]
    ).map((r) => r.batch_no)
  }

  rows(batchNo: string, limit = 500): StoredRow[] {
    return (
      this.db
        .prepare('SELECT * FROM issuance_batch_rows WHERE batch_no = ? ORDER BY seq LIMIT ?')
        .all(batchNo, limit) as RawRow[]
    ).map(toStored)
  }

  nextPending(batchNo: string): StoredRow | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM issuance_batch_rows WHERE batch_no = ? AND state = 'pending'
         ORDER BY seq LIMIT 1`,
      )
      .get(batchNo) as RawRow | undefined
    return r ? toStored(r) : undefined
  }

  openRow(batchNo: string, row: StoredRow): BulkRowData {
    return this.sealer.openJson<BulkRowData>(row.box, rowAad(batchNo, row.seq))
  }

  /**
   * The row is issued. Runs inside the licence's transaction; a row that is not pending any more
   * (another process issued it) throws, so that transaction — licence and outbox item — rolls back.
   */
  markIssued(batchNo: string, seq: number, at: string): void {
    const changed = this.db
      .prepare(
        `UPDATE issuance_batch_rows SET state = 'issued', issued_at = ?
         WHERE batch_no = ? AND seq = ? AND state = 'pending'`,
      )
      .run(at, batchNo, seq).changes
    if (changed !== 1) throw new RowTakenError(batchNo, seq)
  }

  /**
   * Takes the batch for this process, atomically: refused while it runs elsewhere (or here), or
   * when it is finished. Returns the state it was taken from.
   */
  claim(batchNo: string, owner: string, mine: boolean, nowMs: number): BulkBatchState {
    return this.db
      .transaction(() => {
        const b = this.batch(batchNo)
        const state = this.viewState(b, mine, nowMs)
        if (state === 'running')
          throw new CounterError('ISSUANCE_BULK_RUNNING', { params: { batch: batchNo } })
        if (state === 'done' || state === 'closed')
          throw new CounterError('ISSUANCE_BULK_NOT_RESUMABLE', {
            params: { state: state === 'done' ? '全部签发' : '结束' },
          })
        const at = new Date(nowMs).toISOString()
        this.db
          .prepare(
            `UPDATE issuance_batches SET state = 'running', owner = ?, heartbeat = ?,
               started_at = COALESCE(started_at, ?), stop_code = NULL, stop_params = NULL,
               stop_row = NULL, finished_at = NULL
             WHERE batch_no = ?`,
          )
          .run(owner, at, at, batchNo)
        return state
      })
      .immediate()
  }

  /** Still ours? Refreshes the heartbeat; false when another process took the batch over. */
  beat(batchNo: string, owner: string, nowMs: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE issuance_batches SET heartbeat = ? WHERE batch_no = ? AND owner = ? AND state = 'running'`,
        )
        .run(new Date(nowMs).toISOString(), batchNo, owner).changes === 1
    )
  }

  /** Ends this process's run: done, or stopped with a reason (and the file row it stopped at). */
  finish(
    batchNo: string,
    owner: string,
    nowMs: number,
    outcome:
      | { state: 'done' }
      | {
          state: 'stopped'
          code: string
          params?: Readonly<Record<string, string | number>>
          row?: number
        },
  ): void {
    const stopped = outcome.state === 'stopped' ? outcome : undefined
    this.db
      .prepare(
        `UPDATE issuance_batches SET state = ?, stop_code = ?, stop_params = ?, stop_row = ?,
           finished_at = ?, owner = NULL
         WHERE batch_no = ? AND owner = ? AND state = 'running'`,
      )
      .run(
        outcome.state,
        stopped?.code ?? null,
        stopped?.params ? JSON.stringify(stopped.params) : null,
        stopped?.row ?? null,
        new Date(nowMs).toISOString(),
        batchNo,
        owner,
      )
  }

  /** A cut-off or stopped batch is set aside for good: what was not issued never will be. */
  close(batchNo: string, mine: boolean, nowMs: number): void {
    this.db
      .transaction(() => {
        const b = this.batch(batchNo)
        const state = this.viewState(b, mine, nowMs)
        if (state === 'running')
          throw new CounterError('ISSUANCE_BULK_RUNNING', { params: { batch: batchNo } })
        if (state === 'done' || state === 'closed') return
        this.db
          .prepare(
            `UPDATE issuance_batches SET state = 'closed', owner = NULL, finished_at = ?
             WHERE batch_no = ?`,
          )
          .run(new Date(nowMs).toISOString(), batchNo)
      })
      .immediate()
  }

  /** A cut-off batch (its process gone) is recorded as cancelled when the supervisor cancels it. */
  cancelIdle(batchNo: string, mine: boolean, nowMs: number): void {
    this.db
      .transaction(() => {
        const b = this.batch(batchNo)
        const state = this.viewState(b, mine, nowMs)
        if (state !== 'interrupted' && state !== 'ready') return
        this.db
          .prepare(
            `UPDATE issuance_batches SET state = 'stopped', stop_code = ?, stop_params = NULL, stop_row = NULL,
               owner = NULL, finished_at = ?
             WHERE batch_no = ?`,
          )
          .run(STOP_CANCELLED, new Date(nowMs).toISOString(), batchNo)
      })
      .immediate()
  }
}

/** The row was issued by someone else in the meantime (a second process on the same batch). */
export class RowTakenError extends Error {
  constructor(
    readonly batchNo: string,
    readonly seq: number,
  ) {
    super(`bulk row ${batchNo}#${seq} is not pending any more`)
  }
}
