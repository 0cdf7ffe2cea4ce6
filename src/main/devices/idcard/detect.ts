/**
 * Finding the reader on a serial port: ask each candidate port for the SAM's status, at the
 * configured line speed first and then at the others, since a reader may have been left at any
 * of them. A reader found at another speed is asked to switch to the configured one (set baud,
 * `60 0x`), and kept at its own speed if it will not.
 */
import { CounterError } from '../../../shared/errors'
import type { ByteStream, SerialStream } from '../transports'
import { BAUD_RATES, Commands, encodeCommand, setBaudCommand, Sw3, type BaudRate } from './commands'
import { FrameDecoder, parseResponseFrame, type SamResponse } from './frame'

export interface SerialConnectOptions {
  /** A port path, or `auto` to probe every candidate. */
  readonly port: string
  readonly baudRate: BaudRate
  /** Switch a reader found at another speed to `baudRate`. */
  readonly negotiate: boolean
  /** How long each probe waits for an answer. */
  readonly probeTimeoutMs?: number
  listCandidates(): Promise<string[]>
  open(path: string, baudRate: number): Promise<SerialStream>
  /** Something the clerk or the log should hear about that does not stop the connection. */
  notice?(error: CounterError): void
}

export interface SerialConnection {
  readonly stream: SerialStream
  readonly path: string
  readonly baudRate: number
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * One request and its answer on a stream nobody else is listening to yet, leaving no listener
 * behind. Undefined when nothing whole arrives in time.
 */
async function exchangeOnce(
  stream: ByteStream,
  request: Uint8Array,
  timeoutMs: number,
): Promise<SamResponse | undefined> {
  const decoder = new FrameDecoder('response')
  let off: (() => void) | undefined
  try {
    return await new Promise<SamResponse | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs)
      off = stream.onData((chunk) => {
        for (const e of decoder.push(chunk)) {
          if (e.kind !== 'frame') continue
          clearTimeout(timer)
          resolve(parseResponseFrame(e.frame))
          return
        }
      })
      stream.write(request).catch(() => {
        clearTimeout(timer)
        resolve(undefined)
      })
    })
  } finally {
    off?.()
  }
}

/** True when a SAM answers its status request with success. */
export async function probeSam(stream: ByteStream, timeoutMs: number): Promise<boolean> {
  const r = await exchangeOnce(stream, encodeCommand(Commands.status), timeoutMs)
  return r?.sw3 === Sw3.success
}

/** The speeds to try: the configured one first. */
function baudOrder(configured: BaudRate): BaudRate[] {
  return [configured, ...BAUD_RATES.filter((b) => b !== configured)]
}

async function switchSpeed(
  stream: SerialStream,
  target: BaudRate,
  probeMs: number,
): Promise<boolean> {
  const from = stream.baudRate
  const r = await exchangeOnce(stream, encodeCommand(setBaudCommand(target)), probeMs + 200)
  if (r?.sw3 !== Sw3.success) return false
  // The reader answers at the old speed, then changes; give its UART a moment.
  await sleep(20)
  await stream.setBaudRate(target)
  await stream.discard()
  if (await probeSam(stream, probeMs)) return true
  await stream.setBaudRate(from)
  await stream.discard()
  return false
}

/** Looks for a SAM on one port at the given speeds; the open stream when found. */
async function findOnPort(
  path: string,
  order: readonly BaudRate[],
  options: SerialConnectOptions,
  probeMs: number,
): Promise<SerialStream | undefined> {
  const stream = await options.open(path, order[0]!)
  try {
    let found: BaudRate | undefined
    for (const baud of order) {
      if (stream.baudRate !== baud) await stream.setBaudRate(baud)
      await stream.discard()
      if (await probeSam(stream, probeMs)) {
        found = baud
        break
      }
    }
    if (found === undefined) {
      await stream.close()
      return undefined
    }
    if (found !== options.baudRate && options.negotiate) {
      const switched = await switchSpeed(stream, options.baudRate, probeMs)
      if (!switched) {
        if (!(await probeSam(stream, probeMs))) {
          await stream.close()
          return undefined
        }
        options.notice?.(
          new CounterError('IDCARD_BAUD_FAILED', {
            params: { baud: options.baudRate },
            detail: `${path} stays at ${found}`,
          }),
        )
      }
    }
    return stream
  } catch (error) {
    await stream.close().catch(() => undefined)
    throw error
  }
}

export async function connectSerialReader(
  options: SerialConnectOptions,
  signal?: AbortSignal,
): Promise<SerialConnection> {
  const probeMs = options.probeTimeoutMs ?? 300
  const auto = options.port === 'auto'
  const paths = auto ? await options.listCandidates() : [options.port]
  let lastError: CounterError | undefined
  // Most readers sit at the configured speed: ask every port at it first, then at the others.
  const [first, ...rest] = baudOrder(options.baudRate)
  const passes = auto && paths.length > 1 ? [[first!], rest] : [[first!, ...rest]]
  for (const bauds of passes) {
    for (const path of paths) {
      if (signal?.aborted) break
      try {
        const stream = await findOnPort(path, bauds, options, probeMs)
        if (stream) return { stream, path, baudRate: stream.baudRate }
      } catch (error) {
        if (!(error instanceof CounterError)) throw error
        lastError = error
      }
    }
  }
  // A single named port that will not open says why; otherwise: nobody answered.
  if (!auto && lastError) throw lastError
  throw new CounterError('IDCARD_NOT_DETECTED', {
    params: { count: paths.length },
    ...(lastError ? { detail: `last: ${lastError.code}` } : {}),
  })
}
