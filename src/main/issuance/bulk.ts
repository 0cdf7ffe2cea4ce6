/**
 * One-time bulk issuance by a supervisor (art. 14: pushed within five working days). The list is
 * read and every row checked before anything is stored; a clean list becomes a batch in SQLite —
 * the rows sealed, an identifier reserved for each — and its first licence is rendered exactly as
 * it will be signed. Signing works through the batch one licence at a time: composed, sealed with
 * the chosen key, then licence, outbox item and the row's `issued` mark in one transaction.
 *
 * So a batch can stop anywhere — cancelled between licences, a key pulled out, the process killed
 * — and its rows still say which were issued under which identifier. Resuming issues only the rows
 * still pending, under the identifiers reserved for them: a row is never issued twice (the row's
 * mark, and the licence's primary key, would refuse it).
 */
import { randomUUID } from 'node:crypto'
import {
  holderIdentityTypeName,
  type BulkBatchView,
  type BulkCheck,
  type BulkDetail,
  type BulkImportResult,
  type BulkRowView,
  type LicenceTemplate,
  type SignerChoice,
} from '../../shared/domain'
import { CounterError, isCounterError } from '../../shared/errors'
import { shanghaiDate } from '../../shared/time'
import type { Staff } from '../auth'
import { sm3 } from '../crypto'
import { processOwner, type Db } from '../db'
import type { Logger } from '../log'
import { checkBulkList, type BulkRowData } from './bulk-rows'
import {
  BulkStore,
  RowTakenError,
  STOP_CANCELLED,
  STOP_SHUTDOWN,
  type NewRow,
  type StoredRow,
} from './bulk-store'
import { composeInput, licenceNumber } from './compose'
import type { Sealer } from './data-key'
import type { ComposeInput, IssuanceDocuments } from './documents'
import { licenceIdentifier, nextSerial } from './identifiers'
import {
  maskHolderCode,
  maskName,
  staffRef,
  type IssuanceService,
  type IssuerInfo,
} from './service'
import type { TemplateStore } from './templates'

export interface BulkDeps {
  readonly db: Db
  readonly templates: TemplateStore
  readonly sealer: Sealer
  readonly documents: IssuanceDocuments
  readonly service: IssuanceService
  readonly issuer: IssuerInfo
  readonly logger: Logger
  readonly staff: () => Staff | null
  /** Each step of a running batch, and every change of state. */
  readonly onProgress?: (view: BulkBatchView) => void
  /** After licences were queued (wakes the pusher). */
  readonly queued?: () => void
  readonly now?: () => number
  /** Who works on a batch here (tests stand in for a second process). */
  readonly owner?: string
}

/** Problems listed in a check; the count covers all of them. */
const MAX_PROBLEMS_LISTED = 1000
const ROWS_SHOWN = 500
/** Wake the pusher after this many licences, not after each one. */
const QUEUE_EVERY = 10

interface Running {
  readonly batchNo: string
  readonly abort: AbortController
  done?: Promise<void>
  currentRow?: number
}

export class BulkIssuance {
  readonly store: BulkStore
  private running: Running | undefined
  private readonly now: () => number
  private readonly owner: string

  constructor(private readonly d: BulkDeps) {
    this.store = new BulkStore(d.db, d.sealer)
    this.now = d.now ?? Date.now
    this.owner = d.owner ?? processOwner()
  }

  /** Bulk holders are not identified at the window, so only a supervisor may issue to them. */
  private requireSupervisor(): Staff {
    const staff = this.d.staff()
    if (!staff) throw new CounterError('AUTH_REQUIRED')
    if (staff.role !== 'supervisor') throw new CounterError('ISSUANCE_BULK_SUPERVISOR_ONLY')
    return staff
  }

  /** Reads and checks a list for a type: every problem, and the rows when there is none. */
  check(
    typeCode: string,
    file: { fileName: string; bytes: Uint8Array },
  ): { check: BulkCheck; rows: BulkRowData[]; template: LicenceTemplate } {
    const template = this.d.templates.get(typeCode)
    const today = shanghaiDate(this.now())
    return { ...checkBulkList(template, file, today, MAX_PROBLEMS_LISTED), template }
  }

  /**
   * Checks a list and, when every row is right, stores it as a batch with an identifier reserved
   * for each row. A list with any problem stores and reserves nothing.
   */
  async import(
    typeCode: string,
    file: { fileName: string; bytes: Uint8Array },
  ): Promise<BulkImportResult> {
    const staff = this.requireSupervisor()
    const { check, rows, template } = this.check(typeCode, file)
    if (check.problemCount > 0) {
      this.d.logger.info('bulk list refused', {
        type: typeCode,
        rows: check.rows,
        problems: check.problemCount,
      })
      return { kind: 'problems', check }
    }
    const nowMs = this.now()
    const batchNo = `B${shanghaiDate(nowMs).replace(/-/g, '')}-${randomUUID().slice(0, 8).toUpperCase()}`
    const { terminalId, code: issuerCode } = this.d.issuer
    this.d.db.transaction(() => {
      const reserved: NewRow[] = rows.map((r) => {
        const serial = nextSerial(this.d.db, terminalId, nowMs)
        return {
          ...r,
          identifier: licenceIdentifier(template.typeCode, issuerCode, serial),
          number: licenceNumber(template, serial, r.values),
          holderMasked: maskHolderCode(r.holderCode, r.holderType),
          holderNameMasked: maskName(r.holderName, r.holderType),
        }
      })
      this.store.insert({
        batchNo,
        template,
        fileName: file.fileName,
        fileSm3: Buffer.from(sm3(file.bytes)).toString('hex'),
        encoding: check.encoding,
        createdAt: new Date(nowMs).toISOString(),
        createdBy: staffRef(staff),
        rows: reserved,
      })
    })()
    this.d.logger.info('bulk batch stored', {
      batch: batchNo,
      type: typeCode,
      rows: rows.length,
      encoding: check.encoding,
    })
    return { kind: 'ready', check, detail: await this.detail(batchNo) }
  }

  view(batchNo: string): BulkBatchView {
    const mine = this.running?.batchNo === batchNo
    return this.store.view(batchNo, mine, this.now(), mine ? this.running?.currentRow : undefined)
  }

  list(limit = 20): BulkBatchView[] {
    this.requireSupervisor()
    return this.store.batchNos(limit).map((b) => this.view(b))
  }

  /** A stored row's licence, under the identifier and number reserved for it. */
  private composeInput(
    t: LicenceTemplate,
    stored: StoredRow,
    data: BulkRowData,
    issuedOn: string,
  ): ComposeInput {
    return composeInput({
      template: t,
      identifier: stored.identifier,
      number: stored.number,
      issuer: this.d.issuer,
      holder: { name: data.holderName, code: data.holderCode, identityType: data.holderType },
      values: data.values,
      issuedOn,
      validFrom: data.validFrom,
      validTo: data.validTo,
    })
  }

  /** The batch with its first rows (numbers masked) and, while rows are left, the next licence rendered. */
  async detail(batchNo: string): Promise<BulkDetail> {
    this.requireSupervisor()
    const batch = this.view(batchNo)
    const t = this.store.template(batchNo)
    const masked = new Set(
      t.fields.filter((f) => f.kind === 'citizen-id' || f.prefill === 'holder.code'),
    )
    const rows: BulkRowView[] = this.store.rows(batchNo, ROWS_SHOWN).map((r) => {
      const data = this.store.openRow(batchNo, r)
      const values: Record<string, string> = {}
      for (const f of t.fields) {
        const v = data.values[f.key] ?? ''
        values[f.key] = masked.has(f) ? maskHolderCode(v, data.holderType) : v
      }
      return {
        seq: r.seq,
        row: r.fileRow,
        holderName: data.holderName,
        holderCodeMasked: r.holderMasked,
        holderTypeName: holderIdentityTypeName(data.holderType),
        values,
        validFrom: data.validFrom,
        validTo: data.validTo,
        identifier: r.identifier,
        number: r.number,
        state: r.state,
        ...(r.issuedAt ? { issuedAt: r.issuedAt } : {}),
      }
    })
    const next = this.store.nextPending(batchNo)
    if (!next || batch.state === 'closed') return { batch, rows }
    const issuedOn = shanghaiDate(this.now())
    const unsigned = await this.d.documents.compose(
      this.composeInput(t, next, this.store.openRow(batchNo, next), issuedOn),
    )
    const pages = await this.d.documents.render(unsigned)
    return {
      batch,
      rows,
      preview: {
        row: next.fileRow,
        identifier: next.identifier,
        number: next.number,
        issuedOn,
        pages: pages.map((p) => ({ widthMm: p.widthMm, heightMm: p.heightMm, image: p.image })),
      },
    }
  }

  /**
   * Starts (or resumes) signing a batch in the background; progress comes through `onProgress`.
   * One batch at a time in this process, and never one that another live process is working on.
   */
  run(batchNo: string, signer: SignerChoice): BulkBatchView {
    const staff = this.requireSupervisor()
    if (this.running)
      throw new CounterError('ISSUANCE_BULK_RUNNING', { params: { batch: this.running.batchNo } })
    const from = this.store.claim(batchNo, this.owner, false, this.now())
    const running: Running = { batchNo, abort: new AbortController() }
    this.running = running
    this.d.logger.info('bulk batch signing', { batch: batchNo, from, by: staffRef(staff) })
    running.done = this.work(running, signer, staff)
      .catch((error: unknown) => {
        // Anything not handled per licence: the batch stops, resumable, with the reason.
        this.d.logger.error('bulk batch stopped by an unexpected error', { batch: batchNo, error })
        this.store.finish(batchNo, this.owner, this.now(), { state: 'stopped', code: 'INTERNAL' })
      })
      .finally(() => {
        if (this.running === running) this.running = undefined
        this.emit(batchNo)
        this.d.queued?.()
      })
    const view = this.view(batchNo)
    this.d.onProgress?.(view)
    return view
  }

  /** Stops the running batch after the licence in hand; an idle cut-off one is recorded cancelled. */
  cancel(batchNo: string): BulkBatchView {
    this.requireSupervisor()
    if (this.running?.batchNo === batchNo) this.running.abort.abort(STOP_CANCELLED)
    else this.store.cancelIdle(batchNo, false, this.now())
    const view = this.view(batchNo)
    this.d.onProgress?.(view)
    return view
  }

  /** Ends a batch that is not running: the rows not issued are given up. */
  close(batchNo: string): BulkBatchView {
    this.requireSupervisor()
    this.store.close(batchNo, this.running?.batchNo === batchNo, this.now())
    this.d.logger.info('bulk batch closed', { batch: batchNo })
    const view = this.view(batchNo)
    this.d.onProgress?.(view)
    return view
  }

  /** Resolves when the batch running here (if any) has stopped. */
  async settle(): Promise<void> {
    await this.running?.done
  }

  /** The app is closing: stop after the licence in hand; the batch shows as interrupted. */
  async shutdown(): Promise<void> {
    this.running?.abort.abort(STOP_SHUTDOWN)
    await this.settle()
  }

  private emit(batchNo: string): void {
    try {
      this.d.onProgress?.(this.view(batchNo))
    } catch (error) {
      this.d.logger.warn('bulk progress not delivered', { error })
    }
  }

  private async work(running: Running, signer: SignerChoice, staff: Staff): Promise<void> {
    const { batchNo, abort } = running
    const t = this.store.template(batchNo)
    let issued = 0
    for (;;) {
      if (abort.signal.aborted) {
        const reason = abort.signal.reason === STOP_SHUTDOWN ? STOP_SHUTDOWN : STOP_CANCELLED
        this.store.finish(batchNo, this.owner, this.now(), { state: 'stopped', code: reason })
        this.d.logger.info('bulk batch stopped', { batch: batchNo, reason, issued })
        return
      }
      // Someone else took the batch over (we were thought dead): leave it to them.
      if (!this.store.beat(batchNo, this.owner, this.now())) {
        this.d.logger.warn('bulk batch taken over by another process', { batch: batchNo })
        return
      }
      const row = this.store.nextPending(batchNo)
      if (!row) {
        this.store.finish(batchNo, this.owner, this.now(), { state: 'done' })
        this.d.logger.info('bulk batch done', { batch: batchNo, issued })
        return
      }
      running.currentRow = row.fileRow
      this.emit(batchNo)
      try {
        await this.issueRow(batchNo, t, row, signer, staff)
        issued++
        if (issued % QUEUE_EVERY === 0) this.d.queued?.()
      } catch (error) {
        if (error instanceof RowTakenError) {
          this.d.logger.warn('bulk row issued elsewhere', { batch: batchNo, row: row.fileRow })
          continue
        }
        const code = isCounterError(error) ? error.code : 'INTERNAL'
        const params = isCounterError(error) ? error.params : undefined
        this.d.logger.warn('bulk batch stopped by an error', {
          batch: batchNo,
          row: row.fileRow,
          code,
          ...(isCounterError(error) ? {} : { error }),
        })
        this.store.finish(batchNo, this.owner, this.now(), {
          state: 'stopped',
          code,
          ...(params ? { params } : {}),
          row: row.fileRow,
        })
        return
      }
    }
  }

  /** One licence: composed, sealed, then recorded with its outbox item and the row's mark. */
  private async issueRow(
    batchNo: string,
    t: LicenceTemplate,
    row: StoredRow,
    signer: SignerChoice,
    staff: Staff,
  ): Promise<void> {
    const data = this.store.openRow(batchNo, row)
    const input = this.composeInput(t, row, data, shanghaiDate(this.now()))
    const unsigned = await this.d.documents.compose(input)
    const signed = await this.d.documents.sign(unsigned, signer, { identifier: row.identifier })
    this.d.service.record(t, input, signed, {
      mode: 'bulk',
      staff,
      batchNo,
      within: () => this.store.markIssued(batchNo, row.seq, new Date(this.now()).toISOString()),
    })
  }
}
