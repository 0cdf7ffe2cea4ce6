/**
 * The working-day calendar against the State Council's 2026 arrangement (reference table) and the
 * art. 14 deadline rules, including the years nobody has published yet.
 */
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bundledTables,
  buildYearTable,
  chineseDaysTables,
  dayNumber,
  parseInstant,
  WorkingCalendar,
  type YearTable,
} from '../../../../src/main/sync'
import { parseOfficeHours } from '../../../../src/main/sync'

const resources = resolve(import.meta.dirname, '../../../../resources')
const calendar = new WorkingCalendar([...chineseDaysTables(), ...bundledTables(resources)])
const at = (iso: string) => parseInstant(iso)!
const day = (date: string) => dayNumber(date)!

// The 2026 notice (reference/elicense.md): days off and the weekend days worked.
const OFF_2026: [string, string][] = [
  ['2026-01-01', '2026-01-03'],
  ['2026-02-15', '2026-02-23'],
  ['2026-04-04', '2026-04-06'],
  ['2026-05-01', '2026-05-05'],
  ['2026-06-19', '2026-06-21'],
  ['2026-09-25', '2026-09-27'],
  ['2026-10-01', '2026-10-07'],
]
const WORKED_2026 = [
  '2026-01-04',
  '2026-02-14',
  '2026-02-28',
  '2026-05-09',
  '2026-09-20',
  '2026-10-10',
]

describe('the 2026 arrangement', () => {
  it('bundles the 2026 notice, dated, and it wins over chinese-days for 2026', () => {
    const y = calendar.years().find((v) => v.year === 2026)!
    expect(y).toMatchObject({ source: 'bundled', published: '2025-11-04' })
    expect(y.noticeTitle).toContain('2026')
  })

  it('matches the reference table on every day of 2026', () => {
    const off = new Set<number>()
    for (const [from, to] of OFF_2026) for (let d = day(from); d <= day(to); d++) off.add(d)
    const worked = new Set(WORKED_2026.map(day))
    for (let d = day('2026-01-01'); d <= day('2026-12-31'); d++) {
      const wd = (d + 4) % 7
      const expected = worked.has(d) || (!off.has(d) && wd !== 0 && wd !== 6)
      expect(calendar.isWorkday(d), new Date(d * 86_400_000).toISOString()).toBe(expected)
      expect(calendar.isProvisional(d)).toBe(false)
    }
  })

  it('names holidays and the weekend days worked in exchange', () => {
    expect(calendar.dayInfo(day('2026-02-16'))).toEqual({
      date: '2026-02-16',
      workday: false,
      provisional: false,
      name: '春节',
    })
    expect(calendar.dayInfo(day('2026-10-10'))).toMatchObject({ workday: true, name: '国庆节' })
    expect(calendar.dayInfo(day('2026-03-03'))).toEqual({
      date: '2026-03-03',
      workday: true,
      provisional: false,
    })
  })
})

describe('art. 14 deadlines', () => {
  it('offline: the end of the first working day after completion', () => {
    // Tuesday → Wednesday.
    expect(calendar.deadline(at('2026-03-03T10:00:00+08:00'), 1)).toMatchObject({
      at: '2026-03-04T23:59:59+08:00',
      provisional: false,
    })
    // Friday before 清明 (Sat 4/4 – Mon 4/6 off) → Tuesday.
    expect(calendar.deadline(at('2026-04-03T16:30:00+08:00'), 1).at).toBe(
      '2026-04-07T23:59:59+08:00',
    )
    // Completed on a Sunday: Monday.
    expect(calendar.deadline(at('2026-03-08T11:00:00+08:00'), 1).at).toBe(
      '2026-03-09T23:59:59+08:00',
    )
    // Friday 2/13 before 春节: Saturday 2/14 is a working day.
    expect(calendar.deadline(at('2026-02-13T17:00:00+08:00'), 1).at).toBe(
      '2026-02-14T23:59:59+08:00',
    )
  })

  it('bulk: the end of the fifth working day, through the National Day week', () => {
    // 9/30 → 10/8, 10/9, 10/10 (Sat, worked), 10/12, 10/13.
    expect(calendar.deadline(at('2026-09-30T10:00:00+08:00'), 5).at).toBe(
      '2026-10-13T23:59:59+08:00',
    )
  })

  it('counts the completion day in Shanghai, whatever the offset it is given in', () => {
    // 2026-03-03 17:30 UTC is already Wednesday 01:30 in Shanghai.
    expect(calendar.deadline(at('2026-03-03T17:30:00Z'), 1).at).toBe('2026-03-05T23:59:59+08:00')
    expect(calendar.deadline(at('2026-03-03T15:59:59Z'), 1).at).toBe('2026-03-04T23:59:59+08:00')
    // The last on-time millisecond is 23:59:59.999 Shanghai time.
    const d = calendar.deadline(at('2026-03-03T10:00:00+08:00'), 1)
    expect(d.ms).toBe(Date.parse('2026-03-05T00:00:00+08:00') - 1)
  })

  it('marks a deadline provisional when it counts days of a year without official data', () => {
    const late = calendar.deadline(at('2026-12-31T15:00:00+08:00'), 1)
    expect(late).toMatchObject({ at: '2027-01-01T23:59:59+08:00', provisional: true })
    expect(calendar.deadline(at('2026-12-30T15:00:00+08:00'), 1).provisional).toBe(false)
    expect(calendar.dayInfo(day('2027-02-16'))).toEqual({
      date: '2027-02-16',
      workday: true,
      provisional: true,
    })
    expect(calendar.firstProvisionalYear(2026)).toBe(2027)
  })

  it('an imported notice for the next year ends the provisional marking', () => {
    const y2027: YearTable = buildYearTable(
      {
        year: 2027,
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
        workdays: [],
      },
      'imported',
    )
    const withImport = new WorkingCalendar([
      ...chineseDaysTables(),
      ...bundledTables(resources),
      y2027,
    ])
    expect(withImport.deadline(at('2026-12-31T15:00:00+08:00'), 1)).toMatchObject({
      at: '2027-01-04T23:59:59+08:00',
      provisional: false,
    })
  })

  it('an import beats the bundled table, which beats chinese-days, for the same year', () => {
    const custom = buildYearTable(
      {
        year: 2026,
        notice: { title: '测试', published: '2026-01-02' },
        holidays: [{ name: '测试假', from: '2026-03-03', to: '2026-03-03' }],
        workdays: [],
      },
      'imported',
    )
    const c = new WorkingCalendar([custom, ...bundledTables(resources), ...chineseDaysTables()])
    expect(c.isWorkday(day('2026-03-03'))).toBe(false)
    // The whole year is the import's: the bundled table's Spring Festival no longer applies.
    expect(c.isWorkday(day('2026-02-16'))).toBe(true)
    expect(c.years().find((y) => y.year === 2026)?.source).toBe('imported')
  })

  it('refuses a non-positive number of working days', () => {
    expect(() => calendar.deadline(Date.now(), 0)).toThrow(RangeError)
  })
})

describe('countdowns', () => {
  it('counts working days left, 0 on the day, negative once past', () => {
    const deadline = day('2026-04-07') // Tuesday after 清明
    expect(calendar.workingDaysLeft(at('2026-04-03T09:00:00+08:00'), deadline)).toBe(1)
    expect(calendar.workingDaysLeft(at('2026-04-07T09:00:00+08:00'), deadline)).toBe(0)
    expect(calendar.workingDaysLeft(at('2026-04-09T09:00:00+08:00'), deadline)).toBe(-2)
    // Past the deadline over a weekend only: still overdue.
    expect(calendar.workingDaysLeft(at('2026-04-12T09:00:00+08:00'), day('2026-04-10'))).toBe(-1)
  })

  it('counts office-hours minutes on working days only', () => {
    const hours = parseOfficeHours([
      ['09:00', '12:00'],
      ['13:30', '17:30'],
    ])
    const deadlineMs = calendar.deadline(at('2026-04-03T10:00:00+08:00'), 1).ms
    // Friday 16:00 → Tuesday end: 1.5 h Friday + 7 h Tuesday (Sat–Mon are off).
    expect(calendar.workingMinutesBetween(at('2026-04-03T16:00:00+08:00'), deadlineMs, hours)).toBe(
      510,
    )
    // Tuesday 15:30: two working hours left.
    expect(calendar.workingMinutesBetween(at('2026-04-07T15:30:00+08:00'), deadlineMs, hours)).toBe(
      120,
    )
    expect(calendar.workingMinutesBetween(deadlineMs + 1, deadlineMs, hours)).toBe(0)
  })
})

describe('instants', () => {
  it('reads ISO date-times with offsets, Shanghai local without one', () => {
    expect(parseInstant('2026-04-03T16:30:00+08:00')).toBe(Date.UTC(2026, 3, 3, 8, 30))
    expect(parseInstant('2026-04-03T16:30')).toBe(Date.UTC(2026, 3, 3, 8, 30))
    expect(parseInstant('2026-04-03T08:30:00Z')).toBe(Date.UTC(2026, 3, 3, 8, 30))
    expect(parseInstant('2026-04-03T08:30:00.250Z')).toBe(Date.UTC(2026, 3, 3, 8, 30, 0, 250))
    expect(parseInstant('2026-04-03')).toBe(Date.UTC(2026, 3, 2, 16))
    for (const bad of ['2026-02-30T10:00', '2026-04-03T25:00', 'yesterday', '2026-4-3', ''])
      expect(parseInstant(bad), bad).toBeUndefined()
  })

  it('refuses a bundled file that is damaged, keeping the other sources', () => {
    expect(bundledTables(join(resources, 'no-such-folder'))).toEqual([])
  })
})
