/**
 * Pushes the outbox whenever the target can be reached: in batches, earliest deadline first. All
 * state lives in the outbox, so a restart (or a crash) loses nothing: leases of a dead process are
 * released on start, and anything delivered but not yet marked is delivered again and dropped by
 * the receiver as a repeat.
 *
 * A failure of the whole batch (no network, timeout, server error, refused credentials) backs the
 * scheduler off with full jitter; the batch's items get their own jittered retry time too. A
 * rejected item is parked for a supervisor and never blocks the others.
 */
import type { SyncStatus, SyncTargetKind } from '../../shared/domain'
import { CounterError, describeError } from '../../shared/errors'
import { leaseOwner, type OutboxStore } from '../issuance'
import type { Logger } from '../log'
import { fullJitter, type BackoffOptions } from './backoff'
import { MISCONFIGURED_CODES, OFFLINE_CODES, type SyncTarget } from './pushers/target'

export interface SchedulerOptions {
  readonly outbox: OutboxStore
  readonly target: SyncTarget | undefined
  readonly targetKind: SyncTargetKind
  readonly batchSize: number
  /** How often to look when there is nothing due (the exchange runs every 2 minutes). */
  readonly intervalMs: number
  readonly backoff: BackoffOptions
  readonly logger: Logger
  readonly onStatus?: (status: SyncStatus) => void
  /** After items left the outbox (delivered or parked). */
  readonly onChange?: () => void
  /** Raw catalogue entries fetched from the target. */
  readonly onCatalogue?: (entries: unknown[]) => void
  readonly now?: () => number
  readonly random?: () => number
}

/** How long a claimed item stays ours before another pusher may take it. */
const LEASE_MS = 60_000
/** The catalogue is looked at hourly, and again after five minutes when it could not be read. */
const CATALOGUE_EVERY_MS = 3_600_000
const CATALOGUE_RETRY_MS = 300_000

export interface RunReport {
  readonly sent: number
  readonly parked: number
  /** Why the run stopped early, if it did. */
  readonly error?: CounterError
}

export class SyncScheduler {
  readonly owner = leaseOwner()
  private timer: NodeJS.Timeout | undefined
  private running: Promise<RunReport> | undefined
  private stopped = true
  private halted = false
  private failures = 0
  private nextCatalogueMs = 0
  private status: SyncStatus
  private lastEmit = 0
  private readonly now: () => number
  private readonly random: () => number

  constructor(private readonly o: SchedulerOptions) {
    this.now = o.now ?? Date.now
    this.random = o.random ?? Math.random
    this.status = {
      target: o.target ? o.targetKind : 'none',
      state: o.target ? 'idle' : 'disabled',
      consecutiveFailures: 0,
    }
  }

  current(): SyncStatus {
    return this.status
  }

  private setStatus(patch: Partial<SyncStatus>, force = false): void {
    const next = { ...this.status, ...patch } as SyncStatus & Record<string, unknown>
    for (const k of Object.keys(patch))
      if ((patch as Record<string, unknown>)[k] === undefined) delete next[k]
    this.status = next
    const now = this.now()
    if (force || now - this.lastEmit >= 250) {
      this.lastEmit = now
      this.o.onStatus?.(this.status)
    }
  }

  start(): void {
    if (!this.o.target) return
    this.stopped = false
    this.halted = false
    const released = this.o.outbox.releaseDead(this.owner)
    if (released > 0)
      this.o.logger.info('released leases of a previous process', { items: released })
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.halted = true
    clearTimeout(this.timer)
    await this.running?.catch(() => undefined)
    this.o.outbox.releaseOwn(this.owner)
    await this.o.target?.close()
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.tick(), Math.max(0, delayMs))
    this.timer.unref?.()
  }

  /** Something was queued: push soon, unless the target is known to be down (the backoff decides). */
  wake(): void {
    if (this.stopped || this.failures > 0) return
    this.schedule(100)
  }

  /** Push now, whatever the backoff says (a supervisor's button, or the network came back). */
  async pushNow(): Promise<SyncStatus> {
    this.failures = 0
    if (this.stopped) {
      await this.runOnce()
      return this.status
    }
    clearTimeout(this.timer)
    await this.tick()
    return this.status
  }

  private async tick(): Promise<void> {
    const report = await this.runOnce()
    if (this.stopped) return
    if (report.error) {
      const delay = fullJitter(this.failures, this.o.backoff, this.random)
      this.setStatus({ nextAttemptAt: new Date(this.now() + delay).toISOString() }, true)
      this.schedule(delay)
      return
    }
    const next = this.o.outbox.nextAttemptMs()
    const wait =
      next === undefined
        ? this.o.intervalMs
        : Math.min(this.o.intervalMs, Math.max(next - this.now(), 200))
    this.schedule(wait)
  }

  /** Pushes until nothing is due or the target fails. Concurrent calls share one run. */
  runOnce(options: { everything?: boolean } = {}): Promise<RunReport> {
    if (this.running) return this.running
    this.running = this.run(options).finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async run(options: { everything?: boolean }): Promise<RunReport> {
    const target = this.o.target
    if (!target) return { sent: 0, parked: 0, error: new CounterError('SYNC_NOT_CONFIGURED') }
    const startedAt = new Date(this.now()).toISOString()
    const counts = this.o.outbox.counts(this.now())
    const before = this.status.state
    let sent = 0
    let parked = 0
    this.setStatus(
      {
        state: 'pushing',
        run: { total: counts.pending, sent, parked, startedAt },
        nextAttemptAt: undefined,
      },
      true,
    )
    try {
      await this.refreshCatalogue(target)
      for (;;) {
        if (this.halted) break
        const now = this.now()
        const { items, broken } = this.o.outbox.claim(this.owner, this.o.batchSize, now, LEASE_MS, {
          maxBytes: target.maxBatchBytes(),
          ...(options.everything ? { everything: true } : {}),
        })
        for (const b of broken) {
          this.o.outbox.park(b.id, { code: b.code, message: describeError(b.code).message }, now)
          parked++
        }
        if (items.length === 0) {
          if (broken.length === 0) break
          continue
        }
        const batchNo = `${this.owner.split(':')[0]!.slice(0, 20)}-${now.toString(36)}`
        let outcomes
        try {
          outcomes = await target.push(items, batchNo)
        } catch (error) {
          const e =
            error instanceof CounterError
              ? error
              : new CounterError('INTERNAL', { detail: String(error), cause: error })
          this.o.outbox.retryLater(
            items.map((i) => i.id),
            { code: e.code, message: e.message },
            this.now(),
            (attempts) => fullJitter(attempts, this.o.backoff, this.random),
          )
          throw e
        }
        const delivered = outcomes.filter((x) => x.result !== 'rejected').map((x) => x.id)
        this.o.outbox.complete(delivered, target.kind, this.now())
        sent += delivered.length
        for (const x of outcomes) {
          if (x.result !== 'rejected') continue
          const { message } = describeError('SYNC_REJECTED', {
            target: target.label,
            reason: x.reason,
          })
          this.o.outbox.park(x.id, { code: 'SYNC_REJECTED', message }, this.now())
          this.o.logger.warn('item rejected, parked for a supervisor', {
            id: x.id,
            reason: x.reason,
          })
          parked++
        }
        // Anything the target did not answer for goes back for another attempt.
        const answered = new Set(outcomes.map((x) => x.id))
        const unanswered = items.filter((i) => !answered.has(i.id)).map((i) => i.id)
        if (unanswered.length > 0) {
          const e = new CounterError('SYNC_BAD_RESPONSE', { params: { target: target.label } })
          this.o.outbox.retryLater(
            unanswered,
            { code: e.code, message: e.message },
            this.now(),
            (a) => fullJitter(a, this.o.backoff, this.random),
          )
        }
        this.failures = 0
        this.setStatus({
          lastSuccessAt: new Date(this.now()).toISOString(),
          consecutiveFailures: 0,
          lastError: undefined,
          run: { total: Math.max(counts.pending, sent + parked), sent, parked, startedAt },
        })
        this.o.onChange?.()
      }
      // Nothing was due yet after a failure: still backing off, not idle.
      const waiting = sent + parked === 0 && this.failures > 0
      this.setStatus(
        { state: waiting ? before : 'idle', run: undefined, nextAttemptAt: undefined },
        true,
      )
      if (sent + parked > 0)
        this.o.logger.info('push finished', { target: target.kind, sent, parked })
      return { sent, parked }
    } catch (error) {
      const e =
        error instanceof CounterError
          ? error
          : new CounterError('INTERNAL', { detail: String(error), cause: error })
      this.failures++
      const state = MISCONFIGURED_CODES.has(e.code)
        ? 'misconfigured'
        : OFFLINE_CODES.has(e.code)
          ? 'offline'
          : 'backoff'
      this.o.logger.warn('push stopped', {
        code: e.code,
        detail: e.detail,
        failures: this.failures,
      })
      this.setStatus(
        {
          state,
          run: undefined,
          consecutiveFailures: this.failures,
          lastError: { code: e.code, message: e.message, hint: e.hint },
        },
        true,
      )
      if (sent + parked > 0) this.o.onChange?.()
      return { sent, parked, error: e }
    }
  }

  private async refreshCatalogue(target: SyncTarget): Promise<void> {
    if (!this.o.onCatalogue || this.now() < this.nextCatalogueMs) return
    // A catalogue that cannot be read is logged, not fatal: the local copy stays in use, and
    // if the target is down the push that follows says so.
    try {
      this.o.onCatalogue(await target.fetchCatalogue())
      this.nextCatalogueMs = this.now() + CATALOGUE_EVERY_MS
    } catch (error) {
      this.o.logger.warn('catalogue not refreshed', { error })
      this.nextCatalogueMs = this.now() + CATALOGUE_RETRY_MS
    }
  }
}
