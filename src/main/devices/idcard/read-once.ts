/**
 * One card, read once, as a diagnostic tool reads it (`cli idcard read`): the SAM is reset first,
 * because whatever used the reader before may have left a card hung (and a hung SAM answers
 * nothing the card is asked until it is reset), then find → select → read until a card is there.
 * After a timeout or a code that leaves the SAM suspect it is reset again and the loop goes on,
 * as the app's poller does. A card that fails to read a few times running is reported, not
 * retried for ever.
 */
import { CounterError } from '../../../shared/errors'
import type { IdCardRead, ReadOptions, SamReader } from './reader'
import { RESET_AFTER } from './sw3'

export interface ReadOnceOptions {
  /** How long to wait for a card, in milliseconds. */
  readonly timeoutMs: number
  readonly read?: ReadOptions
  /** Pause between finds. Default 100 ms. */
  readonly intervalMs?: number
  /** Failed reads of a card that is there before giving up. Default 3. */
  readonly attempts?: number
  /** Told of each reset after a failure (for a progress line). */
  onReset?(after: CounterError): void
}

export interface ReadOnceResult {
  readonly read: IdCardRead
  readonly samId: string
  /** SAM resets made after failures (the one at the start not counted). */
  readonly resets: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function asCounterError(error: unknown): CounterError {
  return error instanceof CounterError ? error : new CounterError('INTERNAL', { cause: error })
}

export async function readOneCard(
  reader: SamReader,
  options: ReadOnceOptions,
  signal?: AbortSignal,
): Promise<ReadOnceResult> {
  const until = Date.now() + options.timeoutMs
  const attempts = options.attempts ?? 3
  // A reset that is refused says nothing about the card; one that is not answered at all means
  // the reader is not listening, and the id request below says so.
  await reader.reset(signal).catch(() => undefined)
  const samId = await reader.samId(signal)
  let resets = 0
  let failedReads = 0
  let lastError: CounterError | undefined
  for (;;) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted')
    let found = false
    try {
      found = await reader.find(signal)
      lastError = undefined
      if (found) return { read: await reader.readCard(options.read ?? {}, signal), samId, resets }
    } catch (raw) {
      const error = asCounterError(raw)
      if (error.code === 'IDCARD_DISCONNECTED' || error.code === 'INTERNAL') throw error
      lastError = error
      if (found && ++failedReads >= attempts) throw error
      if (RESET_AFTER.has(error.code)) {
        options.onReset?.(error)
        resets++
        await reader.reset(signal).catch(() => undefined)
      }
    }
    if (Date.now() > until) throw lastError ?? new CounterError('IDCARD_NO_CARD')
    await sleep(options.intervalMs ?? 100)
  }
}
