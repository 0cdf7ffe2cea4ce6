/**
 * Record and replay of exchange transports. A recorder wraps any transport with one `exchange()`
 * and writes each request as `=> hex` and each answer as `<= hex` (or `<= !CODE` when it failed
 * with a CounterError). A replayer answers from such a transcript strictly: a request that is not
 * the next recorded one, a request past the end, or a recorded exchange never made is an error.
 * Field captures become regression tests this way. Lines starting with `#` are comments.
 *
 * Replay comes in two depths: `replayTranscript` stands in for the exchange transport itself;
 * `replayStream` stands in for the wire, so that everything above it (frame decoder, timeouts,
 * poll loop, driver) runs as it did when the transcript was recorded.
 */
import { CounterError, isCounterError, isErrorCode, type ErrorCode } from '../../../shared/errors'
import { Listeners, type ByteStream } from './byte-stream'

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

export interface RecordOptions {
  /**
   * What of an answer goes into the transcript; the answer itself goes to the caller unchanged.
   * Used to mask personal data in transcripts that leave the office.
   */
  readonly redact?: (request: Uint8Array, response: Uint8Array) => Uint8Array
}

/**
 * Wraps a transport so that every exchange is also written as transcript lines. Both lines are
 * written when the exchange ends, so that a transcript never holds a request without its answer;
 * an exchange given up (aborted, not a CounterError) becomes a comment.
 */
export function recordExchanges<O, T extends Exchanger<O>>(
  inner: T,
  writeLine: (line: string) => void,
  options: RecordOptions = {},
): Exchanger<O> {
  return {
    async exchange(request, exchangeOptions) {
      const asked = `=> ${toHex(request)}`
      try {
        const response = await inner.exchange(request, exchangeOptions)
        writeLine(asked)
        writeLine(`<= ${toHex(options.redact ? options.redact(request, response) : response)}`)
        return response
      } catch (error) {
        if (isCounterError(error)) {
          writeLine(asked)
          writeLine(`<= !${error.code}`)
        } else {
          writeLine(`# ${asked} (given up)`)
        }
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

export interface ReplayStream extends ByteStream {
  /** Recorded exchanges not yet made. */
  remaining(): number
  /** Set when the host wrote something other than the next recorded request. */
  readonly failure: CounterError | undefined
  /** Resolves when the replay stream closes: transcript used up, a mismatch, or close(). */
  readonly ended: Promise<void>
}

/** Recorded failures that mean the line went dead; every other one was silence on the wire. */
const CLOSING: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['IDCARD_DISCONNECTED'])

/**
 * A byte stream that plays the device's side of a transcript: each write must be the next
 * recorded request (byte for byte, in as many writes as the host likes), and is answered with the
 * recorded bytes. A recorded failure is silence, so the host's own timeout fires as it did then,
 * or a closed line for a disconnection. When the transcript is used up, the next request finds
 * the line closed, as if the reader had been unplugged; a request that differs closes it too and
 * is kept in `failure`.
 */
export function replayStream(text: string): ReplayStream {
  const entries = parseTranscript(text)
  const data = new Listeners<[Uint8Array]>()
  const closed = new Listeners<[Error?]>()
  let next = 0
  let pending: number[] = []
  let open = true
  let failure: CounterError | undefined
  let markEnded: () => void = () => undefined
  const ended = new Promise<void>((resolve) => (markEnded = resolve))

  const end = (error?: CounterError) => {
    if (!open) return
    open = false
    failure ??= error
    // Like a real port: the host hears about it after the write that found it gone.
    setImmediate(() => {
      closed.emit(error)
      data.clear()
      closed.clear()
      markEnded()
    })
  }

  return {
    async write(bytes) {
      if (!open) throw new CounterError('IDCARD_DISCONNECTED')
      const entry = entries[next]
      if (!entry) return end()
      pending.push(...bytes)
      const expected = entry.request
      const sent = Uint8Array.from(pending)
      const prefix = expected.subarray(0, Math.min(sent.length, expected.length))
      if (sent.length > expected.length || toHex(prefix) !== toHex(sent)) {
        return end(
          new CounterError('TRANSCRIPT_UNEXPECTED_EXCHANGE', {
            params: { line: entry.line },
            detail: `expected => ${toHex(expected)}, got => ${toHex(sent)}`,
          }),
        )
      }
      if (sent.length < expected.length) return
      pending = []
      next++
      const { response } = entry
      if ('bytes' in response) {
        const answer = response.bytes.slice()
        setImmediate(() => open && data.emit(answer))
      } else if (CLOSING.has(response.error)) {
        end()
      }
    },
    onData: (listener) => data.add(listener),
    onClose: (listener) => closed.add(listener),
    async close() {
      end()
    },
    remaining: () => entries.length - next,
    get failure() {
      return failure
    },
    ended,
  }
}
