/**
 * The client of the exit-entry document identity authentication platform: the real-name check
 * (name, document number, birth date → consistent or not) and the real-person check (a live photo
 * against the document → match or not). Every request is signed with the unit's certificate.
 * Results are returned to the clerk and never stored (NIA measures art. 10–11).
 */
import { readBounded } from '../net'
import { randomUUID } from 'node:crypto'
import type { RealNameResult, RealPersonResult } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { Logger } from '../log'
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
    const body = new TextEncoder().encode(
      JSON.stringify({
        requestId,
        unitCode: options.unitCode,
        terminalId: options.terminalId,
        ...payload,
      }),
    )
    const url = new URL(base + path)
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      ...signRequest(options.credentials, 'POST', url.pathname, body),
    }
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      })
    } catch (error) {
      const timeout =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      throw new CounterError(timeout ? 'REALNAME_TIMEOUT' : 'REALNAME_OFFLINE', {
        detail: String(error),
      })
    }
    let json: unknown
    try {
      const body = await readBounded(response, 64 * 1024)
      if (!body) throw new Error('response too large')
      json = JSON.parse(body.toString('utf8'))
    } catch (error) {
      if (response.status >= 500)
        throw new CounterError('REALNAME_OFFLINE', { detail: `HTTP ${response.status}` })
      throw new CounterError('REALNAME_BAD_RESPONSE', { detail: String(error) })
    }
    const parsed = WireResponseSchema.safeParse(json)
    if (!parsed.success)
      throw new CounterError('REALNAME_BAD_RESPONSE', { detail: parsed.error.message })
    const r = parsed.data
    if (response.status >= 500)
      throw new CounterError('REALNAME_OFFLINE', { detail: `HTTP ${response.status}` })
    if (response.status !== 200 || r.code !== '0' || !r.data)
      throw new CounterError('REALNAME_REJECTED', {
        params: { reason: (r.message ?? `HTTP ${response.status}`).slice(0, 80) },
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
