/** Builds the configured delivery target, for the app and for the CLI alike. */
import type { Config } from '../config'
import type { LibraryAuth } from '../licences'
import type { Logger } from '../log'
import { parseFrontendUrl } from './frontend/connection'
import { createHttpTarget } from './pushers/http'
import { createMysqlTarget } from './pushers/mysql'
import type { SyncTarget } from './pushers/target'

export interface LibraryEndpoint {
  readonly baseUrl: string
  readonly auth: LibraryAuth
  readonly timeoutMs?: number
}

export function createSyncTarget(
  kind: 'library' | 'frontend' | 'none',
  config: Config['sync'],
  library: LibraryEndpoint | undefined,
  logger: Logger,
): SyncTarget | undefined {
  if (kind === 'none') return undefined
  if (kind === 'frontend') {
    if (!config.frontend) return undefined
    return createMysqlTarget({
      url: parseFrontendUrl(config.frontend.url),
      queryTimeoutMs: config.frontend.queryTimeoutMs,
      logger: logger.child('frontend'),
    })
  }
  if (!library) return undefined
  return createHttpTarget({
    baseUrl: library.baseUrl,
    auth: library.auth,
    timeoutMs: library.timeoutMs ?? 15_000,
    logger: logger.child('exchange'),
  })
}
