/** Getting issued licences to the library on time: calendar, deadlines, pushers, scheduler. */
export { alertNotice, dueAlerts } from './alerts'
export { fullJitter, type BackoffOptions } from './backoff'
export { WorkingCalendar, type DeadlineResult, type OfficeHours } from './calendar/calendar'
export { dateOf, dayNumber, endOfDayIso, parseInstant, shanghaiDay } from './calendar/dates'
export { parseHolidayNotice } from './calendar/notice'
export {
  bundledTables,
  createCalendarService,
  importedTables,
  parseCalendarImport,
  type CalendarService,
} from './calendar/service'
export {
  buildYearTable,
  chineseDaysTables,
  parseCalendarFile,
  yearTableToFile,
  type CalendarSource,
  type YearTable,
  type YearTableFile,
} from './calendar/table'
export { ART14_WORKING_DAYS, countdown, deadlinePolicy, parseOfficeHours } from './deadlines'
export { publishCatalogue, readPublishedCatalogue } from './frontend/catalogue'
export {
  classifyMysqlError,
  connectFrontend,
  DEFAULT_DATABASE,
  describeFrontendUrl,
  parseFrontendUrl,
  type FrontendUrl,
} from './frontend/connection'
export {
  checkFrontendSchema,
  FRONTEND_MIGRATIONS,
  FRONTEND_SCHEMA_VERSION,
  initFrontend,
  type FrontendInitResult,
} from './frontend/schema'
export { createSyncModule, type SyncModule, type SyncModuleOptions } from './module'
export {
  EXCHANGE_MAX_BODY,
  EXCHANGE_PATHS,
  WireExchangeBatchSchema,
  WireExchangeItemSchema,
  WireExchangeResponseSchema,
  type WireExchangeItem,
  type WireExchangeResult,
} from './pushers/exchange-wire'
export { createHttpTarget, toWireItem } from './pushers/http'
export { createMysqlTarget, rowValues } from './pushers/mysql'
export type { DeliveryOutcome, SyncTarget } from './pushers/target'
export { reviseQueuedDeadlines } from './revise'
export { SyncScheduler, type RunReport, type SchedulerOptions } from './scheduler'
export { createSyncTarget, type LibraryEndpoint } from './targets'
export { dailyStats, itemView, summary } from './views'
