/**
 * What the calendar, outbox and sync commands share: the configuration (`--config`, else
 * COUNTERDESK_CONFIG, else training mode), the data folder the app uses, and its database.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { resolveConfig, type Config } from '../../config'
import { openDatabase, type Db } from '../../db'
import { createLogger, type Logger } from '../../log'
import { createCalendarService, type CalendarService } from '../../sync'
import type { ParsedArgs } from '../command'

export const STORE_OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
} as const

/** Electron's userData for CounterDesk, without Electron. */
export function defaultDataDir(): string {
  if (process.env.COUNTERDESK_DATA_DIR) return process.env.COUNTERDESK_DATA_DIR
  const home = homedir()
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'CounterDesk')
  if (process.platform === 'darwin')
    return join(home, 'Library', 'Application Support', 'CounterDesk')
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'CounterDesk')
}

export interface LocalStore {
  readonly config: Config
  readonly dataDir: string
  readonly dbFile: string
  readonly logger: Logger
}

export function localStore(args: ParsedArgs): LocalStore {
  const file =
    typeof args.values.config === 'string' ? args.values.config : process.env.COUNTERDESK_CONFIG
  const config = resolveConfig(file)
  const dataDir =
    (typeof args.values['data-dir'] === 'string' ? args.values['data-dir'] : undefined) ??
    config.dataDir ??
    defaultDataDir()
  return {
    config,
    dataDir,
    dbFile: join(dataDir, config.mode === 'training' ? 'training.db' : 'counterdesk.db'),
    // The CLI logs to the app's log file, so a field engineer's actions are on record too.
    logger: createLogger({
      level: config.log.level,
      file: join(dataDir, 'logs', 'counterdesk.log'),
      scope: 'cli',
    }),
  }
}

export function openStoreDb(store: LocalStore): Db {
  return openDatabase({ file: store.dbFile })
}

/** The calendar with the app's imports when its database exists (never creates one). */
export function storeCalendar(
  store: LocalStore,
  resourcesDir: string,
  createDb = false,
): { calendar: CalendarService; db?: Db } {
  const db = createDb || existsSync(store.dbFile) ? openStoreDb(store) : undefined
  return {
    calendar: createCalendarService({ resourcesDir, ...(db ? { db } : {}), logger: store.logger }),
    ...(db ? { db } : {}),
  }
}
