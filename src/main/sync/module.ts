/**
 * The sync domain in the core: the scheduler that empties the outbox into the library (or the
 * front-end processor), the deadline watch that raises desktop alerts, and the dashboard's and
 * calendar's handlers. Supervisors see the outbox; administrators import holiday notices.
 */
import type { Staff } from '../auth'
import type { CoreContext, CoreModule } from '../context'
import { CounterError } from '../../shared/errors'
import { staffRef, type IssuanceModule } from '../issuance'
import { dueAlerts } from './alerts'
import { shanghaiDay } from './calendar/dates'
import type { CalendarService } from './calendar/service'
import type { WorkingCalendar } from './calendar/calendar'
import { parseOfficeHours } from './deadlines'
import { reviseQueuedDeadlines } from './revise'
import { SyncScheduler } from './scheduler'
import { createSyncTarget, type LibraryEndpoint } from './targets'
import { dailyStats, itemView, summary } from './views'

export interface SyncModuleOptions {
  readonly issuance: Pick<IssuanceModule, 'outbox' | 'templates' | 'onQueued'>
  readonly calendar: CalendarService
  /** The library in use: the configured one, or the training sandbox. */
  readonly library?: LibraryEndpoint
}

export interface SyncModule extends CoreModule<'outbox' | 'sync' | 'calendar'> {
  readonly scheduler: SyncScheduler
  /** Checks deadlines now (the module does it every minute). */
  checkDeadlines(): void
}

const SUPERVISING: readonly Staff['role'][] = ['supervisor', 'administrator']
const ALERT_EVERY_MS = 60_000

export function createSyncModule(ctx: CoreContext, o: SyncModuleOptions): SyncModule {
  const logger = ctx.logger.child('sync')
  const config = ctx.config.sync
  const hours = parseOfficeHours(config.officeHours)
  const { outbox, templates } = o.issuance
  const target = createSyncTarget(config.target, config, o.library, logger)
  const emitSummary = () =>
    ctx.events.emit(
      'outbox.changed',
      summary(outbox, o.calendar.current(), hours, config.alertWorkingMinutes, Date.now()),
    )
  const scheduler = new SyncScheduler({
    outbox,
    target,
    targetKind: config.target,
    batchSize: config.batchSize,
    intervalMs: config.intervalMs,
    backoff: config.backoff,
    logger,
    onStatus: (s) => {
      ctx.events.emit('sync.progress', s)
      // A push that ended (or failed) may leave items closer to their deadline than the last look.
      if (s.state !== 'pushing') checkDeadlines()
    },
    onChange: emitSummary,
    onCatalogue: (entries) => {
      const r = templates.replace(
        entries,
        target?.kind === 'frontend' ? 'HN_catalog_release' : 'library',
      )
      logger.info('licence catalogue refreshed', { saved: r.saved, skipped: r.problems.length })
    },
  })
  o.issuance.onQueued(() => {
    scheduler.wake()
    emitSummary()
  })

  const requireRole = (roles: readonly Staff['role'][]): Staff => {
    const staff = ctx.staff.current()
    if (!staff) throw new CounterError('AUTH_REQUIRED')
    if (!roles.includes(staff.role)) throw new CounterError('SYNC_FORBIDDEN')
    return staff
  }

  const checkDeadlines = () => {
    try {
      const alerts = dueAlerts(
        outbox,
        o.calendar.current(),
        hours,
        config.alertWorkingMinutes,
        Date.now(),
      )
      if (alerts.length === 0) return
      outbox.markAlerted(alerts.map((a) => a.id))
      for (const a of alerts) {
        logger.warn('push deadline near or passed', {
          identifier: a.identifier,
          deadline: a.deadline.at,
          overdue: a.overdue,
        })
        ctx.events.emit('sync.deadlineAlert', a)
      }
    } catch (error) {
      logger.error('deadline check failed', { error })
    }
  }

  // The calendar changed: queued items' stored deadlines follow it, then the dashboard and the
  // deadline watch see the new ones. A failure here must not fail the administrator's import
  // (it is stored); the next start revises again.
  const reviseDeadlines = (calendar: WorkingCalendar, years?: readonly number[]) => {
    try {
      const changed = reviseQueuedDeadlines(outbox, calendar, years)
      if (changed === 0) return
      logger.info('push deadlines recomputed on the changed calendar', {
        items: changed,
        ...(years ? { years } : {}),
      })
      emitSummary()
      checkDeadlines()
    } catch (error) {
      logger.error('push deadlines not recomputed', { error })
    }
  }

  let alertTimer: NodeJS.Timeout | undefined
  let offEvents: (() => void) | undefined
  let offCalendar: (() => void) | undefined

  return {
    scheduler,
    checkDeadlines,
    handlers: {
      outbox: {
        summary: () =>
          summary(outbox, o.calendar.current(), hours, config.alertWorkingMinutes, Date.now()),
        items: (filter) => {
          requireRole(SUPERVISING)
          const now = Date.now()
          const calendar = o.calendar.current()
          return outbox
            .rows({
              ...(filter?.state ? { state: filter.state } : {}),
              limit: filter?.limit ?? 500,
            })
            .map((r) => itemView(r, calendar, hours, now))
        },
        retry: (ids) => {
          const staff = requireRole(SUPERVISING)
          const retried = outbox.unpark(ids)
          logger.info('parked items offered again', { ids, retried, by: staffRef(staff) })
          scheduler.wake()
          emitSummary()
          return { retried }
        },
      },
      sync: {
        status: () => scheduler.current(),
        pushNow: async () => {
          requireRole(SUPERVISING)
          return scheduler.pushNow()
        },
        history: (days) => {
          requireRole(SUPERVISING)
          return dailyStats(ctx.db, days, Date.now())
        },
      },
      calendar: {
        status: () => {
          const calendar = o.calendar.current()
          const today = shanghaiDay(Date.now())
          return {
            years: calendar.years(),
            firstProvisionalYear: calendar.firstProvisionalYear(),
            today: calendar.dayInfo(today),
          }
        },
        import: ({ fileName, text }) => {
          const staff = requireRole(['administrator'])
          return o.calendar.importFile(fileName, text, staffRef(staff))
        },
      },
    },
    async start() {
      // Items queued before this start may have been counted on an older calendar (an update
      // bundled a new year, or the app stopped between an import and its revision).
      reviseDeadlines(o.calendar.current())
      offCalendar = o.calendar.onChange(reviseDeadlines)
      scheduler.start()
      // The library came back: push at once instead of waiting out the backoff.
      offEvents = ctx.events.on((event, payload) => {
        if (
          event === 'library' &&
          (payload as { state: string }).state === 'online' &&
          target?.kind === 'library' &&
          scheduler.current().state !== 'idle'
        )
          void scheduler.pushNow()
      })
      checkDeadlines()
      alertTimer = setInterval(checkDeadlines, ALERT_EVERY_MS)
      alertTimer.unref()
    },
    async stop() {
      clearInterval(alertTimer)
      offEvents?.()
      offCalendar?.()
      await scheduler.stop()
    },
  }
}
