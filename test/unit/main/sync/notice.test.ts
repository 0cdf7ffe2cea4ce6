/**
 * Reading the State Council's holiday notice as published: the 2026 text gives exactly the
 * reference table; notices written in the same style for every year 2010–2026 give back the
 * `chinese-days` data; mistakes (a weekday that does not match, a wrong day count, the wrong
 * year) are refused with the line at fault; and no input, however mangled, crashes or hangs it.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CounterError } from '../../../../src/shared/errors'
import {
  bundledTables,
  buildYearTable,
  chineseDaysTables,
  parseCalendarImport,
  parseHolidayNotice,
  type YearTable,
} from '../../../../src/main/sync'

const fixtures = join(import.meta.dirname, 'fixtures')
const notice2026 = readFileSync(join(fixtures, 'notice-2026.txt'), 'utf8')
const WEEK = '日一二三四五六'
/** The notice's paragraph indent: two ideographic spaces. */
const INDENT = '\u3000\u3000'

function days(t: YearTable) {
  return { off: [...t.holidays.keys()].sort(), worked: [...t.workdays.keys()].sort() }
}

/** Writes a table the way the General Office writes its notice. */
function formatNotice(t: YearTable): string {
  const md = (d: number, withMonth = true) => {
    const date = new Date(d * 86_400_000)
    const text = withMonth
      ? `${date.getUTCMonth() + 1}月${date.getUTCDate()}日`
      : `${date.getUTCDate()}日`
    return `${text}（周${WEEK[date.getUTCDay()]}）`
  }
  const ranges: { name: string; from: number; to: number }[] = []
  for (const d of [...t.holidays.keys()].sort((a, b) => a - b)) {
    const name = t.holidays.get(d)!
    const last = ranges.at(-1)
    if (last && last.name === name && last.to + 1 === d) last.to = d
    else ranges.push({ name, from: d, to: d })
  }
  const used = new Set<string>()
  const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二']
  const lines = ranges.map((r, i) => {
    const sameMonth =
      new Date(r.from * 86_400_000).getUTCMonth() === new Date(r.to * 86_400_000).getUTCMonth()
    const span = r.from === r.to ? md(r.from) : `${md(r.from)}至${md(r.to, !sameMonth)}`
    let line = `${numerals[i]}、${r.name}：${span}放假调休，共${r.to - r.from + 1}天。`
    if (!used.has(r.name)) {
      used.add(r.name)
      const worked = [...t.workdays.entries()].filter(([, n]) => n === r.name).map(([d]) => d)
      if (worked.length > 0)
        line += `${worked
          .sort((a, b) => a - b)
          .map((d) => md(d))
          .join('、')}上班。`
    }
    return INDENT + line
  })
  return [
    `国务院办公厅关于${t.year}年部分节假日安排的通知`,
    '',
    '各省、自治区、直辖市人民政府，国务院各部委、各直属机构：',
    `${INDENT}经国务院批准，现将${t.year}年放假调休日期的具体安排通知如下。`,
    ...lines,
    INDENT + '鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。',
    '',
    '国务院办公厅',
    `${t.year - 1}年11月4日`,
  ].join('\n')
}

function expectRefused(text: string, pattern: RegExp) {
  try {
    parseHolidayNotice(text)
  } catch (error) {
    expect(error).toBeInstanceOf(CounterError)
    expect((error as CounterError).code).toBe('CALENDAR_NOTICE_INVALID')
    expect((error as CounterError).message).toMatch(pattern)
    return
  }
  throw new Error('accepted: ' + text.slice(0, 80))
}

describe('the 2026 notice as published', () => {
  it('gives exactly the bundled (reference) table', () => {
    const parsed = parseHolidayNotice(notice2026)
    expect(parsed.year).toBe(2026)
    expect(parsed.notice).toEqual({
      title: '国务院办公厅关于2026年部分节假日安排的通知',
      published: '2025-11-04',
    })
    expect(parsed.holidays.map((h) => h.name)).toEqual([
      '元旦',
      '春节',
      '清明节',
      '劳动节',
      '端午节',
      '中秋节',
      '国庆节',
    ])
    const bundled = bundledTables(resolve(import.meta.dirname, '../../../../resources'))[0]!
    expect(days(buildYearTable(parsed, 'imported'))).toEqual(days(bundled))
    const cd = chineseDaysTables().find((t) => t.year === 2026)!
    expect(days(buildYearTable(parsed, 'imported'))).toEqual(days(cd))
  })

  it('is recognised as a notice by the import, as JSON is as a table', () => {
    expect(parseCalendarImport('2026.txt', notice2026)[0]!.year).toBe(2026)
    const json = JSON.stringify({
      year: 2027,
      holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }],
      workdays: [],
    })
    expect(parseCalendarImport('2027.json', json)[0]).toMatchObject({
      year: 2027,
      source: 'imported',
    })
    expect(() => parseCalendarImport('x.json', '{"year": 2027,')).toThrow(/JSON/)
  })
})

describe('notices for every year since 2010', () => {
  const years = chineseDaysTables().filter((t) => t.year >= 2010 && t.year <= 2026)

  it.each(years.map((t) => [t.year, t] as const))(
    '%i reads back as chinese-days has it',
    (_, t) => {
      const parsed = buildYearTable(parseHolidayNotice(formatNotice(t)), 'imported')
      expect(days(parsed)).toEqual(days(t))
    },
  )
})

describe('mistakes are refused with the line at fault', () => {
  it('a weekday that does not match the date (the text of another year)', () => {
    expectRefused(
      notice2026.replace('1月1日（周四）', '1月1日（周五）'),
      /第 5 行.*2026-01-01 是四/,
    )
    expectRefused(notice2026.replace('2026年部分节假日', '2027年部分节假日'), /是/)
  })

  it('a day count that does not match the range', () => {
    expectRefused(notice2026.replace('放假调休，共9天', '放假调休，共8天'), /第 6 行.*9 天.*8 天/)
  })

  it('a date that does not exist, and an item without days off', () => {
    expectRefused(notice2026.replace('6月19日（周五）', '6月31日'), /6月31日 不存在/)
    expectRefused(
      notice2026.replace(
        '三、清明节：4月4日（周六）至6日（周一）放假，共3天。',
        '三、清明节：另行通知。',
      ),
      /清明节：没有放假安排/,
    )
  })

  it('a text without a title or without any item', () => {
    expectRefused('一、元旦：1月1日放假。', /标题/)
    expectRefused('国务院办公厅关于2027年部分节假日安排的通知\n另行通知。', /没有找到任何放假安排/)
  })

  it('the wrong year when a year is expected', () => {
    expect(() => parseHolidayNotice(notice2026, 2027)).toThrow(/2026 年的，不是 2027 年的/)
  })

  it('an adjusted working day that is not a weekend', () => {
    const text = notice2026.replace('1月4日（周日）上班', '1月5日（周一）上班')
    expect(() => buildYearTable(parseHolidayNotice(text), 'imported')).toThrow(/不是周末/)
  })

  it('reads a range across months and a notice reaching into the previous December', () => {
    const t = parseHolidayNotice(
      [
        '国务院办公厅关于2023年部分节假日安排的通知',
        '一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。',
        '二、国庆节：9月29日至10月6日放假调休，共8天。10月7日（周六）、10月8日（周日）上班。',
      ].join('\n'),
    )
    expect(t.holidays).toEqual([
      { name: '元旦', from: '2022-12-31', to: '2023-01-02' },
      { name: '国庆节', from: '2023-09-29', to: '2023-10-06' },
    ])
    expect(buildYearTable(t, 'imported').holidays.size).toBe(11)
  })
})

describe('fuzz', () => {
  // A small deterministic generator, so a failure can be replayed.
  function rng(seed: number) {
    let s = seed >>> 0
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0
      return s / 2 ** 32
    }
  }
  const alphabet = '0123456789月日年至（）、：。，周一二三四五六日放假上班共天\n \u3000'

  it('mutated notices either parse to a checked table or are refused with a CounterError', () => {
    const random = rng(20261104)
    const started = Date.now()
    let refused = 0
    for (let round = 0; round < 3000; round++) {
      const chars = [...notice2026]
      const edits = 1 + Math.floor(random() * 6)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length)
        const op = random()
        const c = alphabet[Math.floor(random() * alphabet.length)]!
        if (op < 0.4) chars[at] = c
        else if (op < 0.7) chars.splice(at, 1)
        else chars.splice(at, 0, c)
      }
      try {
        buildYearTable(parseHolidayNotice(chars.join('')), 'imported')
      } catch (error) {
        expect(error).toBeInstanceOf(CounterError)
        refused++
      }
    }
    expect(refused).toBeGreaterThan(100)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('arbitrary text and oversized input are refused quickly', () => {
    const random = rng(7)
    for (let round = 0; round < 500; round++) {
      const length = Math.floor(random() * 2000)
      let text = ''
      for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(random() * 0x9fff))
      expect(() => parseHolidayNotice(text)).toThrow(CounterError)
    }
    const started = Date.now()
    expect(() => parseHolidayNotice('一、元旦：1月1日至3日放假。'.repeat(10_000))).toThrow(/过长/)
    expect(() => parseHolidayNotice('\n'.repeat(1000))).toThrow(/行数/)
    const long = '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：' + '1'.repeat(60_000)
    expect(() => parseHolidayNotice(long)).toThrow(CounterError)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
