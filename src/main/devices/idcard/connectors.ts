/**
 * Where the reader's bytes come from, and how to tell that it is worth looking again: hot-plug.
 * A connector opens the reader or says why it cannot; the driver then waits on the connector for
 * a change (a port appearing, a USB device attached) instead of hammering the system.
 */
import { setTimeout as delay } from 'node:timers/promises'
import type { CounterError } from '../../../shared/errors'
import {
  findHidDevices,
  listSerialCandidates,
  openHidStream,
  openSerialStream,
  type ByteStream,
  type HidBackend,
  type HidProfile,
  type HidTarget,
} from '../transports'
import type { BaudRate } from './commands'
import { connectSerialReader } from './detect'

export interface ReaderConnection {
  readonly stream: ByteStream
  /** For the log: which port, which speed. */
  readonly description: string
}

export interface Connector {
  /** Opens the reader, or throws a CounterError saying why not (absent, busy, silent). */
  connect(signal: AbortSignal): Promise<ReaderConnection>
  /** Resolves when it is worth trying again: something may have been attached, or time passed. */
  waitForChange(signal: AbortSignal): Promise<void>
}

/** Waits `ms`, or less when the driver stops. */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined)

/**
 * Polls a list of attached things every `rescanMs`: resolves as soon as something new appears, or
 * after `retryMs` regardless (a reader may have been powered on at a port that was already there).
 */
async function waitForNew(
  list: () => Promise<string[]>,
  before: ReadonlySet<string>,
  rescanMs: number,
  retryMs: number,
  signal: AbortSignal,
): Promise<void> {
  const until = Date.now() + retryMs
  while (!signal.aborted && Date.now() < until) {
    await sleep(rescanMs, signal)
    if ((await list()).some((p) => !before.has(p))) return
  }
}

/** The in-process simulated reader: always there. */
export function memoryConnector(stream: ByteStream): Connector {
  return {
    async connect() {
      return { stream, description: 'simulated' }
    },
    waitForChange: (signal) => sleep(1000, signal),
  }
}

export interface SerialConnectorOptions {
  readonly port: string
  readonly baudRate: BaudRate
  readonly negotiate: boolean
  /** Paths or patterns to probe in `auto` mode; the system's port list when empty. */
  readonly candidates: readonly string[]
  readonly rescanMs: number
  readonly probeTimeoutMs?: number
  notice?(error: CounterError): void
}

export function serialConnector(options: SerialConnectorOptions): Connector {
  const list = () =>
    options.port === 'auto'
      ? listSerialCandidates(options.candidates)
      : listSerialCandidates([options.port])
  let seen = new Set<string>()
  return {
    async connect(signal) {
      seen = new Set(await list())
      const c = await connectSerialReader(
        {
          port: options.port,
          baudRate: options.baudRate,
          negotiate: options.negotiate,
          listCandidates: list,
          open: openSerialStream,
          ...(options.probeTimeoutMs ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
          ...(options.notice ? { notice: options.notice } : {}),
        },
        signal,
      )
      return { stream: c.stream, description: `${c.path} @ ${c.baudRate}` }
    },
    // A new port is probed at once. Ports that were there already are asked again only now and
    // then: in auto mode they may belong to other devices (a printer, a scale) that should not
    // be sent frames every few seconds.
    waitForChange: (signal) =>
      waitForNew(
        list,
        seen,
        options.rescanMs,
        options.port === 'auto' ? Math.max(60_000, options.rescanMs * 5) : options.rescanMs * 5,
        signal,
      ),
  }
}

export interface HidConnectorOptions {
  readonly target: HidTarget
  readonly profile: HidProfile
  readonly rescanMs: number
}

export function hidConnector(backend: HidBackend, options: HidConnectorOptions): Connector {
  const list = async () => (await findHidDevices(backend, options.target)).map((d) => d.path ?? '')
  let seen = new Set<string>()
  return {
    async connect() {
      seen = new Set(await list())
      const stream = await openHidStream(backend, options.target, options.profile)
      return { stream, description: `hid ${[...seen][0] ?? ''}` }
    },
    waitForChange: (signal) =>
      waitForNew(list, seen, options.rescanMs, options.rescanMs * 5, signal),
  }
}
