/**
 * Stored push deadlines follow the calendar: items queued while 2027 had no official data carry
 * provisional weekday-rule deadlines; once an administrator imports the 2027 notice they carry the
 * official ones — in the outbox, in the dashboard's list and summary, through the real core.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodName } from '../../../../src/shared/api'
import type { OutboxItemView, OutboxSummary } from '../../../../src/shared/domain'
import { trainingConfig } from '../../../../src/main/config'
import { createCore, type Core } from '../../../../src/main/core'
import type { OutboxStore } from '../../../../src/main/issuance'
import { silentLogger } from '../../../../src/main/log'
import {
  createCalendarService,
  deadlinePolicy,
  parseInstant,
  reviseQueuedDeadlines,
  type CalendarService,
} from '../../../../src/main/sync'
import { openTestDb, testEntry, testOutbox } from './helpers'

const resourcesDir = resolve(import.meta.dirname, '../../../../resources')

/**
 * A 2027 notice written the way the General Office writes them (a test fixture: the dates are
 * chosen for the test, not copied from a published notice). 2027-01-01 is a Friday.
 */
const NOTICE_2027 = [
  '国务院办公厅关于2027年部分节假日安排的通知',
  '\u3000\u3000一、元旦：1月1日（周五）至3日（周日）放假，共3天。',
  '\u3000\u3000二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。',
  '国务院办公厅',
  '2026年11月10日',
].join('\n')

const at = (iso: string) => parseInstant(iso)!

/** Queues the items of the scenario on the calendar as it stands; returns their ids by name. */
function queueScenario(outbox: OutboxStore, calendar: CalendarService, with2026 = true) {
  const policy = deadlinePolicy(() => calendar.current())
  const item = (
    i: number,
    completed: string,
    mode: 'offline' | 'bulk',
    kind: 'issue' | 'status' = 'issue',
  ) => {
    const ms = at(completed)
    return outbox.enqueue(
      testEntry(i, {
        kind,
        mode,
        ...(kind === 'status' ? { action: 'revoke', operation: 'U', version: 2 } : {}),
        completedAtMs: ms,
        deadline: policy.deadline(kind === 'status' ? 'status' : mode, ms),
        document: undefined,
      }),
    ).id
  }
  return outbox.db.transaction(() => ({
    // Friday before the Spring Festival: the weekday rule says Monday 8 February.
    beforeHoliday: item(1, '2027-02-05T15:00:00+08:00', 'offline'),
    // A bulk issuance counted across the holiday: five working days.
    bulk: item(2, '2027-02-03T10:00:00+08:00', 'bulk'),
    // A status change of a bulk-issued licence has the one-day limit.
    status: item(3, '2027-02-05T16:00:00+08:00', 'bulk', 'status'),
    // On New Year's Eve: the deadline falls in 2027.
    newYearsEve: item(4, '2026-12-31T11:00:00+08:00', 'offline'),
    // Counted in 2026 only: official already, and untouched by a 2027 notice.
    official2026: with2026 ? item(5, '2026-03-02T10:15:00+08:00', 'offline') : 0,
    // Counted into 2028, which still has no notice: stays provisional.
    into2028: item(6, '2027-12-31T10:00:00+08:00', 'offline'),
  }))()
}

function deadlines(outbox: OutboxStore): Map<number, { at: string; provisional: boolean }> {
  return new Map(
    outbox.rows().map((r) => [r.id, { at: r.deadline, provisional: r.deadlineProvisional }]),
  )
}

describe('reviseQueuedDeadlines', () => {
  it('an item completed before a 2027 holiday: provisional deadline, then the official one', () => {
    const db = openTestDb()
    const outbox = testOutbox(db)
    const calendar = createCalendarService({ resourcesDir, db })
    const ids = queueScenario(outbox, calendar)
    const before = deadlines(outbox)
    expect(before.get(ids.beforeHoliday)).toEqual({
      at: '2027-02-08T23:59:59+08:00',
      provisional: true,
    })
    expect(before.get(ids.bulk)).toEqual({ at: '2027-02-10T23:59:59+08:00', provisional: true })
    expect(before.get(ids.newYearsEve)).toEqual({
      at: '2027-01-01T23:59:59+08:00',
      provisional: true,
    })
    outbox.markAlerted([ids.beforeHoliday])

    let revised: number | undefined
    calendar.onChange((c, years) => {
      expect(years).toEqual([2027])
      revised = reviseQueuedDeadlines(outbox, c, years)
    })
    calendar.importFile('2027.txt', NOTICE_2027, 'test')

    const after = deadlines(outbox)
    expect(after.get(ids.beforeHoliday)).toEqual({
      at: '2027-02-15T23:59:59+08:00',
      provisional: false,
    })
    // 4, 5, then 15, 16, 17 February.
    expect(after.get(ids.bulk)).toEqual({ at: '2027-02-17T23:59:59+08:00', provisional: false })
    expect(after.get(ids.status)).toEqual({ at: '2027-02-15T23:59:59+08:00', provisional: false })
    expect(after.get(ids.newYearsEve)).toEqual({
      at: '2027-01-04T23:59:59+08:00',
      provisional: false,
    })
    expect(after.get(ids.official2026)).toEqual(before.get(ids.official2026))
    expect(after.get(ids.into2028)).toEqual({
      at: '2028-01-03T23:59:59+08:00',
      provisional: true,
    })
    expect(revised).toBe(4)
    const rows = new Map(outbox.rows().map((r) => [r.id, r]))
    expect(rows.get(ids.beforeHoliday)!.deadlineMs).toBe(at('2027-02-15T23:59:59.999+08:00'))
    // The deadline moved later: the item may be alerted again when the new one nears.
    expect(rows.get(ids.beforeHoliday)!.alerted).toBe(false)

    // Nothing left to change: a second pass changes nothing.
    expect(reviseQueuedDeadlines(outbox, calendar.current(), [2027])).toBe(0)
    db.close()
  })

  it('an official deadline in a re-imported year is recomputed too; others are left alone', () => {
    const db = openTestDb()
    const outbox = testOutbox(db)
    const calendar = createCalendarService({ resourcesDir, db })
    const ids = queueScenario(outbox, calendar)
    calendar.importFile('2027.txt', NOTICE_2027, 'test')
    reviseQueuedDeadlines(outbox, calendar.current(), [2027])
    const before = deadlines(outbox)
    expect(before.get(ids.official2026)).toEqual({
      at: '2026-03-03T23:59:59+08:00',
      provisional: false,
    })

    // A corrected 2026 table: the bundled one plus (for the test) Tuesday 3 March off.
    const bundled = JSON.parse(
      readFileSync(join(resourcesDir, 'calendar', 'cn-holidays.json'), 'utf8'),
    ) as { years: { year: number; holidays: unknown[] }[] }
    const table2026 = bundled.years.find((y) => y.year === 2026)!
    const corrected = {
      ...table2026,
      holidays: [...table2026.holidays, { name: '测试', from: '2026-03-03', to: '2026-03-03' }],
    }
    calendar.importFile('2026.json', JSON.stringify(corrected), 'test')
    expect(reviseQueuedDeadlines(outbox, calendar.current(), [2026])).toBe(1)
    const after = deadlines(outbox)
    expect(after.get(ids.official2026)).toEqual({
      at: '2026-03-04T23:59:59+08:00',
      provisional: false,
    })
    for (const id of [ids.beforeHoliday, ids.bulk, ids.status, ids.newYearsEve])
      expect(after.get(id)).toEqual(before.get(id))
    db.close()
  })
})

describe('in the core', () => {
  let core: Core
  let dataDir: string

  async function call<T = unknown>(method: MethodName, ...args: unknown[]): Promise<T> {
    const r = await core.dispatch(method, args)
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
    return r.value as T
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sync-revise-'))
    const base = trainingConfig()
    core = await createCore({
      // Nothing is pushed, so the queued items stay where the test can watch them.
      config: trainingConfig({ sync: { ...base.sync, target: 'none' } }),
      dataDir,
      resourcesDir,
      version: 'test',
      logger: silentLogger,
    })
    await core.start()
    await call('auth.signOut')
    await call('cakey.trainingInsert', 'staff-admin')
    for (let i = 0; i < 200; i++) {
      const keys = await call<{ tokenId: string }[]>('auth.keys')
      if (keys.some((k) => k.tokenId === 'sim/staff-admin')) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await call('auth.signIn', 'sim/staff-admin', '123456')
  }, 60_000)
  afterAll(async () => {
    await core?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('importing the 2027 notice revises the queued deadlines and the dashboard is told', async () => {
    const outbox = testOutbox(core.db)
    const calendar = createCalendarService({ resourcesDir, db: core.db })
    const ids = queueScenario(outbox, calendar, false)
    const listed = async () =>
      new Map((await call<OutboxItemView[]>('outbox.items', {})).map((i) => [i.id, i.deadline]))
    expect((await listed()).get(ids.beforeHoliday)).toEqual({
      at: '2027-02-08T23:59:59+08:00',
      provisional: true,
    })
    const summaries: OutboxSummary[] = []
    const off = core.onEvent((event, payload) => {
      if (event === 'outbox.changed') summaries.push(payload as OutboxSummary)
    })
    try {
      await call('calendar.import', { fileName: '2027.txt', text: NOTICE_2027 })
    } finally {
      off()
    }
    const items = await listed()
    expect(items.get(ids.beforeHoliday)).toEqual({
      at: '2027-02-15T23:59:59+08:00',
      provisional: false,
    })
    expect(items.get(ids.bulk)).toEqual({ at: '2027-02-17T23:59:59+08:00', provisional: false })
    expect(items.get(ids.into2028)).toEqual({ at: '2028-01-03T23:59:59+08:00', provisional: true })
    // The dashboard hears of it at once: the earliest deadline is now New Year's official one.
    expect(summaries).toHaveLength(1)
    expect(summaries[0]!.oldestDeadline).toEqual({
      at: '2027-01-04T23:59:59+08:00',
      provisional: false,
    })
  })
})
