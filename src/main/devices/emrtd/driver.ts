/**
 * The contactless reader as a device: a PC/SC reader (the configured one, or the first found;
 * hot-plugged readers are picked up within a second) or the simulated reader of training mode.
 * It reports its state to the device manager and hands each placed chip and each lift to the
 * caller; reading is the caller's business.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { CounterError, isCounterError } from '../../../shared/errors'
import type { DeviceDriver, DeviceReporter } from '../manager'
import {
  cardPresent,
  PcscContext,
  STATE,
  type PcscCard,
  type ReaderState,
} from '../transports/pcsc'
import { atrExtendedLength } from './atr'
import type { CardTransport } from './channel'

export interface ChipSlot {
  readonly transport: CardTransport
  readonly atr: Uint8Array
  /** Whether the ATR announces extended length (undefined: it does not say). */
  readonly extendedLength: boolean | undefined
  /** Power-cycles the chip, so a new read starts from scratch. */
  reset(): Promise<void>
  /** Shows the reader as busy (reading) or ready in the status bar. */
  busy(reading: boolean): void
}

/** A reader that can have chips placed on it: PC/SC, or the simulator in process. */
export interface SimulatedSlotSource {
  onChange(listener: (present: boolean) => void): () => void
  readonly current: { atr(): Uint8Array; reset(): void } | undefined
  transport(): CardTransport
}

export interface EmrtdDriverOptions {
  readonly id: string
  readonly label: string
  readonly source:
    | { readonly kind: 'pcsc'; readonly readerName?: string }
    | { readonly kind: 'simulated'; readonly reader: SimulatedSlotSource }
  onPlaced(slot: ChipSlot): void
  onRemoved(): void
  onReader(present: boolean, label: string | undefined): void
  onError(error: CounterError): void
}

const PCSC_RETRY_MS = 5000
const POLL_MS = 1000

/**
 * Waits `ms`, or less when the driver stops. Node removes its abort listener when the time is
 * up; a hand-made one left a listener per wait (a reader-less terminal waits every second).
 */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined)

/** What the PC/SC layer threw, as the clerk sees it: never a raw system error or code. */
function readerError(error: unknown): CounterError {
  if (isCounterError(error)) return error
  const code = (error as { code?: unknown } | undefined)?.code
  return new CounterError('EMRTD_PCSC_ERROR', {
    params: { code: typeof code === 'string' ? code : 'unknown' },
    detail: String(error),
    cause: error,
  })
}

/** A connected PC/SC card as the chip code's transport. */
export function pcscTransport(card: PcscCard): CardTransport {
  return {
    transmit: (apdu) => card.transmit(apdu),
    get extendedApdu() {
      return card.extendedApdu
    },
  }
}

function pcscSlot(card: PcscCard, report: DeviceReporter): ChipSlot {
  return {
    transport: pcscTransport(card),
    atr: card.atr,
    extendedLength: atrExtendedLength(card.atr),
    reset: () => card.reset(),
    busy: (reading) => report.state(reading ? 'busy' : 'ready'),
  }
}

/** The reader named `wanted` (exactly, else by part of its name), or the first one. */
export function pickReader(
  readers: readonly string[],
  wanted: string | undefined,
): string | undefined {
  if (!wanted) return readers[0]
  return (
    readers.find((r) => r === wanted) ??
    readers.find((r) => r.toLowerCase().includes(wanted.toLowerCase()))
  )
}

async function runPcsc(
  options: EmrtdDriverOptions,
  readerName: string | undefined,
  report: DeviceReporter,
  signal: AbortSignal,
  setContext: (c: PcscContext | undefined) => void,
) {
  let reader: string | undefined
  let card: PcscCard | undefined
  const lift = async () => {
    if (!card) return
    const c = card
    card = undefined
    await c.disconnect().catch(() => undefined)
    options.onRemoved()
  }
  while (!signal.aborted) {
    let ctx: PcscContext
    try {
      ctx = await PcscContext.establish()
    } catch (error) {
      report.state('absent', 'EMRTD_PCSC_UNAVAILABLE')
      options.onReader(false, undefined)
      void error
      await sleep(PCSC_RETRY_MS, signal)
      continue
    }
    setContext(ctx)
    let state: ReaderState | undefined
    try {
      while (!signal.aborted) {
        const readers = await ctx.readers()
        const chosen = pickReader(readers, readerName)
        if (chosen !== reader) {
          await lift()
          reader = chosen
          state = chosen
            ? { reader: chosen, state: STATE.UNAWARE, atr: new Uint8Array(0) }
            : undefined
          if (chosen) report.state('ready')
          else report.state('absent', 'EMRTD_NO_READER')
          options.onReader(!!chosen, chosen)
        }
        if (!state) {
          await sleep(POLL_MS, signal)
          continue
        }
        const { states, timedOut } = await ctx.waitForChange([state], POLL_MS)
        if (timedOut || signal.aborted) continue
        const next = states[0]!
        const was = cardPresent(state.state)
        state = next
        if (next.state & (STATE.UNKNOWN | STATE.UNAVAILABLE)) continue
        const now = cardPresent(next.state)
        if (now && !was) {
          try {
            card = await ctx.connect(next.reader)
            options.onPlaced(pcscSlot(card, report))
          } catch (error) {
            options.onError(readerError(error))
          }
        } else if (!now && was) await lift()
      }
    } catch (error) {
      // The service went away (pcscd restarted, reader unplugged mid-call): start over.
      await lift()
      report.state('absent', readerError(error).code)
      options.onReader(false, undefined)
      reader = undefined
      await sleep(POLL_MS, signal)
    } finally {
      setContext(undefined)
      await ctx.release()
    }
  }
  await lift()
}

export function emrtdDriver(options: EmrtdDriverOptions): DeviceDriver {
  return {
    id: options.id,
    kind: 'emrtd',
    label: options.label,
    simulated: options.source.kind === 'simulated',
    async start(report) {
      const source = options.source
      if (source.kind === 'simulated') {
        const sim = source.reader
        report.state('ready')
        options.onReader(true, options.label)
        const off = sim.onChange((present) => {
          const chip = sim.current
          if (present && chip) {
            options.onPlaced({
              transport: sim.transport(),
              atr: chip.atr(),
              extendedLength: atrExtendedLength(chip.atr()),
              reset: async () => chip.reset(),
              busy: (reading) => report.state(reading ? 'busy' : 'ready'),
            })
          } else options.onRemoved()
        })
        return { stop: async () => off() }
      }
      const controller = new AbortController()
      let context: PcscContext | undefined
      const done = runPcsc(
        options,
        source.readerName,
        report,
        controller.signal,
        (c) => (context = c),
      )
      return {
        async stop() {
          controller.abort()
          await context?.cancel()
          await done
        },
      }
    },
  }
}
