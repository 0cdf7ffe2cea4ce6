import { readFileSync } from 'node:fs'
import { CounterError } from '../../../shared/errors'
import { createSealer, OutboxStore } from '../../issuance'
import { ART14_WORKING_DAYS, dayNumber, parseInstant, reviseQueuedDeadlines } from '../../sync'
import { printJson, type Command } from '../command'
import { localStore, STORE_OPTIONS, storeCalendar } from './local-store'

function badArgument(problem: string): CounterError {
  return new CounterError('CALENDAR_BAD_ARGUMENT', { params: { problem } })
}

export const calendarCommands: Command[] = [
  {
    path: ['calendar', 'deadline'],
    usage: 'calendar deadline --completed <ISO 时间> --working-days <N>',
    summary: `推送时限：办结后第 N 个工作日结束（离线 ${ART14_WORKING_DAYS.offline}，批量 ${ART14_WORKING_DAYS.bulk}）`,
    options: {
      completed: { type: 'string' },
      'working-days': { type: 'string' },
      ...STORE_OPTIONS,
    },
    run(args, ctx) {
      const completed = args.values.completed
      const n = Number(args.values['working-days'] ?? ART14_WORKING_DAYS.offline)
      if (typeof completed !== 'string') throw badArgument('缺少 --completed')
      const ms = parseInstant(completed)
      if (ms === undefined) throw badArgument(`无法识别的时间 ${completed}`)
      if (!Number.isInteger(n) || n < 1 || n > 60)
        throw badArgument('--working-days 应为 1–60 的整数')
      const { calendar, db } = storeCalendar(localStore(args), ctx.resourcesDir)
      try {
        const d = calendar.current().deadline(ms, n)
        printJson(ctx, { deadline: d.at, provisional: d.provisional })
      } finally {
        db?.close()
      }
      return 0
    },
  },
  {
    path: ['calendar', 'is-workday'],
    usage: 'calendar is-workday <YYYY-MM-DD>',
    summary: '某日是否为工作日（含调休），以及数据是否为暂定',
    options: { ...STORE_OPTIONS },
    run(args, ctx) {
      const date = args.positionals[0]
      const day = date === undefined ? undefined : dayNumber(date)
      if (day === undefined) throw badArgument(`日期应写作 YYYY-MM-DD：${date ?? '（缺少）'}`)
      const { calendar, db } = storeCalendar(localStore(args), ctx.resourcesDir)
      try {
        const info = calendar.current().dayInfo(day)
        printJson(ctx, {
          workday: info.workday,
          provisional: info.provisional,
          ...(info.name ? { name: info.name } : {}),
        })
      } finally {
        db?.close()
      }
      return 0
    },
  },
  {
    path: ['calendar', 'import'],
    usage: 'calendar import <file>',
    summary: '导入国务院节假日安排通知（原文 .txt 或 JSON），并按新日历重算待推送事项的时限',
    options: { ...STORE_OPTIONS, by: { type: 'string' } },
    run(args, ctx) {
      const file = args.positionals[0]
      if (!file) {
        ctx.stderr('用法: calendar import <file>\n')
        return 64
      }
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch (cause) {
        throw new CounterError('CALENDAR_FILE_UNREADABLE', { params: { file }, cause })
      }
      const { calendar, db } = storeCalendar(localStore(args), ctx.resourcesDir, true)
      try {
        const by = typeof args.values.by === 'string' ? args.values.by : 'cli'
        // Queued items follow the new calendar as they do in the app. Only plain columns are
        // read and written, so no data key is needed.
        let revisedDeadlines = 0
        calendar.onChange((c, years) => {
          if (db)
            revisedDeadlines = reviseQueuedDeadlines(
              new OutboxStore(db, createSealer(undefined)),
              c,
              years,
            )
        })
        printJson(ctx, { imported: calendar.importFile(file, text, by), revisedDeadlines })
      } finally {
        db?.close()
      }
      return 0
    },
  },
  {
    path: ['calendar', 'status'],
    usage: 'calendar status',
    summary: '已有官方节假日数据的年份及来源',
    options: { ...STORE_OPTIONS },
    run(args, ctx) {
      const { calendar, db } = storeCalendar(localStore(args), ctx.resourcesDir)
      try {
        const c = calendar.current()
        printJson(ctx, { years: c.years(), firstProvisionalYear: c.firstProvisionalYear() })
      } finally {
        db?.close()
      }
      return 0
    },
  },
]
