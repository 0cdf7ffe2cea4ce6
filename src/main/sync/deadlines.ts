/**
 * Art. 14 deadlines on the working-day calendar: an offline issuance is pushed by the end of the
 * first working day after completion, a one-time bulk issuance by the end of the fifth. Status
 * changes are to be synced at once; queued offline they get the one-day rule as their limit.
 */
import type { IssueMode } from '../../shared/domain'
import type { WorkingCalendar, OfficeHours } from './calendar/calendar'
import { minutesOfDay, shanghaiDay } from './calendar/dates'

export const ART14_WORKING_DAYS: Readonly<Record<IssueMode | 'status', number>> = {
  online: 1,
  offline: 1,
  bulk: 5,
  status: 1,
}

/** The issuance domain's DeadlinePolicy, on the calendar as it stands when the item is written. */
export function deadlinePolicy(calendar: () => WorkingCalendar) {
  return {
    deadline(kind: IssueMode | 'status', completedMs: number) {
      const d = calendar().deadline(completedMs, ART14_WORKING_DAYS[kind])
      return { at: d.at, ms: d.ms, provisional: d.provisional }
    },
  }
}

/** `[['09:00', '12:00'], ['13:30', '17:30']]` → minutes; spans must be ordered and apart. */
export function parseOfficeHours(spans: readonly (readonly [string, string])[]): OfficeHours {
  const out: [number, number][] = []
  for (const [a, b] of spans) {
    const from = minutesOfDay(a)
    const to = minutesOfDay(b)
    if (from === undefined || to === undefined || to <= from)
      throw new RangeError(`bad office hours ${a}–${b}`)
    if (out.length > 0 && from < out.at(-1)![1]) throw new RangeError('office hours overlap')
    out.push([from, to])
  }
  return out
}

export interface Countdown {
  readonly workingDaysLeft: number
  readonly workingMinutesLeft: number
  readonly overdue: boolean
}

export function countdown(
  calendar: WorkingCalendar,
  hours: OfficeHours,
  nowMs: number,
  deadlineMs: number,
): Countdown {
  const overdue = nowMs > deadlineMs
  return {
    workingDaysLeft: calendar.workingDaysLeft(nowMs, shanghaiDay(deadlineMs)),
    workingMinutesLeft: overdue ? 0 : calendar.workingMinutesBetween(nowMs, deadlineMs, hours),
    overdue,
  }
}
