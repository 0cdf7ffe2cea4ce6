/**
 * What the supervisor sees: outbox rows with their countdown in working days, the summary by
 * state, and the per-day chart of completions against deadline compliance.
 */
import type { DailySyncStats, OutboxItemView, OutboxSummary } from '../../shared/domain'
import { describeError } from '../../shared/errors'
import type { OutboxRow, OutboxStore } from '../issuance'
import type { Db } from '../db'
import type { OfficeHours, WorkingCalendar } from './calendar/calendar'
import { dateOf, shanghaiDay } from './calendar/dates'
import { countdown } from './deadlines'

export function itemView(
  r: OutboxRow,
  calendar: WorkingCalendar,
  hours: OfficeHours,
  nowMs: number,
): OutboxItemView {
  const c = countdown(calendar, hours, nowMs, r.deadlineMs)
  const inFlight = r.state === 'pending' && r.leaseUntilMs !== null && r.leaseUntilMs >= nowMs
  return {
    id: r.id,
    kind: r.kind,
    ...(r.action ? { action: r.action } : {}),
    identifier: r.identifier,
    typeName: r.typeName,
    holderMasked: r.holderMasked,
    mode: r.mode,
    completedAt: r.completedAt,
    deadline: { at: r.deadline, provisional: r.deadlineProvisional },
    workingDaysLeft: c.workingDaysLeft,
    workingMinutesLeft: c.workingMinutesLeft,
    overdue: c.overdue,
    state: inFlight ? 'in-flight' : r.state,
    attempts: r.attempts,
    ...(r.lastErrorCode
      ? {
          lastError: {
            code: r.lastErrorCode,
            message: r.lastError ?? describeError(r.lastErrorCode).message,
            hint: describeError(r.lastErrorCode).hint,
          },
        }
      : {}),
    ...(r.state === 'pending' && r.nextAttemptMs > nowMs
      ? { nextAttemptAt: new Date(r.nextAttemptMs).toISOString() }
      : {}),
    waitingForEarlier: r.waitingForEarlier,
  }
}

export function summary(
  outbox: OutboxStore,
  calendar: WorkingCalendar,
  hours: OfficeHours,
  alertMinutes: number,
  nowMs: number,
): OutboxSummary {
  const counts = outbox.counts(nowMs)
  let overdue = 0
  let dueSoon = 0
  let oldest: OutboxRow | undefined
  for (const r of outbox.rows({ limit: 100_000 })) {
    oldest ??= r
    if (nowMs > r.deadlineMs) overdue++
    else if (calendar.workingMinutesBetween(nowMs, r.deadlineMs, hours) <= alertMinutes) dueSoon++
  }
  return {
    pending: counts.pending,
    inFlight: counts.inFlight,
    parked: counts.parked,
    overdue,
    dueSoon,
    alertWorkingMinutes: alertMinutes,
    ...(oldest
      ? { oldestDeadline: { at: oldest.deadline, provisional: oldest.deadlineProvisional } }
      : {}),
  }
}

/** Completions per Shanghai day for the last `days` days: sent on time, late, waiting, overdue. */
export function dailyStats(db: Db, days: number, nowMs: number): DailySyncStats[] {
  const today = shanghaiDay(nowMs)
  const from = dateOf(today - days + 1)
  const stats = new Map<string, DailySyncStats>()
  for (let d = today - days + 1; d <= today; d++) {
    const date = dateOf(d)
    stats.set(date, { date, completed: 0, sentOnTime: 0, sentLate: 0, waiting: 0, overdue: 0 })
  }
  const add = (
    date: string,
    patch: Partial<Record<keyof Omit<DailySyncStats, 'date'>, number>>,
  ) => {
    const s = stats.get(date)
    if (!s) return
    const next = { ...s }
    for (const [k, v] of Object.entries(patch) as [keyof Omit<DailySyncStats, 'date'>, number][])
      next[k] += v
    stats.set(date, next)
  }
  const sent = db
    .prepare(
      `SELECT completed_day AS day, SUM(on_time) AS onTime, SUM(1 - on_time) AS late
       FROM sync_history WHERE completed_day >= ? GROUP BY completed_day`,
    )
    .all(from) as { day: string; onTime: number; late: number }[]
  for (const r of sent)
    add(r.day, { completed: r.onTime + r.late, sentOnTime: r.onTime, sentLate: r.late })
  const unsent = db
    .prepare(`SELECT completed_at AS completedAt, deadline_ms AS deadlineMs FROM outbox`)
    .all() as { completedAt: string; deadlineMs: number }[]
  for (const r of unsent) {
    const day = dateOf(shanghaiDay(Date.parse(r.completedAt)))
    add(day, nowMs > r.deadlineMs ? { completed: 1, overdue: 1 } : { completed: 1, waiting: 1 })
  }
  return [...stats.values()]
}
