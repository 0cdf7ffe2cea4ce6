/**
 * One JSON request to a server outside: a timeout for the whole exchange (answer and body), the
 * body read up to a limit, and the three ways it can fail before any answer is usable told apart.
 * What a status or a body means is the caller's business, and so are its error codes: `fail`
 * turns each failure into the caller's own error.
 */
import { readBounded } from './read-bounded'

/** Nobody answered (or the connection broke), the time ran out, or the body passed the limit. */
export type HttpFailure = 'offline' | 'timeout' | 'too-large'

export interface JsonRequest {
  readonly url: string
  readonly method: 'GET' | 'POST'
  /** Added to the JSON content-type and accept headers (credentials, signatures). */
  readonly headers?: Readonly<Record<string, string>>
  /** The JSON text of a POST. */
  readonly body?: string
  /** For the whole exchange, the body's last byte included: a slow drip times out too. */
  readonly timeoutMs: number
  /** The caller's own cancellation: its abort goes up as it is, not as a failure. */
  readonly signal?: AbortSignal | undefined
  /** Largest response body read, in bytes. */
  readonly limit: number
  /** The caller's error for a failure. */
  readonly fail: (failure: HttpFailure, cause?: unknown) => Error
}

export interface JsonReply {
  readonly status: number
  /** The parsed body; `undefined` when it is not JSON (no JSON text parses to undefined). */
  readonly json: unknown
}

export async function requestJson(request: JsonRequest): Promise<JsonReply> {
  const { signal, fail } = request
  const timeout = AbortSignal.timeout(request.timeoutMs)
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
  const failed = (cause: unknown): unknown => {
    if (timeout.aborted) return fail('timeout', cause)
    if (signal?.aborted) return cause
    return fail('offline', cause)
  }
  let body: Buffer | undefined
  let status: number
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: combined,
    })
    status = response.status
    body = await readBounded(response, request.limit)
  } catch (cause) {
    throw failed(cause)
  }
  if (!body) throw fail('too-large')
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    json = undefined
  }
  return { status, json }
}
