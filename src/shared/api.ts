/**
 * The contract between the renderer and the core: every request/response method and every
 * event, with the schemas that validate them at both ends of the bridge. Main and preload (and
 * the end-to-end harness) are all built from this one table, so they cannot drift apart.
 *
 * Adding a method: add an entry named `<namespace>.<method>` to the domain's table in `contract/`,
 * implement it in the core's handlers (the compiler will insist), and call it as
 * `window.counter.<namespace>.<method>`.
 */
import './zod-config'
import type { z } from 'zod'
import { authEvents, authMethods } from './contract/auth'
import { cakeyMethods } from './contract/cakey'
import { coreEvents, coreMethods } from './contract/core'
import { emrtdEvents, emrtdMethods } from './contract/emrtd'
import { issuanceEvents, issuanceMethods } from './contract/issuance'
import { syncEvents, syncMethods } from './contract/sync'
import { licencesEvents, licencesMethods } from './contract/licences'
import { auditMethods } from './contract/audit'
import { archiveEvents, archiveMethods } from './contract/archive'
import type { EventTable, MethodTable } from './contract/table'
import type { ErrorInfo } from './errors'

export {
  AppStatusSchema,
  SessionViewSchema,
  type AppStatus,
  type SessionView,
} from './contract/core'

/** Every domain's methods. Add a domain: a file in contract/, one import and one spread here. */
export const methods = {
  ...coreMethods,
  ...issuanceMethods,
  ...syncMethods,
  ...emrtdMethods,
  ...authMethods,
  ...cakeyMethods,
  ...licencesMethods,
  ...auditMethods,
  ...archiveMethods,
} as const satisfies MethodTable

/** Every domain's events. */
export const events = {
  ...coreEvents,
  ...issuanceEvents,
  ...syncEvents,
  ...emrtdEvents,
  ...authEvents,
  ...licencesEvents,
  ...archiveEvents,
} as const satisfies EventTable

export type Methods = typeof methods
export type MethodName = keyof Methods
export type EventName = keyof typeof events
export type MethodArgs<M extends MethodName> = z.input<Methods[M]['args']>
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

type Namespace = MethodName extends `${infer N}.${string}` ? N : never
type MethodsOf<N extends string> = {
  [K in MethodName as K extends `${N}.${infer M}` ? M : never]: (
    ...args: MethodArgs<K>
  ) => Promise<MethodResult<K>>
}

/** What `window.counter` is. */
export type CounterApi = { readonly [N in Namespace]: MethodsOf<N> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** What the core implements: the same methods, synchronous or not. */
export type CounterHandlers = {
  readonly [N in Namespace]: {
    [K in MethodName as K extends `${N}.${infer M}` ? M : never]: (
      ...args: z.output<Methods[K]['args']>
    ) => Promise<MethodResult<K>> | MethodResult<K>
  }
}

/** How a result crosses the bridge: Electron flattens thrown errors, so failures travel as data. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

export const INVOKE_PREFIX = 'counter:'
export const EVENT_PREFIX = 'counter-event:'

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methods, value)
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value)
}

export function splitMethodName(name: MethodName): [string, string] {
  const dot = name.indexOf('.')
  return [name.slice(0, dot), name.slice(dot + 1)]
}
