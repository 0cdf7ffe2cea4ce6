/**
 * Record and replay of exchange transports. A recorder wraps any transport with one `exchange()`
 * and writes each request as `=> hex` and each answer as `<= hex` (or `<= !CODE` when it failed
 * with a CounterError). A replayer answers from such a transcript strictly: a request that is not
 * the next recorded one, a request past the end, or a recorded exchange never made is an error.
 * Field captures become regression tests this way. Lines starting with `#` are comments.
 */
import { CounterError, isCounterError, isErrorCode, type ErrorCode } from '../../../shared/errors'

export interface Exchanger<O = unknown> {
  exchange(request: Uint8Array, options: O): Promise<Uint8Array>
  close(): Promise<void>
}

export interface TranscriptEntry {
  readonly request: Uint8Array
  readonly response: { readonly bytes: Uint8Array } | { readonly error: ErrorCode }
  /** Line number of the request, for messages. */
  readonly line: number
}

export const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase()

function fromHex(text: string, line: number): Uint8Array {
  const compact = text.replace(/\s+/g, '')
  if (compact.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(compact))
    throw new CounterError('TRANSCRIPT_INVALID', { params: { line } })
  return Uint8Array.from(Buffer.from(compact, 'hex'))
}

export function parseTranscript(text: string): TranscriptEntry[] {
  const entries: TranscriptEntry[] = []
  let pending: { request: Uint8Array; line: number } | undefined
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    const line = i + 1
    const s = raw.trim()
    if (s === '' || s.startsWith('#')) return
    if (s.startsWith('=>')) {
      if (pending) throw new CounterError('TRANSCRIPT_INVALID', { params: { line } })
      pending = { request: fromHex(s.slice(2), line), line }
    } else if (s.startsWith('<=')) {
      if (!pending) throw new CounterError('TRANSCRIPT_INVALID', { params: { line } })
      const body = s.slice(2).trim()
      let response: TranscriptEntry['response']
      if (body.startsWith('!')) {
        const code = body.slice(1)
        if (!isErrorCode(code)) throw new CounterError('TRANSCRIPT_INVALID', { params: { line } })
        response = { error: code }
      } else {
        response = { bytes: fromHex(body, line) }
      }
      entries.push({ request: pending.request, response, line: pending.line })
      pending = undefined
    } else {
      throw new CounterError('TRANSCRIPT_INVALID', { params: { line } })
    }
  })
  if (pending) throw new CounterError('TRANSCRIPT_INVALID', { params: { line: pending.line } })
  return entries
}

/** Wraps a transport so that every exchange is also written as transcript lines. */
export function recordExchanges<O, T extends Exchanger<O>>(
  inner: T,
  writeLine: (line: string) => void,
): Exchanger<O> {
  return {
    async exchange(request, options) {
      writeLine(`=> ${toHex(request)}`)
      try {
        const response = await inner.exchange(request, options)
        writeLine(`<= ${toHex(response)}`)
        return response
      } catch (error) {
        if (isCounterError(error)) writeLine(`<= !${error.code}`)
        throw error
      }
    },
    close: () => inner.close(),
  }
}

export interface Replayer<O = unknown> extends Exchanger<O> {
  /** Recorded exchanges not yet made. */
  remaining(): number
  /** Throws when recorded exchanges were never made. */
  assertDone(): void
}

export function replayTranscript<O = unknown>(text: string): Replayer<O> {
  const entries = parseTranscript(text)
  let next = 0
  return {
    async exchange(request) {
      const entry = entries[next]
      if (!entry) {
        throw new CounterError('TRANSCRIPT_UNEXPECTED_EXCHANGE', {
          params: { line: 'end' },
          detail: `unexpected => ${toHex(request)} after the last recorded exchange`,
        })
      }
      if (toHex(entry.request) !== toHex(request)) {
        throw new CounterError('TRANSCRIPT_UNEXPECTED_EXCHANGE', {
          params: { line: entry.line },
          detail: `expected => ${toHex(entry.request)}, got => ${toHex(request)}`,
        })
      }
      next++
      if ('error' in entry.response) throw new CounterError(entry.response.error)
      return entry.response.bytes.slice()
    },
    remaining: () => entries.length - next,
    assertDone() {
      if (next < entries.length)
        throw new CounterError('TRANSCRIPT_LEFTOVER', { params: { count: entries.length - next } })
    },
    async close() {},
  }
}
