/**
 * The transactional outbox: sealed at rest, claimed under leases in deadline order without ever
 * offering a licence's later change before its earlier one, delivered into the history, retried,
 * parked and offered again.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CounterError } from '../../../../src/shared/errors'
import { leaseOwner } from '../../../../src/main/issuance'
import {
  enqueueMany,
  FIXTURE_DOCUMENT,
  HOLDER_CODE,
  openTestDb,
  testEntry,
  testIdentifier,
  testOutbox,
  testRecord,
} from '../sync/helpers'

const NOW = Date.parse('2026-03-02T10:00:00+08:00')
const owner = 'host-a:1:1'

describe('writing', () => {
  it('must happen inside the transaction of the record it belongs to', () => {
    const outbox = testOutbox(openTestDb())
    expect(() => outbox.enqueue(testEntry(1))).toThrow(/transaction/)
    outbox.db.transaction(() => outbox.enqueue(testEntry(1)))()
    expect(outbox.counts(NOW).pending).toBe(1)
  })

  it('rolls back with the record when the transaction fails', () => {
    const outbox = testOutbox(openTestDb())
    expect(() =>
      outbox.db.transaction(() => {
        outbox.enqueue(testEntry(1))
        throw new Error('the record could not be written')
      })(),
    ).toThrow()
    expect(outbox.counts(NOW).total).toBe(0)
  })

  it('keeps personal fields and the document sealed on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'))
    const db = openTestDb(join(dir, 'o.db'))
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    const outbox = testOutbox(db)
    enqueueMany(outbox, 3)
    db.close()
    const raw = readFileSync(join(dir, 'o.db'))
    expect(raw.includes(Buffer.from(HOLDER_CODE))).toBe(false)
    expect(raw.includes(Buffer.from('张建国'))).toBe(false)
    expect(raw.includes(FIXTURE_DOCUMENT.subarray(1000, 1064))).toBe(false)
    // What the dashboard needs stays readable: the masked holder, the identifier.
    expect(raw.includes(Buffer.from('410105********0032'))).toBe(true)
    expect(raw.includes(Buffer.from(testIdentifier(1)))).toBe(true)
  })
})

describe('claiming', () => {
  it('takes earliest deadlines first, under a lease, and opens the sealed data', () => {
    const outbox = testOutbox(openTestDb())
    outbox.db.transaction(() => {
      outbox.enqueue(testEntry(1, { deadline: { at: 'b', ms: NOW + 2000, provisional: false } }))
      outbox.enqueue(testEntry(2, { deadline: { at: 'a', ms: NOW + 1000, provisional: true } }))
    })()
    const { items } = outbox.claim(owner, 10, NOW, 60_000)
    expect(items.map((i) => i.identifier)).toEqual([testIdentifier(2), testIdentifier(1)])
    expect(items[0]!.record.holderCode).toBe(HOLDER_CODE)
    expect(items[0]!.document!.equals(FIXTURE_DOCUMENT)).toBe(true)
    expect(items[0]!.deadlineProvisional).toBe(true)
    // Leased: another pusher gets nothing until the lease ends.
    expect(outbox.claim('host-b:2:2', 10, NOW + 1000, 60_000).items).toHaveLength(0)
    expect(outbox.counts(NOW + 1000)).toMatchObject({ pending: 0, inFlight: 2 })
    expect(outbox.claim('host-b:2:2', 10, NOW + 61_000, 60_000).items).toHaveLength(2)
  })

  it('never offers a later change of a licence before the earlier one has gone', () => {
    const outbox = testOutbox(openTestDb())
    const id = testIdentifier(1)
    outbox.db.transaction(() => {
      outbox.enqueue(testEntry(1, { deadline: { at: 'late', ms: NOW + 9000, provisional: false } }))
      // The status change has an earlier deadline, but must wait for the issuance.
      outbox.enqueue(
        testEntry(1, {
          kind: 'status',
          action: 'suspend',
          version: 2,
          operation: 'U',
          record: testRecord(id, { kind: 'status', action: 'suspend', status: '挂起' }),
          document: undefined,
          deadline: { at: 'early', ms: NOW + 1000, provisional: false },
        }),
      )
    })()
    const first = outbox.claim(owner, 10, NOW, 60_000).items
    expect(first.map((i) => i.kind)).toEqual(['issue'])
    expect(outbox.rows().map((r) => r.waitingForEarlier)).toEqual([true, false])
    // Parked, the issuance still holds its status change back.
    outbox.park(first[0]!.id, { code: 'SYNC_REJECTED', message: 'x' }, NOW)
    expect(outbox.claim(owner, 10, NOW + 70_000, 60_000).items).toHaveLength(0)
    outbox.complete([first[0]!.id], 'library', NOW)
    const second = outbox.claim(owner, 10, NOW + 70_000, 60_000).items
    expect(second.map((i) => [i.kind, i.version])).toEqual([['status', 2]])
  })

  it('keeps a batch within its byte budget, but always takes one', () => {
    const outbox = testOutbox(openTestDb())
    enqueueMany(outbox, 5)
    expect(outbox.claim(owner, 10, NOW, 60_000, { maxBytes: 130_000 }).items).toHaveLength(2)
    expect(outbox.claim(owner, 10, NOW, 60_000, { maxBytes: 10 }).items).toHaveLength(1)
  })

  it('sets broken boxes apart, and refuses everything under the wrong key', () => {
    const db = openTestDb()
    const outbox = testOutbox(db)
    enqueueMany(outbox, 2)
    db.prepare(
      'UPDATE outbox_documents SET payload_box = substr(payload_box, 1, 40) WHERE outbox_id = 1',
    ).run()
    const { items, broken } = outbox.claim(owner, 10, NOW, 60_000)
    expect(items.map((i) => i.id)).toEqual([2])
    expect(broken).toEqual([{ id: 1, code: 'SYNC_ITEM_DAMAGED' }])

    const wrongKey = testOutbox(db, new Uint8Array(32).fill(1))
    expect(() => wrongKey.claim('host-c:3:3', 10, NOW + 120_000, 60_000)).toThrow(
      expect.objectContaining({ code: 'SYNC_DATA_KEY_WRONG' }),
    )
    // Nothing stays leased by the refused claim.
    expect(outbox.counts(NOW + 120_000).inFlight).toBe(0)
  })
})

describe('after a push', () => {
  it('moves delivered items into the history, on time or late, in one transaction', () => {
    const outbox = testOutbox(openTestDb())
    enqueueMany(outbox, 3)
    const { items } = outbox.claim(owner, 10, NOW, 60_000)
    const deadline = items[0]!.deadlineMs
    outbox.complete([items[0]!.id], 'frontend', deadline)
    outbox.complete([items[1]!.id], 'frontend', deadline + 1)
    expect(outbox.counts(NOW).total).toBe(1)
    const history = outbox.db
      .prepare('SELECT on_time, target, completed_day, attempts FROM sync_history ORDER BY sent_at')
      .all()
    expect(history).toEqual([
      { on_time: 1, target: 'frontend', completed_day: '2026-03-02', attempts: 1 },
      { on_time: 0, target: 'frontend', completed_day: '2026-03-02', attempts: 1 },
    ])
  })

  it('retries later with the attempt counted and the error kept', () => {
    const outbox = testOutbox(openTestDb())
    enqueueMany(outbox, 1)
    const [item] = outbox.claim(owner, 10, NOW, 60_000).items
    const delays: number[] = []
    outbox.retryLater([item!.id], { code: 'SYNC_OFFLINE', message: '无法连接前置机' }, NOW, (n) => {
      delays.push(n)
      return 5000
    })
    expect(delays).toEqual([1])
    expect(outbox.claim(owner, 10, NOW + 4999, 60_000).items).toHaveLength(0)
    expect(outbox.nextAttemptMs()).toBe(NOW + 5000)
    const row = outbox.rows()[0]!
    expect(row).toMatchObject({ attempts: 1, lastErrorCode: 'SYNC_OFFLINE', state: 'pending' })
    // An explicit push takes it anyway.
    expect(outbox.claim(owner, 10, NOW + 1, 60_000, { everything: true }).items).toHaveLength(1)
  })

  it('parks a rejection until a supervisor offers it again', () => {
    const outbox = testOutbox(openTestDb())
    enqueueMany(outbox, 1)
    const [item] = outbox.claim(owner, 10, NOW, 60_000).items
    outbox.park(item!.id, { code: 'SYNC_REJECTED', message: '前置机拒收：Data too long' }, NOW)
    expect(outbox.counts(NOW)).toMatchObject({ pending: 0, parked: 1 })
    expect(
      outbox.claim(owner, 10, NOW + 3_600_000, 60_000, { everything: true }).items,
    ).toHaveLength(0)
    expect(outbox.unpark([item!.id, 999])).toBe(1)
    expect(outbox.claim(owner, 10, NOW + 3_600_000, 60_000).items).toHaveLength(1)
  })
})

describe('leases after a crash', () => {
  it('releases the leases of dead processes and of an earlier life of this pid', () => {
    const outbox = testOutbox(openTestDb())
    enqueueMany(outbox, 3)
    const self = leaseOwner()
    const [host, pid] = self.split(':')
    outbox.claim(`${host}:999999:1`, 1, NOW, 600_000) // a dead process
    outbox.claim(`${host}:${pid}:1`, 1, NOW, 600_000) // this pid, an earlier start
    outbox.claim(`elsewhere:1:1`, 1, NOW, 600_000) // another host: its lease must run out
    expect(outbox.releaseDead(self, (p) => p !== 999999)).toBe(2)
    expect(outbox.counts(NOW)).toMatchObject({ pending: 2, inFlight: 1 })
  })

  it('a clean stop gives its own leases back', () => {
    const outbox = testOutbox(openTestDb())
    enqueueMany(outbox, 2)
    outbox.claim(owner, 10, NOW, 600_000)
    outbox.releaseOwn(owner)
    expect(outbox.counts(NOW).pending).toBe(2)
  })
})

it('damaged data is a typed error, not a crash', () => {
  const outbox = testOutbox(openTestDb())
  enqueueMany(outbox, 1)
  outbox.db.prepare("UPDATE outbox_documents SET document_box = X'00'").run()
  const { broken } = outbox.claim(owner, 10, NOW, 60_000)
  expect(broken[0]?.code).toBe('SYNC_ITEM_DAMAGED')
  expect(new CounterError('SYNC_ITEM_DAMAGED').message).toContain('损坏')
})
