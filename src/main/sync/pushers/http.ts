/**
 * Delivery over the library's exchange API. One POST per batch; the library answers item by item.
 * A batch it refuses as a whole for its content (400, 413) is split until the item at fault is
 * alone and can be parked with the library's reason; the rest still goes through.
 */
import type { z } from 'zod'
import { CounterError } from '../../../shared/errors'
import type { ClaimedItem } from '../../issuance'
import { authHeaders, type LibraryAuth } from '../../licences'
import { requestJson, type HttpFailure } from '../../net'
import type { Logger } from '../../log'
import {
  EXCHANGE_MAX_BODY,
  EXCHANGE_PATHS,
  WireCatalogueResponseSchema,
  WireExchangeResponseSchema,
  type WireExchangeItem,
} from './exchange-wire'
import type { DeliveryOutcome, SyncTarget } from './target'

export interface HttpTargetOptions {
  readonly baseUrl: string
  readonly auth: LibraryAuth
  /** Per request, plus a second per megabyte sent. */
  readonly timeoutMs: number
  readonly logger: Logger
}

const LABEL = '电子证照库'

export function toWireItem(item: ClaimedItem): WireExchangeItem {
  const { kind, action, ...metadata } = item.record
  return {
    rowGuid: item.idempotencyKey,
    operation: item.operation,
    version: item.version,
    kind,
    ...(action ? { action } : {}),
    metadata: { ...metadata, faceData: { ...metadata.faceData }, deadline: item.deadline },
    ...(item.document
      ? {
          file: {
            format: 'ofd' as const,
            sm3: item.documentSm3!,
            size: item.document.length,
            content: item.document.toString('base64'),
          },
        }
      : {}),
  }
}

class ContentRefused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason)
  }
}

/** The library's answers are small: results per item, or the catalogue. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

function noAnswer(failure: HttpFailure, cause: unknown): CounterError {
  const params = { target: LABEL }
  switch (failure) {
    case 'timeout':
      return new CounterError('SYNC_TIMEOUT', { params, detail: String(cause), cause })
    case 'offline':
      return new CounterError('SYNC_OFFLINE', { params, detail: String(cause), cause })
    case 'too-large':
      return new CounterError('SYNC_BAD_RESPONSE', { params, detail: 'response too large' })
  }
}

export function createHttpTarget(o: HttpTargetOptions): SyncTarget {
  const base = o.baseUrl.replace(/\/+$/, '')

  async function request<T extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: string,
    schema: T,
  ): Promise<z.output<T>> {
    const { status, json } = await requestJson({
      url: base + path,
      method,
      headers: authHeaders(o.auth, method, path, body),
      ...(method === 'POST' ? { body } : {}),
      timeoutMs: o.timeoutMs + Math.ceil(body.length / 1_048_576) * 1000,
      limit: MAX_RESPONSE_BYTES,
      fail: noAnswer,
    })
    if (status === 401 || status === 403 || status === 404 || status === 405)
      throw new CounterError('SYNC_REFUSED', { params: { target: LABEL, status } })
    if (status === 408 || status === 429 || status >= 500)
      throw new CounterError('SYNC_SERVER_ERROR', { params: { target: LABEL, status } })
    if (json === undefined)
      throw new CounterError('SYNC_BAD_RESPONSE', {
        params: { target: LABEL },
        detail: `HTTP ${status}: not JSON`,
      })
    if (status >= 400) {
      const message =
        json &&
        typeof json === 'object' &&
        typeof (json as { message?: unknown }).message === 'string'
          ? (json as { message: string }).message.slice(0, 300)
          : `HTTP ${status}`
      throw new ContentRefused(status, message)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success)
      throw new CounterError('SYNC_BAD_RESPONSE', {
        params: { target: LABEL },
        detail: parsed.error.issues[0]?.message,
      })
    return parsed.data
  }

  async function pushSome(
    items: readonly ClaimedItem[],
    batchNo: string,
  ): Promise<DeliveryOutcome[]> {
    const wire = items.map(toWireItem)
    const body = JSON.stringify({ batchNo, items: wire })
    if (body.length > EXCHANGE_MAX_BODY && items.length > 1) return split(items, batchNo)
    try {
      const r = await request('POST', EXCHANGE_PATHS.batch, body, WireExchangeResponseSchema)
      const byGuid = new Map(r.data.results.map((x) => [x.rowGuid, x]))
      return items.map((item): DeliveryOutcome => {
        const res = byGuid.get(item.idempotencyKey)
        if (!res)
          throw new CounterError('SYNC_BAD_RESPONSE', {
            params: { target: LABEL },
            detail: 'an item has no result',
          })
        if (res.result === 'rejected')
          return { id: item.id, result: 'rejected', reason: res.reason ?? '未说明原因' }
        return { id: item.id, result: res.result === 'duplicate' ? 'duplicate' : 'delivered' }
      })
    } catch (error) {
      if (!(error instanceof ContentRefused)) throw error
      if (items.length === 1)
        return [{ id: items[0]!.id, result: 'rejected', reason: error.reason }]
      o.logger.warn('exchange batch refused as a whole, splitting', {
        status: error.status,
        items: items.length,
      })
      return split(items, batchNo)
    }
  }

  async function split(items: readonly ClaimedItem[], batchNo: string): Promise<DeliveryOutcome[]> {
    const half = Math.ceil(items.length / 2)
    return [
      ...(await pushSome(items.slice(0, half), batchNo)),
      ...(await pushSome(items.slice(half), batchNo)),
    ]
  }

  return {
    kind: 'library',
    label: LABEL,
    maxBatchBytes: () => 8 * 1024 * 1024,
    push: (items, batchNo) => pushSome(items, batchNo),
    async fetchCatalogue() {
      try {
        const r = await request('GET', EXCHANGE_PATHS.catalogue, '', WireCatalogueResponseSchema)
        return r.data.entries
      } catch (error) {
        if (error instanceof ContentRefused)
          throw new CounterError('SYNC_REFUSED', {
            params: { target: LABEL, status: error.status },
          })
        throw error
      }
    },
    close: async () => undefined,
  }
}
