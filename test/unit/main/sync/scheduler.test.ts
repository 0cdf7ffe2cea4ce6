/**
 * The scheduler and the exchange-API pusher against the sandbox library over loopback HTTP:
 * batches delivered once, rejections parked with the library's reason, failures backed off with
 * full jitter and recovered from without a single duplicate — including the case where the
 * library stored a batch but its answer was lost.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../../../src/shared/domain'
import { CounterError } from '../../../../src/shared/errors'
import type { OutboxStore } from '../../../../src/main/issuance'
import { silentLogger } from '../../../../src/main/log'
import {
  createHttpTarget,
  fullJitter,
  SyncScheduler,
  type SyncTarget,
} from '../../../../src/main/sync'
import { startSandboxLibrary, type SandboxLibrary } from '../../../../src/main/training'
import {
  enqueueMany,
  openTestDb,
  testEntry,
  testIdentifier,
  testOutbox,
  testRecord,
} from './helpers'

let sandbox: SandboxLibrary
let outbox: OutboxStore

beforeEach(async () => {
  sandbox = await startSandboxLibrary({ token: 'sched-token' })
  outbox = testOutbox(openTestDb())
})
afterEach(async () => {
  await sandbox.close()
})

function target(token = 'sched-token'): SyncTarget {
  return createHttpTarget({
    baseUrl: sandbox.url,
    auth: { kind: 'token', accessId: sandbox.accessId, token },
    timeoutMs: 5000,
    logger: silentLogger,
  })
}

function scheduler(t: SyncTarget, statuses: SyncStatus[] = [], random = () => 0.5) {
  return new SyncScheduler({
    outbox,
    target: t,
    targetKind: 'library',
    batchSize: 7,
    intervalMs: 60_000,
    backoff: { baseMs: 100, capMs: 2000 },
    logger: silentLogger,
    onStatus: (s) => statuses.push(s),
    random,
  })
}

describe('delivery', () => {
  it('pushes everything in batches, once, and empties the outbox into the history', async () => {
    enqueueMany(outbox, 30)
    const statuses: SyncStatus[] = []
    const report = await scheduler(target(), statuses).runOnce()
    expect(report).toEqual({ sent: 30, parked: 0 })
    expect(outbox.counts(Date.now()).total).toBe(0)
    expect(sandbox.exchange.received.size).toBe(30)
    const batches = new Set([...sandbox.exchange.received.values()].map((r) => r.batchNo))
    expect(batches.size).toBe(5) // 7 + 7 + 7 + 7 + 2
    const first = sandbox.exchange.received.values().next().value!
    expect(first.metadata).toMatchObject({ holderCode: '410105197805160032', status: '有效' })
    expect(first.file).toMatchObject({ size: 61_440 })
    expect(statuses.at(-1)).toMatchObject({ state: 'idle', consecutiveFailures: 0 })
    expect(statuses.some((s) => s.state === 'pushing' && s.run?.total === 30)).toBe(true)
    const history = outbox.db
      .prepare('SELECT COUNT(*) AS n FROM sync_history WHERE target = ?')
      .get('library')
    expect(history).toEqual({ n: 30 })
  })

  it('parks what the library rejects, with its reason, and delivers the rest', async () => {
    enqueueMany(outbox, 4)
    outbox.db.transaction(() => {
      const id = testIdentifier(99)
      outbox.enqueue(
        testEntry(99, {
          record: testRecord(id, { holderCode: '410105197805160033' }),
          document: Buffer.from('not the declared digest'),
          documentSm3: '0'.repeat(64),
        }),
      )
    })()
    const report = await scheduler(target()).runOnce()
    expect(report).toEqual({ sent: 4, parked: 1 })
    const [parked] = outbox.rows({ state: 'parked' })
    expect(parked).toMatchObject({ lastErrorCode: 'SYNC_REJECTED', attempts: 1 })
    expect(parked!.lastError).toContain('持证主体代码校验不通过')
  })

  it('a status change goes only after its licence, and the library keeps the order', async () => {
    enqueueMany(outbox, 1)
    const id = testIdentifier(1)
    outbox.db.transaction(() =>
      outbox.enqueue({
        kind: 'status',
        action: 'suspend',
        identifier: id,
        typeCode: '51100000500010176E001',
        typeName: '中华人民共和国残疾人证',
        holderMasked: 'x',
        mode: 'offline',
        version: 2,
        operation: 'U',
        record: testRecord(id, {
          kind: 'status',
          action: 'suspend',
          status: '挂起',
          statusReason: '法院协助执行',
        }),
        completedAtMs: Date.now(),
        deadline: { at: 'x', ms: 0, provisional: false },
      }),
    )()
    expect(await scheduler(target()).runOnce()).toEqual({ sent: 2, parked: 0 })
    expect(sandbox.exchange.versionOf(id)).toBe(2)
    expect(sandbox.exchange.rejected).toEqual([])
  })
})

describe('failures', () => {
  it('a server error backs off with jitter; nothing is lost, nothing doubled', async () => {
    enqueueMany(outbox, 10)
    sandbox.setFault({ kind: 'status', status: 503, paths: ['/exchange/v1/licences/batch'] })
    const statuses: SyncStatus[] = []
    const s = scheduler(target(), statuses)
    const failed = await s.runOnce()
    expect(failed.error?.code).toBe('SYNC_SERVER_ERROR')
    expect(s.current()).toMatchObject({ state: 'backoff', consecutiveFailures: 1 })
    expect(s.current().lastError?.message).toContain('503')
    const tried = outbox.rows().filter((r) => r.attempts === 1)
    expect(tried).toHaveLength(7) // the batch that was tried
    expect(tried.every((r) => r.nextAttemptMs > Date.now() - 1000)).toBe(true)

    sandbox.setFault({ kind: 'none' })
    const recovered = await s.pushNow()
    expect(recovered).toMatchObject({ state: 'idle', consecutiveFailures: 0 })
    // The retried batch waits out its own jitter; an explicit full push takes it.
    await s.runOnce({ everything: true })
    expect(outbox.counts(Date.now()).total).toBe(0)
    expect(sandbox.exchange.received.size).toBe(10)
    expect(sandbox.exchange.repeats()).toBe(0)
  })

  it('a lost answer means a repeat, which the library drops', async () => {
    enqueueMany(outbox, 9)
    const real = target()
    let lose = true
    const lossy: SyncTarget = {
      ...real,
      async push(items, batchNo) {
        const outcomes = await real.push(items, batchNo)
        if (lose) {
          lose = false
          throw new CounterError('SYNC_OFFLINE', { params: { target: '电子证照库' } })
        }
        return outcomes
      },
    }
    const s = scheduler(lossy)
    expect((await s.runOnce()).error?.code).toBe('SYNC_OFFLINE')
    expect(s.current().state).toBe('offline')
    expect(sandbox.exchange.received.size).toBe(7)
    await s.runOnce({ everything: true })
    expect(outbox.counts(Date.now()).total).toBe(0)
    expect(sandbox.exchange.received.size).toBe(9)
    expect(sandbox.exchange.repeats()).toBe(7)
  })

  it('a dropped connection and refused credentials stop the push, park nothing', async () => {
    enqueueMany(outbox, 3)
    sandbox.setFault({ kind: 'reset', paths: ['/exchange/v1/licences/batch'] })
    const s = scheduler(target())
    expect((await s.runOnce()).error?.code).toBe('SYNC_OFFLINE')
    sandbox.setFault({ kind: 'none' })
    const refused = scheduler(target('wrong-token'))
    expect((await refused.runOnce({ everything: true })).error?.code).toBe('SYNC_REFUSED')
    expect(refused.current().state).toBe('misconfigured')
    expect(outbox.counts(Date.now())).toMatchObject({ parked: 0, pending: 3 })
  })

  it('a library that hangs is timed out', async () => {
    enqueueMany(outbox, 1)
    sandbox.setFault({ kind: 'drip', intervalMs: 100, paths: ['/exchange/v1/licences/batch'] })
    const slow = createHttpTarget({
      baseUrl: sandbox.url,
      auth: { kind: 'token', accessId: sandbox.accessId, token: 'sched-token' },
      timeoutMs: 400,
      logger: silentLogger,
    })
    const started = Date.now()
    expect((await scheduler(slow).runOnce()).error?.code).toBe('SYNC_TIMEOUT')
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('a hostile library', () => {
  it.each([
    [{ kind: 'not-json' }, 'SYNC_BAD_RESPONSE'],
    [{ kind: 'wrong-types' }, 'SYNC_BAD_RESPONSE'],
    [{ kind: 'huge', bytes: 6 * 1024 * 1024 }, 'SYNC_BAD_RESPONSE'],
    [{ kind: 'status', status: 429 }, 'SYNC_SERVER_ERROR'],
    [{ kind: 'status', status: 404 }, 'SYNC_REFUSED'],
  ] as const)('%o: a typed error, nothing parked, nothing lost', async (fault, code) => {
    enqueueMany(outbox, 3)
    sandbox.setFault({ ...fault, paths: ['/exchange/v1/licences/batch'] })
    const report = await scheduler(target()).runOnce()
    expect(report.error?.code).toBe(code)
    expect(outbox.counts(Date.now())).toMatchObject({ pending: 3, parked: 0 })
    sandbox.setFault({ kind: 'none' })
    expect(await scheduler(target()).runOnce({ everything: true })).toEqual({ sent: 3, parked: 0 })
    expect(sandbox.exchange.received.size).toBe(3)
  })
})

describe('timing', () => {
  it('full jitter: uniform below min(cap, base·2^(n−1))', () => {
    const o = { baseMs: 1000, capMs: 60_000 }
    expect([1, 2, 3, 4, 7, 8, 50].map((n) => fullJitter(n, o, () => 0.999999))).toEqual([
      999, 1999, 3999, 7999, 59_999, 59_999, 59_999,
    ])
    expect(fullJitter(5, o, () => 0)).toBe(0)
    const draws = Array.from({ length: 2000 }, () => fullJitter(3, o))
    expect(Math.max(...draws)).toBeLessThan(4000)
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length
    expect(mean).toBeGreaterThan(1700)
    expect(mean).toBeLessThan(2300)
  })

  it('started, it pushes on its own and again when something is queued', async () => {
    const s = scheduler(target())
    enqueueMany(outbox, 2)
    s.start()
    try {
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 5000 }).toBe(2)
      enqueueMany(outbox, 3, 100)
      s.wake()
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 5000 }).toBe(5)
    } finally {
      await s.stop()
    }
  })

  it('after failures it waits the backoff before trying again', async () => {
    sandbox.setFault({ kind: 'status', status: 500, paths: ['/exchange/v1/licences/batch'] })
    enqueueMany(outbox, 1)
    const statuses: SyncStatus[] = []
    const s = scheduler(target(), statuses, () => 1)
    s.start()
    try {
      await expect
        .poll(() => statuses.some((x) => x.consecutiveFailures >= 3 && x.nextAttemptAt), {
          timeout: 8000,
        })
        .toBe(true)
      const failures = statuses.filter((x) => x.nextAttemptAt).map((x) => x.consecutiveFailures)
      expect(failures.slice(0, 3)).toEqual([1, 2, 3])
      // Between attempts it says it is backing off, never idle.
      expect(
        statuses.filter((x) => x.consecutiveFailures > 0).every((x) => x.state !== 'idle'),
      ).toBe(true)
      sandbox.setFault({ kind: 'none' })
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 5000 }).toBe(1)
    } finally {
      await s.stop()
    }
  })
})
