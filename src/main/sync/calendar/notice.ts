/**
 * Reads the State Council's yearly holiday notice as published (国务院办公厅关于 YYYY 年部分节假日
 * 安排的通知), so an administrator can load next year's arrangement from the text alone, offline.
 *
 * Each numbered item reads like `二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）
 * 放假调休，共9天。2月14日（周六）、2月28日（周六）上班。` The sentence with 放假 gives the days off,
 * a sentence ending in 上班 the weekend days worked; other sentences (鼓励…休息) are advice and
 * are skipped. Every weekday written in brackets and every 共N天 is checked against the calendar,
 * so a text pasted under the wrong year, or mistyped, is refused with the line that is wrong.
 */
import { CounterError } from '../../../shared/errors'
import { dateOf, dayNumber, weekday } from './dates'
import type { YearTableFile } from './table'

const MAX_TEXT = 64 * 1024
const MAX_LINES = 400

const NUMERALS = '一二三四五六七八九十'
const WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 }

function fail(line: number, problem: string): never {
  throw new CounterError('CALENDAR_NOTICE_INVALID', { params: { line, problem } })
}

interface DateMention {
  readonly day: number
  /** The weekday written in brackets after it, if any. */
  readonly statedWeekday?: number
  readonly end: number
}

/**
 * Dates in a sentence, in order: `[YYYY年]M月D日` or, after 至, a bare `D日` in the same month.
 * Bracketed notes after a date (`（农历腊月二十八、周日）`) are read for the weekday.
 */
function mentions(text: string, year: number, line: number): DateMention[] {
  const out: DateMention[] = []
  const re = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:[（(]([^）)]{0,40})[）)])?/g
  let lastMonth: number | undefined
  let lastYear = year
  for (const m of text.matchAll(re)) {
    const explicitYear = m[1] ? Number(m[1]) : undefined
    const month = m[2] ? Number(m[2]) : undefined
    if (month === undefined) {
      // A bare `D日` is only meaningful right after 至 and a full date.
      const before = text.slice(0, m.index).trimEnd()
      if (!before.endsWith('至') || lastMonth === undefined) continue
    }
    const y = explicitYear ?? (month === undefined ? lastYear : year)
    const mo = month ?? lastMonth!
    const date = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(Number(m[3])).padStart(2, '0')}`
    const day = dayNumber(date)
    if (day === undefined) fail(line, `日期 ${m[0]} 不存在`)
    const note = m[4] ?? ''
    const wd = /(?:周|星期)([日天一二三四五六])/.exec(note)
    const statedWeekday = wd ? WEEKDAYS[wd[1]!] : undefined
    if (statedWeekday !== undefined && statedWeekday !== weekday(day)) {
      fail(line, `${dateOf(day)} 是${'日一二三四五六'[weekday(day)]!}，而通知写的是${wd![0]}`)
    }
    lastMonth = mo
    lastYear = y
    out.push({
      day,
      ...(statedWeekday !== undefined ? { statedWeekday } : {}),
      end: m.index + m[0].length,
    })
  }
  return out
}

function chineseCount(text: string): number | undefined {
  const m = /共\s*(\d{1,2})\s*天|放假\s*(\d{1,2})\s*天/.exec(text)
  return m ? Number(m[1] ?? m[2]) : undefined
}

/** Parses the notice's text. `year` is taken from the title unless given. */
export function parseHolidayNotice(text: string, expectedYear?: number): YearTableFile {
  if (text.length > MAX_TEXT) fail(0, `文本过长（超过 ${MAX_TEXT / 1024} KB）`)
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[\u3000\s]+/g, ' ').trim())
  if (lines.length > MAX_LINES) fail(0, `行数过多（超过 ${MAX_LINES} 行）`)

  let title: string | undefined
  let year = expectedYear
  const titleIndex = lines.findIndex((l) => /关于\s*\d{4}\s*年\s*部分节假日安排的通知/.test(l))
  if (titleIndex >= 0) {
    title = lines[titleIndex]!.replace(/\s+/g, '')
    const y = Number(/(\d{4})年/.exec(title)![1])
    if (expectedYear !== undefined && y !== expectedYear)
      fail(titleIndex + 1, `通知是 ${y} 年的，不是 ${expectedYear} 年的`)
    year = y
  }
  if (year === undefined) fail(0, '找不到通知标题（关于 YYYY 年部分节假日安排的通知）')

  // The date the notice was signed: a line of its own, `2025年11月4日`, near the end.
  let published: string | undefined
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(lines[i]!)
    if (m) {
      const d = dayNumber(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`)
      if (d !== undefined) published = dateOf(d)
      break
    }
  }

  const holidays: YearTableFile['holidays'] = []
  const workdays: YearTableFile['workdays'] = []
  const itemRe = new RegExp(`^[${NUMERALS}]{1,3}\\s*[、.．]\\s*([^：:]{1,40})[：:](.*)$`)
  lines.forEach((lineText, i) => {
    const line = i + 1
    const item = itemRe.exec(lineText)
    if (!item) return
    const name = item[1]!.trim()
    const body = item[2]!
    let sawHoliday = false
    for (const sentence of body.split(/[。；;]/)) {
      const s = sentence.trim()
      if (!s) continue
      const at = s.indexOf('放假')
      if (at >= 0 && !sawHoliday && !/鼓励|建议/.test(s.slice(0, at))) {
        const dates = mentions(s.slice(0, at), year!, line)
        if (dates.length === 0 || dates.length > 2) fail(line, `${name}：无法读出放假日期`)
        const from = dates[0]!.day
        const to = dates.at(-1)!.day
        if (to < from) fail(line, `${name}：结束日期早于开始日期`)
        const count = chineseCount(s)
        if (count !== undefined && count !== to - from + 1)
          fail(
            line,
            `${name}：${dateOf(from)} 至 ${dateOf(to)} 是 ${to - from + 1} 天，通知写的是 ${count} 天`,
          )
        holidays.push({ name, from: dateOf(from), to: dateOf(to) })
        sawHoliday = true
        continue
      }
      if (/上班$/.test(s) && !/鼓励|建议/.test(s)) {
        const dates = mentions(s, year!, line)
        if (dates.length === 0) fail(line, `${name}：无法读出上班日期`)
        for (const d of dates) workdays.push({ name, date: dateOf(d.day) })
      }
    }
    if (!sawHoliday) fail(line, `${name}：没有放假安排`)
  })
  if (holidays.length === 0) fail(0, '没有找到任何放假安排（应为“一、元旦：…”这样的条目）')

  return {
    year,
    notice: {
      title: title ?? `国务院办公厅关于${year}年部分节假日安排的通知`,
      ...(published ? { published } : {}),
    },
    holidays,
    workdays,
  }
}
