/**
 * The dashboard's figures: times shown in Asia/Shanghai whatever the computer's zone, and the
 * due-soon threshold taken from `sync.alertWorkingMinutes` — by the summary the main process
 * sends and by the view's own marking of rows (its pure helpers, tested here without a browser).
 */
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { OutboxItemView } from '../../../../src/shared/domain'
import {
  bundledTables,
  chineseDaysTables,
  parseOfficeHours,
  summary,
  WorkingCalendar,
} from '../../../../src/main/sync'
import { dueSoonLimit, shanghaiTime, urgency } from '../../../../src/renderer/src/views/sync/format'
import { enqueueMany, openTestDb, testOutbox } from './helpers'

const resources = resolve(import.meta.dirname, '../../../../resources')
const hostZone = process.env.TZ

afterEach(() => {
  if (hostZone === undefined) delete process.env.TZ
  else process.env.TZ = hostZone
})

describe('times on the dashboard', () => {
  it('are Shanghai times on a computer set to another zone', () => {
    for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      process.env.TZ = zone
      expect(shanghaiTime('2026-12-06T17:46:49.123Z')).toBe('2026-12-07 01:46:49')
      expect(shanghaiTime('2026-03-02T10:15:00+08:00')).toBe('2026-03-02 10:15:00')
    }
  })

  it('leave what is not a time as it is', () => {
    expect(shanghaiTime('not a time')).toBe('not a time')
  })
})

describe('due soon', () => {
  const item = (workingMinutesLeft: number, overdue = false) =>
    ({ workingMinutesLeft, overdue }) as OutboxItemView

  it('a row is due soon by the configured threshold, not a fixed two hours', () => {
    expect(urgency(item(90), 120)).toBe('soon')
    expect(urgency(item(90), 60)).toBe('ok')
    expect(urgency(item(200), 240)).toBe('soon')
    expect(urgency(item(0, true), 60)).toBe('overdue')
  })

  it('the tile names the threshold in hours when whole, else in minutes', () => {
    expect(dueSoonLimit(120)).toEqual({ unit: 'hours', n: 2 })
    expect(dueSoonLimit(90)).toEqual({ unit: 'minutes', n: 90 })
    expect(dueSoonLimit(30)).toEqual({ unit: 'minutes', n: 30 })
  })

  it('the summary counts with the configured threshold and says which it used', () => {
    const outbox = testOutbox(openTestDb())
    // Due at the end of Tuesday 3 March 2026; at 16:00 that day 90 office minutes remain.
    enqueueMany(outbox, 1)
    const calendar = new WorkingCalendar([...chineseDaysTables(), ...bundledTables(resources)])
    const hours = parseOfficeHours([
      ['09:00', '12:00'],
      ['13:30', '17:30'],
    ])
    const now = Date.parse('2026-03-03T16:00:00+08:00')
    expect(summary(outbox, calendar, hours, 120, now)).toMatchObject({
      dueSoon: 1,
      alertWorkingMinutes: 120,
    })
    expect(summary(outbox, calendar, hours, 60, now)).toMatchObject({
      dueSoon: 0,
      alertWorkingMinutes: 60,
    })
  })
})
