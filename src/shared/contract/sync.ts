/**
 * The outbox and its delivery to the library (or the front-end processor), and the working-day
 * calendar behind the deadlines: the supervisor's dashboard and the administrator's import.
 */
import { z } from 'zod'
import {
  CalendarStatusSchema,
  CalendarYearViewSchema,
  DailySyncStatsSchema,
  DeadlineAlertSchema,
  OutboxItemViewSchema,
  OutboxSummarySchema,
  SyncStatusSchema,
} from '../domain'
import { none, type EventTable, type MethodTable } from './table'

export const syncMethods = {
  /** Counts by state, overdue and due-soon items. */
  'outbox.summary': { args: none, result: OutboxSummarySchema },
  /** Unsent items with their deadline countdown (supervisors). */
  'outbox.items': {
    args: z.tuple([
      z
        .object({
          state: z.enum(['pending', 'parked']).optional(),
          limit: z.number().int().min(1).max(1000).optional(),
        })
        .optional(),
    ]),
    result: z.array(OutboxItemViewSchema),
  },
  /** A supervisor offers parked items again once the cause is fixed. */
  'outbox.retry': {
    args: z.tuple([z.array(z.number().int().min(1)).min(1).max(1000)]),
    result: z.object({ retried: z.number().int() }),
  },
  /** The pusher's state and progress. */
  'sync.status': { args: none, result: SyncStatusSchema },
  /** Push now, without waiting for the backoff (supervisors). */
  'sync.pushNow': { args: none, result: SyncStatusSchema },
  /** Completions per day and how many were pushed on time (supervisors). */
  'sync.history': {
    args: z.tuple([z.number().int().min(1).max(90)]),
    result: z.array(DailySyncStatsSchema),
  },
  /** Which years have official holiday data; today's working-day status. */
  'calendar.status': { args: none, result: CalendarStatusSchema },
  /** An administrator loads next year's State Council notice (its text, or our JSON table). */
  'calendar.import': {
    args: z.tuple([
      z.object({ fileName: z.string().min(1).max(200), text: z.string().min(1).max(65_536) }),
    ]),
    result: z.array(CalendarYearViewSchema),
  },
} as const satisfies MethodTable

export const syncEvents = {
  /** The pusher's state, as it changes (at most a few times a second). */
  'sync.progress': SyncStatusSchema,
  /** The outbox changed: a licence queued, delivered or parked. */
  'outbox.changed': OutboxSummarySchema,
  /** An unsent item is within two working hours of its deadline, or past it. */
  'sync.deadlineAlert': DeadlineAlertSchema,
} as const satisfies EventTable
