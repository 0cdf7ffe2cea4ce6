/**
 * What the supervisor sees of the outbox and the push to the library: items by state, deadlines
 * counted in working days, the scheduler's progress, and the working-day calendar behind it.
 */
import { z } from 'zod'
import { DeadlineSchema, IssueModeSchema, StatusActionSchema } from './issuance'

export const OutboxStateSchema = z.enum(['pending', 'in-flight', 'parked'])
export type OutboxState = z.infer<typeof OutboxStateSchema>

export const SyncTargetKindSchema = z.enum(['library', 'frontend', 'none'])
export type SyncTargetKind = z.infer<typeof SyncTargetKindSchema>

const ProblemSchema = z.object({ code: z.string(), message: z.string(), hint: z.string() })

export const OutboxItemViewSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['issue', 'status']),
  action: StatusActionSchema.optional(),
  identifier: z.string(),
  typeName: z.string(),
  holderMasked: z.string(),
  mode: IssueModeSchema,
  completedAt: z.string(),
  deadline: DeadlineSchema,
  /** Whole working days left before the deadline day ends; negative once overdue. */
  workingDaysLeft: z.number().int(),
  /** Office-hours minutes left before the deadline; 0 once overdue. */
  workingMinutesLeft: z.number().int(),
  overdue: z.boolean(),
  state: OutboxStateSchema,
  attempts: z.number().int(),
  lastError: ProblemSchema.optional(),
  nextAttemptAt: z.string().optional(),
  /** Waiting for an earlier change of the same licence to go first. */
  waitingForEarlier: z.boolean(),
})
export type OutboxItemView = z.infer<typeof OutboxItemViewSchema>

export const OutboxSummarySchema = z.object({
  pending: z.number().int(),
  inFlight: z.number().int(),
  parked: z.number().int(),
  overdue: z.number().int(),
  /** Unsent, not overdue, and no more than `alertWorkingMinutes` of working time left. */
  dueSoon: z.number().int(),
  /** The due-soon threshold in office-hours minutes (`sync.alertWorkingMinutes`). */
  alertWorkingMinutes: z.number().int(),
  oldestDeadline: DeadlineSchema.optional(),
})
export type OutboxSummary = z.infer<typeof OutboxSummarySchema>

export const SyncStateSchema = z.enum([
  'idle',
  'pushing',
  'backoff',
  'offline',
  'misconfigured',
  'disabled',
])
export type SyncState = z.infer<typeof SyncStateSchema>

export const SyncStatusSchema = z.object({
  target: SyncTargetKindSchema,
  state: SyncStateSchema,
  /** The push under way: items found when it started, and how far it got. */
  run: z
    .object({
      total: z.number().int(),
      sent: z.number().int(),
      parked: z.number().int(),
      startedAt: z.string(),
    })
    .optional(),
  lastSuccessAt: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  consecutiveFailures: z.number().int(),
  lastError: ProblemSchema.optional(),
})
export type SyncStatus = z.infer<typeof SyncStatusSchema>

export const DailySyncStatsSchema = z.object({
  /** Shanghai calendar date of completion. */
  date: z.string(),
  completed: z.number().int(),
  sentOnTime: z.number().int(),
  sentLate: z.number().int(),
  /** Not sent yet, deadline still ahead. */
  waiting: z.number().int(),
  /** Not sent yet, deadline passed. */
  overdue: z.number().int(),
})
export type DailySyncStats = z.infer<typeof DailySyncStatsSchema>

export const DeadlineAlertSchema = z.object({
  id: z.number().int(),
  identifier: z.string(),
  typeName: z.string(),
  deadline: DeadlineSchema,
  workingMinutesLeft: z.number().int(),
  overdue: z.boolean(),
})
export type DeadlineAlert = z.infer<typeof DeadlineAlertSchema>

export const CalendarSourceSchema = z.enum(['imported', 'bundled', 'chinese-days'])

export const CalendarYearViewSchema = z.object({
  year: z.number().int(),
  source: CalendarSourceSchema,
  noticeTitle: z.string().optional(),
  published: z.string().optional(),
  holidays: z.number().int(),
  adjustedWorkdays: z.number().int(),
})
export type CalendarYearView = z.infer<typeof CalendarYearViewSchema>

export const DayInfoSchema = z.object({
  date: z.string(),
  workday: z.boolean(),
  provisional: z.boolean(),
  name: z.string().optional(),
})
export type DayInfo = z.infer<typeof DayInfoSchema>

export const CalendarStatusSchema = z.object({
  years: z.array(CalendarYearViewSchema),
  /** The first year with no official data: its deadlines are provisional. */
  firstProvisionalYear: z.number().int(),
  today: DayInfoSchema,
})
export type CalendarStatus = z.infer<typeof CalendarStatusSchema>
