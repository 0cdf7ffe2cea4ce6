/**
 * The calendar as the app runs it: `chinese-days`, then the bundled dated table, then what an
 * administrator imported (each later source wins for its years). Imports are kept in the database
 * so they survive restarts and updates of the bundled file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { CalendarYearView } from '../../../shared/domain'
import { CounterError } from '../../../shared/errors'
import type { Db } from '../../db'
import type { Logger } from '../../log'
import { WorkingCalendar } from './calendar'
import { parseHolidayNotice } from './notice'
import {
  buildYearTable,
  chineseDaysTables,
  parseCalendarFile,
  YearTableFileSchema,
  yearTableToFile,
  type YearTable,
} from './table'

export function bundledTables(resourcesDir: string, logger?: Logger): YearTable[] {
  const dir = join(resourcesDir, 'calendar')
  if (!existsSync(dir)) return []
  const out: YearTable[] = []
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    try {
      out.push(...parseCalendarFile(JSON.parse(readFileSync(join(dir, name), 'utf8')), 'bundled'))
    } catch (error) {
      // A damaged bundled file must not stop the app: chinese-days and imports still apply.
      logger?.error('bundled calendar file unusable', { file: name, error })
    }
  }
  return out
}

export function importedTables(db: Db, logger?: Logger): YearTable[] {
  const rows = db.prepare('SELECT year, body FROM calendar_years ORDER BY year').all() as {
    year: number
    body: string
  }[]
  const out: YearTable[] = []
  for (const r of rows) {
    try {
      out.push(buildYearTable(YearTableFileSchema.parse(JSON.parse(r.body)), 'imported'))
    } catch (error) {
      logger?.error('stored calendar import unusable', { year: r.year, error })
    }
  }
  return out
}

/** Reads an administrator's file: our JSON table format, or the notice's text as published. */
export function parseCalendarImport(fileName: string, content: string): YearTable[] {
  const text = content.replace(/^\uFEFF/, '')
  if (text.trimStart().startsWith('{')) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      throw new CounterError('CALENDAR_FILE_INVALID', {
        params: { file: basename(fileName), problem: 'JSON 语法错误' },
        cause,
      })
    }
    const o = json as { format?: unknown }
    if (o && typeof o === 'object' && o.format === 'counterdesk-calendar')
      return parseCalendarFile(json, 'imported')
    const single = YearTableFileSchema.safeParse(json)
    if (!single.success)
      throw new CounterError('CALENDAR_FILE_INVALID', {
        params: {
          file: basename(fileName),
          problem: `${single.error.issues[0]?.path.join('.') || '(根)'}: ${single.error.issues[0]?.message}`,
        },
      })
    return [buildYearTable(single.data, 'imported')]
  }
  return [buildYearTable(parseHolidayNotice(text), 'imported')]
}

export interface CalendarService {
  current(): WorkingCalendar
  /** Stores the years in the file and rebuilds the calendar; returns what was imported. */
  importFile(fileName: string, content: string, importedBy: string): CalendarYearView[]
  reload(): void
  /**
   * Called after every change, with the years that changed when known (an import); without
   * them anything may have changed (a reload).
   */
  onChange(listener: (calendar: WorkingCalendar, years?: readonly number[]) => void): () => void
}

export function createCalendarService(options: {
  readonly resourcesDir: string
  readonly db?: Db
  readonly logger?: Logger
}): CalendarService {
  const { db, logger } = options
  const base = [...chineseDaysTables(), ...bundledTables(options.resourcesDir, logger)]
  const build = () => new WorkingCalendar([...base, ...(db ? importedTables(db, logger) : [])])
  let calendar = build()
  const listeners = new Set<(c: WorkingCalendar, years?: readonly number[]) => void>()
  const rebuild = (years?: readonly number[]) => {
    calendar = build()
    for (const l of listeners) l(calendar, years)
  }
  const reload = () => rebuild()
  return {
    current: () => calendar,
    reload,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    importFile(fileName, content, importedBy) {
      if (!db) throw new CounterError('CALENDAR_NO_STORE')
      const tables = parseCalendarImport(fileName, content)
      const save = db.prepare(
        `INSERT INTO calendar_years (year, body, file_name, imported_at, imported_by)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (year) DO UPDATE SET body = excluded.body, file_name = excluded.file_name,
           imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
      )
      const now = new Date().toISOString()
      db.transaction(() => {
        for (const t of tables)
          save.run(t.year, JSON.stringify(yearTableToFile(t)), basename(fileName), now, importedBy)
      })()
      logger?.info('calendar imported', {
        years: tables.map((t) => t.year),
        file: basename(fileName),
        by: importedBy,
      })
      rebuild(tables.map((t) => t.year))
      const years = new Set(tables.map((t) => t.year))
      return calendar.years().filter((y) => years.has(y.year))
    },
  }
}
