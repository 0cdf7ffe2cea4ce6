/**
 * Watches the deadlines of unsent items: once an item has two working hours (office hours on
 * working days) or less before its deadline — or is already past it — one alert is raised for it.
 * The alert is remembered in the outbox, so a restart does not repeat it.
 */
import type { DeadlineAlert } from '../../shared/domain'
import type { OutboxStore } from '../issuance'
import type { OfficeHours, WorkingCalendar } from './calendar/calendar'

/** The items due for an alert now. Pure: the caller raises them and marks them. */
export function dueAlerts(
  outbox: OutboxStore,
  calendar: WorkingCalendar,
  hours: OfficeHours,
  alertMinutes: number,
  nowMs: number,
): DeadlineAlert[] {
  // Two working hours can span a weekend or a holiday; a week ahead is more than enough.
  const horizon = nowMs + 14 * 86_400_000
  const out: DeadlineAlert[] = []
  for (const r of outbox.unalertedBefore(horizon)) {
    const overdue = nowMs > r.deadlineMs
    const minutes = overdue ? 0 : calendar.workingMinutesBetween(nowMs, r.deadlineMs, hours)
    if (!overdue && minutes > alertMinutes) continue
    out.push({
      id: r.id,
      identifier: r.identifier,
      typeName: r.typeName,
      deadline: { at: r.deadline, provisional: r.deadlineProvisional },
      workingMinutesLeft: minutes,
      overdue,
    })
  }
  return out
}

/** The words of the desktop notification for an alert. */
export function alertNotice(a: DeadlineAlert): { title: string; body: string } {
  const deadline = a.deadline.at.slice(0, 16).replace('T', ' ')
  if (a.overdue)
    return {
      title: '电子证照推送已超时',
      body: `${a.typeName}（${a.identifier.split('.').slice(-3, -2)[0]}）未在 ${deadline} 前推送，请立即处理。`,
    }
  const h = Math.floor(a.workingMinutesLeft / 60)
  const m = a.workingMinutesLeft % 60
  return {
    title: '电子证照即将超过推送时限',
    body: `${a.typeName} 还剩 ${h > 0 ? `${h} 小时 ` : ''}${m} 分钟工作时间（时限 ${deadline}${a.deadline.provisional ? '，暂定' : ''}），尚未推送。`,
  }
}
