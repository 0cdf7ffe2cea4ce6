/**
 * One year of the State Council's holiday arrangement (国务院办公厅关于部分节假日安排的通知): the days
 * off and the weekend days worked instead. Tables come from three places — an administrator's
 * import, the app's bundled dated file, and the `chinese-days` package — and are checked the same
 * way whatever their origin.
 */
import { createRequire } from 'node:module'
import { z } from 'zod'
import { CounterError } from '../../../shared/errors'
import { dateOf, dayNumber, weekday, yearOf } from './dates'

export type CalendarSource = 'imported' | 'bundled' | 'chinese-days'

export interface NoticeInfo {
  readonly title: string
  /** When the notice was published, `YYYY-MM-DD`. */
  readonly published?: string
}

export interface YearTable {
  readonly year: number
  readonly source: CalendarSource
  readonly notice?: NoticeInfo
  /** Day number → holiday name, for every day off the notice lists (weekends included). */
  readonly holidays: ReadonlyMap<number, string>
  /** Day number → holiday name, for the weekend days worked in exchange (调休上班). */
  readonly workdays: ReadonlyMap<number, string>
}

const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** The file format of the bundled table and of an administrator's JSON import. */
export const YearTableFileSchema = z
  .object({
    year: z.number().int().min(2000).max(2200),
    notice: z
      .object({ title: z.string().min(1).max(200), published: DateString.optional() })
      .strict()
      .optional(),
    holidays: z
      .array(
        z.object({ name: z.string().min(1).max(40), from: DateString, to: DateString }).strict(),
      )
      .min(1)
      .max(30),
    workdays: z
      .array(z.object({ name: z.string().min(1).max(40), date: DateString }).strict())
      .max(30),
  })
  .strict()
export type YearTableFile = z.infer<typeof YearTableFileSchema>

export const CalendarFileSchema = z
  .object({
    format: z.literal('counterdesk-calendar'),
    years: z.array(YearTableFileSchema).min(1).max(200),
  })
  .strict()
export type CalendarFile = z.infer<typeof CalendarFileSchema>

/** A notice may reach back into the previous December (the 2023 notice began on 2022-12-31). */
function inReach(year: number, day: number): boolean {
  const y = yearOf(day)
  return y === year || (y === year - 1 && dateOf(day).slice(5, 7) === '12')
}

function invalid(problem: string): CounterError {
  return new CounterError('CALENDAR_TABLE_INVALID', { params: { problem } })
}

/** Checks a table's inner consistency and turns it into day maps. */
export function buildYearTable(file: YearTableFile, source: CalendarSource): YearTable {
  const { year } = file
  const holidays = new Map<number, string>()
  const workdays = new Map<number, string>()
  for (const h of file.holidays) {
    const from = dayNumber(h.from)
    const to = dayNumber(h.to)
    if (from === undefined || to === undefined)
      throw invalid(`${h.name} 的日期 ${h.from}—${h.to} 不存在`)
    if (to < from) throw invalid(`${h.name} 的结束日期早于开始日期`)
    if (to - from > 15) throw invalid(`${h.name} 的假期超过 16 天`)
    if (!inReach(year, from) || !inReach(year, to))
      throw invalid(`${h.name} 的日期 ${h.from}—${h.to} 不属于 ${year} 年`)
    for (let d = from; d <= to; d++) {
      if (holidays.has(d)) throw invalid(`${dateOf(d)} 重复列为假日`)
      holidays.set(d, h.name)
    }
  }
  for (const w of file.workdays) {
    const d = dayNumber(w.date)
    if (d === undefined) throw invalid(`调休上班日 ${w.date} 不存在`)
    if (!inReach(year, d)) throw invalid(`调休上班日 ${w.date} 不属于 ${year} 年`)
    const wd = weekday(d)
    if (wd !== 0 && wd !== 6) throw invalid(`调休上班日 ${w.date} 不是周末`)
    if (holidays.has(d)) throw invalid(`${w.date} 同时列为假日和上班日`)
    if (workdays.has(d)) throw invalid(`${w.date} 重复列为上班日`)
    workdays.set(d, w.name)
  }
  return { year, source, ...(file.notice ? { notice: file.notice } : {}), holidays, workdays }
}

/** A table back in its file form (for storing an import and for export). */
export function yearTableToFile(t: YearTable): YearTableFile {
  const ranges: { name: string; from: string; to: string }[] = []
  const days = [...t.holidays.keys()].sort((a, b) => a - b)
  for (const d of days) {
    const name = t.holidays.get(d)!
    const last = ranges.at(-1)
    if (last && last.name === name && dayNumber(last.to)! + 1 === d) last.to = dateOf(d)
    else ranges.push({ name, from: dateOf(d), to: dateOf(d) })
  }
  return {
    year: t.year,
    ...(t.notice ? { notice: t.notice } : {}),
    holidays: ranges,
    workdays: [...t.workdays.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([d, name]) => ({ name, date: dateOf(d) })),
  }
}

export function parseCalendarFile(json: unknown, source: CalendarSource): YearTable[] {
  const parsed = CalendarFileSchema.safeParse(json)
  if (!parsed.success) {
    const i = parsed.error.issues[0]!
    throw invalid(`${i.path.join('.') || '(根)'}: ${i.message}`)
  }
  const seen = new Set<number>()
  return parsed.data.years.map((y) => {
    if (seen.has(y.year)) throw invalid(`${y.year} 年重复出现`)
    seen.add(y.year)
    return buildYearTable(y, source)
  })
}

interface ChineseDaysData {
  readonly holidays: Record<string, string>
  readonly workdays: Record<string, string>
}

/** `chinese-days` names a day "English,中文,N"; the Chinese name is what the clerk reads. */
function chineseName(value: string): string {
  return value.split(',')[1]?.trim() || value
}

/**
 * The `chinese-days` package's data, by year. Each year it lists is an official arrangement; a
 * year it does not list is unknown to it (it would silently call every weekday a working day).
 */
export function chineseDaysTables(data?: ChineseDaysData): YearTable[] {
  const d =
    data ??
    (createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData)
  const byYear = new Map<number, { holidays: Map<number, string>; workdays: Map<number, string> }>()
  const slot = (date: string) => {
    const y = Number(date.slice(0, 4))
    let s = byYear.get(y)
    if (!s) byYear.set(y, (s = { holidays: new Map(), workdays: new Map() }))
    return s
  }
  for (const [date, name] of Object.entries(d.holidays)) {
    const day = dayNumber(date)
    if (day !== undefined) slot(date).holidays.set(day, chineseName(name))
  }
  for (const [date, name] of Object.entries(d.workdays)) {
    const day = dayNumber(date)
    if (day !== undefined) slot(date).workdays.set(day, chineseName(name))
  }
  return [...byYear.entries()]
    .filter(([, s]) => s.holidays.size > 0)
    .map(([year, s]) => ({ year, source: 'chinese-days' as const, ...s }))
}
