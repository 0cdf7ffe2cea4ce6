/**
 * The working-day calendar: which Shanghai days are working days, by the State Council's yearly
 * notice where there is one and by the weekday rule (Monday–Friday) where there is not — in which
 * case every answer says `provisional`, so nobody mistakes a guess for the official arrangement.
 */
import type { CalendarYearView, DayInfo } from '../../../shared/domain'
import {
  dateOf,
  endOfDayIso,
  endOfDayMs,
  firstDayOfYear,
  shanghaiDay,
  startOfShanghaiDay,
  weekday,
  yearOf,
} from './dates'
import type { CalendarSource, YearTable } from './table'

const WORKDAY = 1
const PROVISIONAL = 2

export interface DeadlineResult {
  /** The deadline's Shanghai day number. */
  readonly day: number
  /** `YYYY-MM-DDT23:59:59+08:00`. */
  readonly at: string
  /** The last millisecond (UTC epoch) that is still on time. */
  readonly ms: number
  readonly provisional: boolean
}

/** Office hours on a working day, as minutes after midnight: `[[540, 720], [810, 1050]]`. */
export type OfficeHours = readonly (readonly [number, number])[]

const SOURCE_RANK: Record<CalendarSource, number> = { 'chinese-days': 0, bundled: 1, imported: 2 }

export class WorkingCalendar {
  private readonly byYear = new Map<number, YearTable>()
  private readonly names = new Map<number, string>()
  private readonly first: number
  private readonly flags: Uint8Array

  /**
   * Tables for the same year: the import beats the bundled file, which beats `chinese-days`. The
   * day flags are precomputed from the first covered year to 2100.
   */
  constructor(tables: readonly YearTable[], lastYear = 2100) {
    for (const t of tables) {
      const have = this.byYear.get(t.year)
      if (!have || SOURCE_RANK[t.source] >= SOURCE_RANK[have.source]) this.byYear.set(t.year, t)
    }
    const years = [...this.byYear.keys()].sort((a, b) => a - b)
    const firstYear = Math.min(years[0] ?? 2004, 2004) - 1
    this.first = firstDayOfYear(firstYear)
    const end = firstDayOfYear(Math.max(lastYear, (years.at(-1) ?? 0) + 1) + 1)
    this.flags = new Uint8Array(end - this.first)
    for (let d = this.first; d < end; d++) {
      const wd = weekday(d)
      let f = wd === 0 || wd === 6 ? 0 : WORKDAY
      if (!this.byYear.has(yearOf(d))) f |= PROVISIONAL
      this.flags[d - this.first] = f
    }
    // Later notices win for the days they share (a January notice reaching into December).
    for (const year of years) {
      const t = this.byYear.get(year)!
      for (const [d, name] of t.holidays) this.set(d, false, name)
      for (const [d, name] of t.workdays) this.set(d, true, name)
    }
  }

  private set(day: number, work: boolean, name: string): void {
    const i = day - this.first
    if (i < 0 || i >= this.flags.length) return
    this.flags[i] = (this.flags[i]! & PROVISIONAL) | (work ? WORKDAY : 0)
    this.names.set(day, name)
  }

  private flag(day: number): number {
    const i = day - this.first
    if (i >= 0 && i < this.flags.length) return this.flags[i]!
    const wd = weekday(day)
    return (wd === 0 || wd === 6 ? 0 : WORKDAY) | (this.byYear.has(yearOf(day)) ? 0 : PROVISIONAL)
  }

  isWorkday(day: number): boolean {
    return (this.flag(day) & WORKDAY) !== 0
  }

  isProvisional(day: number): boolean {
    return (this.flag(day) & PROVISIONAL) !== 0
  }

  dayInfo(day: number): DayInfo {
    const f = this.flag(day)
    const name = this.names.get(day)
    return {
      date: dateOf(day),
      workday: (f & WORKDAY) !== 0,
      provisional: (f & PROVISIONAL) !== 0,
      ...(name ? { name } : {}),
    }
  }

  /**
   * The end of the Nth working day after the day of completion (art. 14: offline issuance N = 1,
   * one-time bulk issuance N = 5). Provisional if any day it counted lies in a year without data.
   */
  deadline(completedMs: number, workingDays: number): DeadlineResult {
    if (!Number.isInteger(workingDays) || workingDays < 1)
      throw new RangeError('workingDays must be a positive integer')
    let day = shanghaiDay(completedMs)
    let left = workingDays
    let provisional = false
    while (left > 0) {
      day++
      const f = this.flag(day)
      if (f & PROVISIONAL) provisional = true
      if (f & WORKDAY) left--
    }
    return { day, at: endOfDayIso(day), ms: endOfDayMs(day), provisional }
  }

  /**
   * Working days left before a deadline day ends, counted from the day `nowMs` falls on: 0 on the
   * deadline day itself, negative (the working days since) once it has passed.
   */
  workingDaysLeft(nowMs: number, deadlineDay: number): number {
    const today = shanghaiDay(nowMs)
    if (today === deadlineDay) return 0
    const [from, to, sign] =
      today < deadlineDay ? [today, deadlineDay, 1] : [deadlineDay, today, -1]
    let n = 0
    for (let d = from + 1; d <= to; d++) if (this.isWorkday(d)) n++
    // Overdue across a weekend only is still overdue: never report 0 after the deadline.
    return sign === 1 ? n : -Math.max(n, 1)
  }

  /** Office-hours minutes between two instants (0 if `to` is not after `from`). */
  workingMinutesBetween(fromMs: number, toMs: number, hours: OfficeHours): number {
    if (toMs <= fromMs) return 0
    let total = 0
    const last = shanghaiDay(toMs)
    for (let d = shanghaiDay(fromMs); d <= last; d++) {
      if (!this.isWorkday(d)) continue
      const start = startOfShanghaiDay(d)
      for (const [a, b] of hours) {
        const lo = Math.max(fromMs, start + a * 60_000)
        const hi = Math.min(toMs, start + b * 60_000)
        if (hi > lo) total += hi - lo
      }
    }
    return Math.floor(total / 60_000)
  }

  /** The years with official data, newest source per year. */
  years(): CalendarYearView[] {
    return [...this.byYear.values()]
      .sort((a, b) => a.year - b.year)
      .map((t) => ({
        year: t.year,
        source: t.source,
        ...(t.notice ? { noticeTitle: t.notice.title } : {}),
        ...(t.notice?.published ? { published: t.notice.published } : {}),
        holidays: t.holidays.size,
        adjustedWorkdays: t.workdays.size,
      }))
  }

  table(year: number): YearTable | undefined {
    return this.byYear.get(year)
  }

  /** The first year after the covered ones: deadlines there are provisional. */
  firstProvisionalYear(fromYear = yearOf(shanghaiDay(Date.now()))): number {
    let y = fromYear
    while (this.byYear.has(y)) y++
    return y
  }
}
