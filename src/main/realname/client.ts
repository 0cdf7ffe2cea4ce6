/**
 * The client of the exit-entry document identity authentication platform: the real-name check
 * (name, document number, birth date → consistent or not) and the real-person check (a live photo
 * against the document → match or not). Every request is signed with the unit's certificate.
 * Results are returned to the clerk and never stored (NIA measures art. 10–11).
 */
import { randomUUID } from 'node:crypto'
import type { RealNameResult, RealPersonResult } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { Logger } from '../log'
import { requestJson } from '../net'
import { signRequest, type UnitCredentials } from './signing'
import {
  REALNAME_PATHS,
  WireResponseSchema,
  type WireNameRequest,
  type WirePersonRequest,
} from './wire'

export interface RealnameClientOptions {
  readonly baseUrl: string
  readonly credentials: UnitCredentials
  readonly unitCode: string
  readonly terminalId: string
  readonly timeoutMs: number
  readonly logger: Logger
}

export type NameQuery = Omit<WireNameRequest, 'requestId' | 'unitCode' | 'terminalId'>
export type PersonQuery = Omit<WirePersonRequest, 'requestId' | 'unitCode' | 'terminalId'>

export interface RealnameClient {
  checkName(query: NameQuery): Promise<RealNameResult>
  checkPerson(query: PersonQuery): Promise<RealPersonResult>
}

export function createRealnameClient(options: RealnameClientOptions): RealnameClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const post = async (path: string, payload: object) => {
    const requestId = randomUUID()
    const text = JSON.stringify({
      requestId,
      unitCode: options.unitCode,
      terminalId: options.terminalId,
      ...payload,
    })
    const url = new URL(base + path)
    const { status, json } = await requestJson({
      url: url.href,
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        // Signed over the UTF-8 bytes fetch sends for the text.
        ...signRequest(options.credentials, 'POST', url.pathname, new TextEncoder().encode(text)),
      },
      body: text,
      timeoutMs: options.timeoutMs,
      limit: 64 * 1024,
      fail: (failure, cause) =>
        new CounterError(
          failure === 'timeout'
            ? 'REALNAME_TIMEOUT'
            : failure === 'offline'
              ? 'REALNAME_OFFLINE'
              : 'REALNAME_BAD_RESPONSE',
          { detail: cause === undefined ? failure : String(cause) },
        ),
    })
    // A server error (or a gateway's error page) means the service is not there, whatever the body.
    if (status >= 500) throw new CounterError('REALNAME_OFFLINE', { detail: `HTTP ${status}` })
    const parsed = WireResponseSchema.safeParse(json)
    if (!parsed.success)
      throw new CounterError('REALNAME_BAD_RESPONSE', {
        detail: json === undefined ? `HTTP ${status}: not JSON` : parsed.error.message,
      })
    const r = parsed.data
    if (status !== 200 || r.code !== '0' || !r.data)
      throw new CounterError('REALNAME_REJECTED', {
        params: { reason: (r.message ?? `HTTP ${status}`).slice(0, 80) },
        detail: `code ${r.code}`,
      })
    options.logger.info('identity authentication', { path, requestId, result: r.data.result })
    return { ...r.data, checkedAt: new Date().toISOString() }
  }
  return {
    async checkName(query) {
      const d = await post(REALNAME_PATHS.name, query)
      if (d.result !== 'consistent' && d.result !== 'inconsistent')
        throw new CounterError('REALNAME_BAD_RESPONSE')
      return { result: d.result, reference: d.reference, checkedAt: d.checkedAt }
    },
    async checkPerson(query) {
      const d = await post(REALNAME_PATHS.person, query)
      if (d.result !== 'match' && d.result !== 'no-match' && d.result !== 'poor-quality')
        throw new CounterError('REALNAME_BAD_RESPONSE')
      return {
        result: d.result,
        reference: d.reference,
        checkedAt: d.checkedAt,
        ...(d.score !== undefined ? { score: d.score } : {}),
      }
    },
  }
}
