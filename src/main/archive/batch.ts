/**
 * Batches: a supervisor's selection becomes a list of items in SQLite, grouped into files (one
 * per business, or one combined), and is worked through one file at a time. Each file is written
 * under a temporary name and renamed when whole; only then are its prints marked done. A crash
 * leaves the batch `running` with a stale heartbeat: it shows as interrupted and resumes from
 * the first unfinished file, reusing the archive numbers already given (the register hands a
 * copy's pending print back instead of a new one). Cancelling stops after the current copy.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BatchFile, BatchSpec, BatchView } from '../../shared/domain'
import { CounterError, isCounterError } from '../../shared/errors'
import { SHANGHAI_OFFSET_MS } from '../../shared/time'
import { safeFileName } from '../licences'
import { localPid, processAlive, processOwner, type Db } from '../db'
import type { Logger } from '../log'
import type { ArchivePerson } from './compose'
import type { CopyMaker, CopySource } from './copies'
import { ArchivePdf } from './pdf'
import type { ArchiveFonts } from './fonts'
import { mostlyLandscape, type PrintingPort } from './printing'
import { AtomicOutput } from './output'
import type { ArchiveKey } from './qr'
import type { ArchiveRegister } from './register'

/** A batch whose heartbeat is older than this was cut off (crash, power loss, killed CLI). */
const STALE_MS = 2 * 60_000

interface BatchRow {
  id: string
  created_at: string
  staff_name: string
  staff_code: string
  staff_role: string
  spec: string
  state: BatchView['state']
  files: string
  heartbeat: string
  owner: string
  finished_at: string | null
}

interface ItemRow {
  seq: number
  identifier: string
  business_serial: string
  file_group: string
  state: 'pending' | 'done' | 'failed'
  print_id: number | null
  error_code: string | null
  error_message: string | null
}

export interface PlannedItem {
  readonly source: CopySource
  /** Items of one group go into one file. */
  readonly group: string
}

export interface BatchDeps {
  readonly db: Db
  readonly register: ArchiveRegister
  readonly copies: CopyMaker
  readonly fonts: () => ArchiveFonts
  readonly key: () => ArchiveKey
  readonly outputDir: string
  readonly printing?: PrintingPort
  readonly logger: Logger
  readonly now: () => Date
  readonly onProgress?: (view: BatchView) => void
}

const OWNER = processOwner()
const SHUTDOWN = 'shutdown'

/** A batch's process on this computer that no longer runs (a crash, a killed CLI). */
function ownerGone(owner: string): boolean {
  const pid = localPid(owner)
  if (pid === undefined) return false
  // This process owns it but is not running it: the run died with an uncaught error.
  return pid === process.pid || !processAlive(pid)
}

function batchId(at: Date): string {
  const s = new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString()
  return `AB${s.slice(0, 10).replaceAll('-', '')}-${s.slice(11, 19).replaceAll(':', '')}-${randomBytes(2).toString('hex').toUpperCase()}`
}

export class BatchRunner {
  private running: { id: string; abort: AbortController; done: Promise<void> } | undefined

  constructor(private readonly deps: BatchDeps) {}

  private row(id: string): BatchRow {
    const row = this.deps.db.prepare('SELECT * FROM archive_batches WHERE id = ?').get(id) as
      BatchRow | undefined
    if (!row) throw new CounterError('ARCHIVE_BATCH_NOT_FOUND', { params: { id } })
    return row
  }

  private stateOf(row: BatchRow): BatchView['state'] {
    if (row.state !== 'running') return row.state
    if (this.running?.id === row.id) return 'running'
    if (ownerGone(row.owner)) return 'interrupted'
    return this.deps.now().getTime() - Date.parse(row.heartbeat) > STALE_MS
      ? 'interrupted'
      : 'running'
  }

  /** What the batch was asked to do. */
  spec(id: string): BatchSpec {
    return JSON.parse(this.row(id).spec) as BatchSpec
  }

  view(id: string): BatchView {
    const row = this.row(id)
    const items = this.deps.db
      .prepare('SELECT * FROM archive_batch_items WHERE batch_id = ? ORDER BY seq')
      .all(id) as ItemRow[]
    const spec = JSON.parse(row.spec) as BatchSpec
    const current = items.find((i) => i.state === 'pending')
    const state = this.stateOf(row)
    return {
      id: row.id,
      createdAt: row.created_at,
      createdBy: `${row.staff_name}（${row.staff_code}）`,
      state,
      output: spec.output,
      paper: spec.paper,
      total: items.length,
      done: items.filter((i) => i.state === 'done').length,
      failed: items.filter((i) => i.state === 'failed').length,
      ...(state === 'running' && current
        ? {
            current: current.business_serial
              ? `${current.business_serial} · ${current.identifier}`
              : current.identifier,
          }
        : {}),
      files: JSON.parse(row.files) as BatchFile[],
      errors: items
        .filter((i) => i.state === 'failed')
        .map((i) => ({
          identifier: i.identifier,
          businessSerial: i.business_serial,
          code: i.error_code ?? 'INTERNAL',
          message: i.error_message ?? '',
        })),
      ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    }
  }

  list(limit = 20): BatchView[] {
    const ids = this.deps.db
      .prepare('SELECT id FROM archive_batches ORDER BY created_at DESC LIMIT ?')
      .all(limit) as { id: string }[]
    return ids.map((r) => this.view(r.id))
  }

  /** Records the batch and its items, then works on it in the background. */
  start(spec: BatchSpec, items: readonly PlannedItem[], actor: ArchivePerson): BatchView {
    if (this.running)
      throw new CounterError('ARCHIVE_BATCH_RUNNING', { params: { id: this.running.id } })
    if (items.length === 0) throw new CounterError('ARCHIVE_NOTHING_SELECTED')
    const at = this.deps.now()
    const id = batchId(at)
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare(
          `INSERT INTO archive_batches (id, created_at, staff_name, staff_code, staff_role, spec,
             state, heartbeat, owner)
           VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
        )
        .run(
          id,
          at.toISOString(),
          actor.name,
          actor.code,
          actor.role,
          JSON.stringify(spec),
          at.toISOString(),
          OWNER,
        )
      const insert = this.deps.db.prepare(
        `INSERT INTO archive_batch_items (batch_id, seq, identifier, business_serial, file_group, state)
         VALUES (?, ?, ?, ?, ?, 'pending')`,
      )
      items.forEach((item, seq) => {
        const identifier =
          item.source.kind === 'identifier' ? item.source.identifier : `file:${item.source.path}`
        insert.run(id, seq, identifier, item.source.businessSerial ?? '', item.group)
      })
    })()
    this.launch(id, actor)
    return this.view(id)
  }

  /** Continues an interrupted or cancelled batch from its first unfinished file. */
  resume(id: string, actor: ArchivePerson): BatchView {
    if (this.running)
      throw new CounterError('ARCHIVE_BATCH_RUNNING', { params: { id: this.running.id } })
    const row = this.row(id)
    const state = this.stateOf(row)
    if (state !== 'interrupted' && state !== 'cancelled')
      throw new CounterError('ARCHIVE_BATCH_NOT_RESUMABLE', {
        params: { state: { running: '在进行中', done: '完成', failed: '失败' }[state] ?? state },
      })
    this.deps.db
      .prepare(
        `UPDATE archive_batches SET state = 'running', heartbeat = ?, owner = ?, finished_at = NULL
         WHERE id = ?`,
      )
      .run(this.deps.now().toISOString(), OWNER, id)
    this.launch(id, actor)
    return this.view(id)
  }

  /** Asks the running batch to stop after the copy in hand. */
  cancel(id: string): BatchView {
    if (this.running?.id === id) this.running.abort.abort()
    else {
      const row = this.row(id)
      if (this.stateOf(row) === 'interrupted')
        this.deps.db
          .prepare(`UPDATE archive_batches SET state = 'cancelled', finished_at = ? WHERE id = ?`)
          .run(this.deps.now().toISOString(), id)
    }
    return this.view(id)
  }

  /** Resolves when the running batch (if any) has stopped. */
  async settle(): Promise<void> {
    await this.running?.done
  }

  /**
   * The app is closing: stop after the copy in hand but leave the batch unfinished, so that the
   * next start shows it as interrupted and offers to resume it.
   */
  async shutdown(): Promise<void> {
    this.running?.abort.abort(SHUTDOWN)
    await this.settle()
  }

  private launch(id: string, actor: ArchivePerson): void {
    const abort = new AbortController()
    const done = this.run(id, actor, abort.signal)
      .catch((error: unknown) => {
        this.deps.logger.error('archive batch failed', { id, error })
        this.finish(id, 'failed')
      })
      .finally(() => {
        this.running = undefined
        this.emit(id)
      })
    this.running = { id, abort, done }
  }

  private emit(id: string): void {
    try {
      this.deps.onProgress?.(this.view(id))
    } catch (error) {
      this.deps.logger.warn('archive progress not delivered', { error })
    }
  }

  private finish(id: string, state: 'done' | 'cancelled' | 'failed'): void {
    this.deps.db
      .prepare('UPDATE archive_batches SET state = ?, finished_at = ? WHERE id = ?')
      .run(state, this.deps.now().toISOString(), id)
  }

  private beat(id: string): void {
    this.deps.db
      .prepare('UPDATE archive_batches SET heartbeat = ? WHERE id = ?')
      .run(this.deps.now().toISOString(), id)
  }

  private addFile(id: string, file: BatchFile): void {
    const row = this.row(id)
    const files = (JSON.parse(row.files) as BatchFile[]).filter((f) => f.path !== file.path)
    files.push(file)
    this.deps.db
      .prepare('UPDATE archive_batches SET files = ? WHERE id = ?')
      .run(JSON.stringify(files), id)
  }

  private async run(id: string, actor: ArchivePerson, signal: AbortSignal): Promise<void> {
    const { db, register, copies, logger } = this.deps
    const spec = this.spec(id)
    const items = db
      .prepare('SELECT * FROM archive_batch_items WHERE batch_id = ? ORDER BY seq')
      .all(id) as ItemRow[]
    // Files already written are whole; a group with anything unfinished is made again.
    const groups = new Map<string, ItemRow[]>()
    for (const item of items)
      groups.set(item.file_group, [...(groups.get(item.file_group) ?? []), item])
    const dir = join(this.deps.outputDir, id)
    mkdirSync(dir, { recursive: true })
    const setItem = db.prepare(
      `UPDATE archive_batch_items SET state = ?, print_id = ?, error_code = ?, error_message = ?
       WHERE batch_id = ? AND seq = ?`,
    )

    for (const [group, members] of groups) {
      if (members.every((m) => m.state !== 'pending')) continue
      if (signal.aborted) break
      const todo = members.filter((m) => m.state === 'pending')
      const groupFile = new AtomicOutput(join(dir, `.g${todo[0]!.seq}.pdf`))
      const pdf = new ArchivePdf(
        this.deps.fonts(),
        {
          title: `电子证照存档副本 ${group}`,
          author: `${actor.name}（${actor.code}）`,
          subject: `批量存档 ${id}`,
        },
        groupFile.sink,
      )
      const printIds: number[] = []
      const done: ItemRow[] = []
      let firstNo: string | undefined
      const painted: { width: number; height: number }[] = []
      for (const item of todo) {
        if (signal.aborted) break
        this.emit(id)
        const source: CopySource = item.identifier.startsWith('file:')
          ? {
              kind: 'file',
              path: item.identifier.slice(5),
              ...(item.business_serial ? { businessSerial: item.business_serial } : {}),
            }
          : {
              kind: 'identifier',
              identifier: item.identifier,
              ...(item.business_serial ? { businessSerial: item.business_serial } : {}),
            }
        let printId: number | undefined
        try {
          const copy = await copies.resolve(source, actor, signal)
          const started = copies.beginPrint(copy, actor, id, spec.paper)
          printId = started.id
          setItem.run('pending', started.id, null, null, id, item.seq)
          const pages = copies.pages(
            copy,
            actor,
            { paper: spec.paper, orientation: spec.orientation },
            { started, key: this.deps.key() },
          )
          for (const p of pages) {
            pdf.addPage(p)
            painted.push({ width: p.width, height: p.height })
          }
          firstNo ??= started.archiveNo
          printIds.push(started.id)
          done.push(item)
        } catch (error) {
          if (signal.aborted && !isCounterError(error)) break
          if (printId !== undefined) register.cancelPrints([printId])
          const code = isCounterError(error) ? error.code : 'INTERNAL'
          const message = isCounterError(error) ? error.message : '内部错误'
          logger.warn('archive copy failed', { batch: id, seq: item.seq, code, error })
          setItem.run('failed', printId ?? null, code, message, id, item.seq)
        }
        this.beat(id)
      }
      if (signal.aborted || printIds.length === 0) {
        // Nothing of this file is kept; its numbered copies keep their numbers for next time.
        await pdf.end().catch(() => undefined)
        groupFile.abort()
        if (printIds.length) register.cancelPrints(printIds)
        if (signal.aborted) break
        continue
      }
      const name =
        spec.output === 'combined'
          ? `archive-${id}.pdf`
          : `${safeFileName(group.startsWith('serial:') ? group.slice(7) : (firstNo ?? group))}.pdf`
      let written: { sha256: string; bytes: number }
      try {
        await pdf.end()
        written = await groupFile.commit(join(dir, name))
      } catch (cause) {
        groupFile.abort()
        register.cancelPrints(printIds)
        throw new CounterError('ARCHIVE_WRITE_FAILED', { params: { file: name }, cause })
      }
      const relative = `${id}/${name}`
      db.transaction(() => {
        register.completePrints(printIds, relative, written.sha256)
        for (const item of done) setItem.run('done', null, null, null, id, item.seq)
        // print_id stays for the record of which print an item made.
        const keep = db.prepare(
          'UPDATE archive_batch_items SET print_id = ? WHERE batch_id = ? AND seq = ?',
        )
        done.forEach((item, i) => keep.run(printIds[i]!, id, item.seq))
      })()
      const file: BatchFile = {
        path: relative,
        copies: done.length,
        pages: pdf.pages,
        bytes: written.bytes,
      }
      this.addFile(id, file)
      this.emit(id)
      if (spec.print) {
        const printed = await this.sendToPrinter(
          join(dir, name),
          name,
          spec,
          mostlyLandscape(painted),
        )
        this.addFile(id, { ...file, printed })
        if (printed.startsWith('printed:')) register.notePrinter(id, relative, printed.slice(8))
      }
    }
    if (signal.aborted && signal.reason === SHUTDOWN) return
    this.finish(id, signal.aborted ? 'cancelled' : 'done')
  }

  private async sendToPrinter(
    path: string,
    title: string,
    spec: BatchSpec,
    landscape: boolean,
  ): Promise<string> {
    const { printing } = this.deps
    if (!printing || !spec.print) return 'print-failed:ARCHIVE_PRINTING_UNAVAILABLE'
    try {
      await printing.print({
        pdf: readFileSync(path),
        title,
        paper: spec.paper,
        landscape,
        mode: spec.print.mode,
        ...(spec.print.printer ? { printer: spec.print.printer } : {}),
      })
      return `printed:${spec.print.printer ?? '(系统对话框)'}`
    } catch (error) {
      return `print-failed:${isCounterError(error) ? error.code : 'ARCHIVE_PRINT_FAILED'}`
    }
  }
}
