/**
 * Deadline alerts: an unsent item is raised once it has two working hours or less (office hours
 * on working days) before its deadline, or is past it — and the words the desktop shows.
 */
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import {
  alertNotice,
  bundledTables,
  chineseDaysTables,
  dueAlerts,
  parseInstant,
  parseOfficeHours,
  WorkingCalendar,
} from '../../../../src/main/sync'
import { enqueueMany, openTestDb, testOutbox } from './helpers'

const calendar = new WorkingCalendar([
  ...chineseDaysTables(),
  ...bundledTables(resolve(import.meta.dirname, '../../../../resources')),
])
const hours = parseOfficeHours([
  ['09:00', '12:00'],
  ['13:30', '17:30'],
])
const at = (iso: string) => parseInstant(iso)!

it('raises items within two working hours of their deadline, or past it, once', () => {
  const outbox = testOutbox(openTestDb())
  // Completed Friday 2026-04-03 before 清明: deadline Tuesday 04-07 end of day.
  const deadline = calendar.deadline(at('2026-04-03T10:00:00+08:00'), 1)
  enqueueMany(outbox, 2, 1, { deadline: { at: deadline.at, ms: deadline.ms, provisional: false } })
  // Friday afternoon: a whole working day (Tuesday) still ahead, across the three days off.
  expect(dueAlerts(outbox, calendar, hours, 120, at('2026-04-03T16:00:00+08:00'))).toEqual([])
  // Tuesday 15:29: 121 working minutes left — not yet; 15:31: 119 — raised.
  expect(dueAlerts(outbox, calendar, hours, 120, at('2026-04-07T15:29:00+08:00'))).toEqual([])
  const due = dueAlerts(outbox, calendar, hours, 120, at('2026-04-07T15:31:00+08:00'))
  expect(due.map((a) => [a.workingMinutesLeft, a.overdue])).toEqual([
    [119, false],
    [119, false],
  ])
  outbox.markAlerted(due.map((a) => a.id))
  expect(dueAlerts(outbox, calendar, hours, 120, at('2026-04-08T10:00:00+08:00'))).toEqual([])

  expect(alertNotice(due[0]!)).toEqual({
    title: '电子证照即将超过推送时限',
    body: '中华人民共和国残疾人证 还剩 1 小时 59 分钟工作时间（时限 2026-04-07 23:59），尚未推送。',
  })
  expect(alertNotice({ ...due[0]!, overdue: true, workingMinutesLeft: 0 }).title).toBe(
    '电子证照推送已超时',
  )
})
