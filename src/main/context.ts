/**
 * What every domain module gets from the composition root, and what it gives back. A domain adds
 * itself to the core by exporting `create<Domain>Module(ctx)` and being listed in `core.ts`.
 */
import type { CounterHandlers } from '../shared/api'
import type { LibraryStatus } from '../shared/domain'
import type { StaffSession } from './auth'
import type { Config } from './config'
import type { Db } from './db'
import type { DeviceManager } from './devices'
import type { CoreEvents } from './events'
import type { CatalogueService, LibraryClient } from './licences'
import type { Logger } from './log'
import type { ApplicantSession } from './session'

export interface CoreContext {
  readonly config: Config
  readonly training: boolean
  readonly logger: Logger
  readonly db: Db
  readonly events: CoreEvents
  readonly dataDir: string
  readonly resourcesDir: string
  readonly devices: DeviceManager
  readonly session: ApplicantSession
  readonly staff: StaffSession
  readonly catalogue: CatalogueService
  readonly library: {
    readonly client: LibraryClient
    status(): LibraryStatus
    setStatus(state: LibraryStatus['state']): void
  }
}

/** A domain's contribution: the contract namespaces it implements, and its lifecycle. */
export interface CoreModule<N extends keyof CounterHandlers = never> {
  readonly handlers: Pick<CounterHandlers, N>
  start?(): Promise<void>
  stop?(): Promise<void>
}
