/**
 * Deadlines are stored with each queued item when it is written, on the calendar of that moment.
 * When the calendar changes — an administrator imports next year's notice, or an update bundles
 * one — the stored deadlines of the items it concerns are computed again, so overdue counts,
 * alerts and the compliance recorded on delivery follow the official arrangement, not the guess.
 */
import type { OutboxStore } from '../issuance'
import type { WorkingCalendar } from './calendar/calendar'
import { shanghaiDay, yearOf } from './calendar/dates'
import { deadlinePolicy } from './deadlines'

/**
 * Recomputes, in one transaction, the deadline of every queued item that was provisional or
 * whose count (from the day of completion to the deadline day) touches one of `years`; without
 * `years` (anything may have changed) every queued item. Returns how many deadlines changed.
 */
export function reviseQueuedDeadlines(
  outbox: OutboxStore,
  calendar: WorkingCalendar,
  years?: readonly number[],
): number {
  const changed = years ? new Set(years) : undefined
  const touches = (completedMs: number, deadlineMs: number): boolean => {
    if (!changed) return true
    const last = yearOf(shanghaiDay(deadlineMs))
    for (let y = yearOf(shanghaiDay(completedMs)); y <= last; y++) if (changed.has(y)) return true
    return false
  }
  const policy = deadlinePolicy(() => calendar)
  return outbox.reviseDeadlines((item) => {
    if (!item.provisional && !touches(item.completedAtMs, item.deadlineMs)) return undefined
    // Status changes are queued with the one-day limit whatever the licence's issue mode.
    return policy.deadline(item.kind === 'status' ? 'status' : item.mode, item.completedAtMs)
  })
}
