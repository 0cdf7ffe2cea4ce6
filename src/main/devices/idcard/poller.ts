/**
 * The find → select → read loop, reporting exactly one read per placement.
 *
 * The chip has no working HALT, so on most readers a card left lying is found again and again: it
 * is read once, and only consecutive "no card" answers count as lifting it. Some readers instead
 * fail every find after a successful read until the card is lifted; on those a "no card" says
 * nothing about the card, so the applicant is kept and the next card found is a new placement.
 * Which kind a reader is shows in a find made at once after its first read, before the read is
 * reported (nobody can lift a card within those milliseconds): found again means lifts can be
 * seen. A second try guards against one lost answer.
 *
 * A read that fails is retried on the next polls (the SAM is reset first when its state is
 * suspect) and reported once per placement; a SAM that answers neither a command nor a reset is
 * "unresponsive" until it answers again. A line that keeps failing writes is a detached reader.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as delay } from 'node:timers/promises'
import { CounterError } from '../../../shared/errors'
import { isTimeout, type IdCardRead, type ReadOptions, type SamReader } from './reader'
import { RESET_AFTER } from './sw3'

export type ReaderState = 'ready' | 'busy' | 'unresponsive'

/**
 * Consecutive "no card" answers that mean a card was lifted. Whoever waits for a lift to be
 * noticed (the training panel's card swap) waits for this many.
 */
export const MISSES_FOR_REMOVAL = 2
/** Read attempts for one placement before waiting for the card to be lifted. */
const ATTEMPTS_PER_PLACEMENT = 3
/** Consecutive unanswered exchanges (resets included) that make the reader unresponsive. */
const UNRESPONSIVE_AFTER = 2
/** Consecutive exchanges that found the line dead (a failed write) that mean it is detached. */
const DETACHED_AFTER = 2

/** What a find after a successful read says about a card still lying there. */
export type AfterRead = 'auto' | 'refinds' | 'sticky'

export interface PollerEvents {
  card(read: IdCardRead): void
  removed(): void
  state(state: ReaderState, error?: CounterError): void
  /** A failed read of a placed card; reported once per placement. */
  error(error: CounterError): void
  /**
   * The reader is gone although its port never said so: writes to it keep failing. The loop has
   * stopped; the owner closes the connection and looks for the reader again.
   */
  detached?(error: CounterError): void
}

export interface PollerOptions {
  readonly intervalMs: number
  readonly read?: ReadOptions
  /** `auto` learns it from the reader; the others state it. */
  readonly afterRead?: AfterRead
  /** The slower poll while the reader is unresponsive. */
  readonly unresponsiveIntervalMs?: number
}

type Phase =
  /** No card known. */
  | 'empty'
  /** Read, and (as far as can be told) still lying there. */
  | 'present'
  /** Read, then "no card" from a reader that may just be refusing to find it again. */
  | 'held'
  /** Could not be read within the attempts: wait for it to be lifted. */
  | 'failed'

/** Waits `ms`, or less when the loop is stopped. */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined)

function asCounterError(error: unknown): CounterError {
  return error instanceof CounterError ? error : new CounterError('INTERNAL', { cause: error })
}

export function startPolling(
  reader: SamReader,
  events: PollerEvents,
  options: PollerOptions,
): { stop(): Promise<void> } {
  const controller = new AbortController()
  const { signal } = controller
  const afterRead = options.afterRead ?? 'auto'
  const slowInterval = Math.max(options.intervalMs, options.unresponsiveIntervalMs ?? 1000)

  let phase: Phase = 'empty'
  let misses = 0
  let attempts = 0
  let reportedError = false
  /** Learned: does this reader find a card again right after reading it? */
  let refinds: boolean | undefined
  let failures = 0
  let deadLine = 0
  let state: ReaderState | undefined

  const setState = (next: ReaderState, error?: CounterError) => {
    if (state !== next) {
      state = next
      events.state(next, error)
    }
  }
  const liftsVisible = () => afterRead === 'refinds' || (afterRead === 'auto' && refinds === true)
  const newPlacement = () => {
    phase = 'empty'
    misses = 0
    attempts = 0
    reportedError = false
  }

  /**
   * Right after a read: is the card found again? Learns the reader's kind once: found means lifts
   * can be seen; "no card" twice running means this reader will not find it again (no human
   * lifts a card within those milliseconds), and later placements skip the question.
   */
  const learnAfterRead = async (): Promise<void> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0) await sleep(20, signal)
      const again = await reader.find(signal).catch(() => undefined)
      if (again === true) {
        refinds = true
        return
      }
      if (again === undefined) return // no answer tells nothing
    }
    refinds = false
  }

  const readPlaced = async (foundAt: number): Promise<void> => {
    attempts++
    setState('busy')
    const read = await reader.readCard(options.read ?? {}, signal)
    if (afterRead === 'auto' && refinds === undefined) await learnAfterRead()
    phase = afterRead === 'sticky' ? 'held' : 'present'
    misses = 0
    attempts = 0
    reportedError = false
    setState('ready')
    events.card({ ...read, timing: { ...read.timing, foundAt } })
  }

  const onFound = async (foundAt: number): Promise<void> => {
    misses = 0
    switch (phase) {
      case 'present':
        return
      case 'failed':
        return
      case 'held':
        // Found again after "no card": a new placement. The previous holder goes first, so a
        // failed read cannot leave them on screen in front of someone else's card.
        events.removed()
        newPlacement()
        return readPlaced(foundAt)
      case 'empty':
        return readPlaced(foundAt)
    }
  }

  const onNoCard = (): void => {
    switch (phase) {
      case 'held':
        return
      case 'empty':
        // A card whose read failed was lifted: the next one starts with a clean slate.
        if (attempts > 0 && ++misses >= MISSES_FOR_REMOVAL) newPlacement()
        return
      case 'failed':
        if (++misses >= MISSES_FOR_REMOVAL) newPlacement()
        return
      case 'present':
        if (!liftsVisible()) {
          phase = 'held'
          return
        }
        if (++misses >= MISSES_FOR_REMOVAL) {
          events.removed()
          newPlacement()
        }
    }
  }

  const onFailure = async (error: CounterError): Promise<void> => {
    if (error.code === 'IDCARD_DISCONNECTED') {
      // Usually the port's close event follows and the owner stops this loop. A port that never
      // says so (a USB-serial driver that keeps the handle but fails every write) would leave the
      // reader "ready" for ever: failing again is taken as the reader having gone.
      if (++deadLine >= DETACHED_AFTER) {
        controller.abort()
        events.detached?.(error)
      }
      return
    }
    deadLine = 0
    const unanswered = isTimeout(error)
    if (unanswered) failures++
    if (RESET_AFTER.has(error.code)) {
      try {
        await reader.reset(signal)
      } catch (resetError) {
        if (isTimeout(resetError)) failures++
      }
    }
    if (failures >= UNRESPONSIVE_AFTER) setState('unresponsive', error)
    else if (state === 'busy') setState('ready')
    if (phase === 'empty' && attempts > 0) {
      if (!reportedError && !unanswered) {
        reportedError = true
        events.error(error)
      }
      if (attempts >= ATTEMPTS_PER_PLACEMENT) {
        if (!reportedError) events.error(error)
        reportedError = true
        phase = 'failed'
      }
    }
  }

  const loop = async () => {
    while (!signal.aborted) {
      try {
        const foundAt = performance.now()
        const found = await reader.find(signal)
        failures = 0
        deadLine = 0
        if (state !== 'busy') setState('ready')
        if (found) await onFound(foundAt)
        else onNoCard()
      } catch (error) {
        if (signal.aborted) break
        await onFailure(asCounterError(error))
      }
      await sleep(state === 'unresponsive' ? slowInterval : options.intervalMs, signal)
    }
  }
  const done = loop()
  return {
    async stop() {
      controller.abort()
      await done
    },
  }
}
