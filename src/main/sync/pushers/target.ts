/**
 * A delivery target: the library's exchange API or the front-end processor's MySQL tables. A
 * target either answers for every item of a batch (accepted, already there, or rejected with a
 * reason) or throws a CounterError saying why the whole batch could not be delivered — then the
 * scheduler backs off and tries again; nothing in the batch is lost or marked.
 */
import type { ClaimedItem } from '../../issuance'

export type DeliveryOutcome =
  | { readonly id: number; readonly result: 'delivered' | 'duplicate' }
  | { readonly id: number; readonly result: 'rejected'; readonly reason: string }

export interface SyncTarget {
  readonly kind: 'library' | 'frontend'
  /** For messages: 电子证照库 / 前置机. */
  readonly label: string
  /** The most document bytes one batch may carry. */
  maxBatchBytes(): number
  push(items: readonly ClaimedItem[], batchNo: string): Promise<DeliveryOutcome[]>
  /** The published licence catalogue, raw entries (checked by the issuance domain). */
  fetchCatalogue(): Promise<unknown[]>
  close(): Promise<void>
}

/** Whole-batch failure codes after which the configuration, not the data, needs fixing. */
export const MISCONFIGURED_CODES: ReadonlySet<string> = new Set([
  'SYNC_REFUSED',
  'SYNC_NOT_CONFIGURED',
  'FRONTEND_SCHEMA_MISSING',
  'FRONTEND_SCHEMA_TOO_NEW',
  'FRONTEND_URL_INVALID',
  'SYNC_DATA_KEY_WRONG',
  'ISSUANCE_NO_DATA_KEY',
])

/** Whole-batch failure codes that mean the target cannot be reached at all. */
export const OFFLINE_CODES: ReadonlySet<string> = new Set(['SYNC_OFFLINE', 'SYNC_TIMEOUT'])
