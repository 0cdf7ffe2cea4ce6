/**
 * The ID card reader as a device: connects through its connector, runs the poll loop while the
 * reader is there, reports attached / detached / unresponsive, and reconnects by itself when the
 * reader comes back — no restart. Each read (once per placement) and each lift goes to the caller.
 */
import { isCounterError, type CounterError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { DeviceDriver, DeviceReporter } from '../manager'
import type { Connector, ReaderConnection } from './connectors'
import { MAX_BODY_LENGTH } from './frame'
import { startPolling, type AfterRead } from './poller'
import { SamReader, type IdCardRead, type ReadOptions } from './reader'
import { recordingTransport, type ReaderRecording } from './record'
import { createSamTransport } from './sam-transport'

export interface IdCardDriverOptions {
  readonly id: string
  readonly label: string
  readonly simulated: boolean
  readonly pollIntervalMs: number
  readonly connector: Connector
  readonly read?: ReadOptions
  readonly afterRead?: AfterRead
  /** Larger for readers that return a decoded image. */
  readonly maxBodyLength?: number
  /** Writes every exchange with the reader to a transcript (field diagnostics). */
  readonly record?: ReaderRecording
  readonly logger?: Logger
  onRead(read: IdCardRead): void
  onRemoved(): void
}

/** How long start() waits for the first connection, so that the status bar starts out right. */
const FIRST_CONNECT_WAIT_MS = 1500

export function idCardDriver(options: IdCardDriverOptions): DeviceDriver {
  const log = options.logger
  const maxBodyLength = options.maxBodyLength ?? MAX_BODY_LENGTH

  /** Runs the poll loop on one connection until the reader goes away or the driver stops. */
  async function serve(
    connection: ReaderConnection,
    report: DeviceReporter,
    signal: AbortSignal,
  ): Promise<void> {
    const closed = new Promise<void>((resolve) => connection.stream.onClose(() => resolve()))
    // Taken off again below: the driver's signal outlives every connection, and a listener left
    // per reconnection would pile up on it (a loose cable reconnects many times a day).
    let onAbort: () => void = () => undefined
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve
      signal.addEventListener('abort', onAbort, { once: true })
    })
    let lost: () => void = () => undefined
    const writesFail = new Promise<void>((resolve) => (lost = resolve))
    let transport = createSamTransport(connection.stream, { maxBodyLength })
    if (options.record) {
      options.record.sink.line(`# connected ${new Date().toISOString()}: ${connection.description}`)
      transport = recordingTransport(transport, options.record)
    }
    const reader = new SamReader(transport, maxBodyLength)
    const poller = startPolling(
      reader,
      {
        card: options.onRead,
        removed: options.onRemoved,
        state: (state, error?: CounterError) =>
          state === 'unresponsive'
            ? report.state('unresponsive', error?.code ?? 'IDCARD_TIMEOUT')
            : report.state(state),
        error: (error) => report.notice(error),
        detached: (error) => {
          log?.warn('ID card reader no longer takes writes', { code: error.code })
          lost()
        },
      },
      {
        intervalMs: options.pollIntervalMs,
        ...(options.read ? { read: options.read } : {}),
        ...(options.afterRead ? { afterRead: options.afterRead } : {}),
      },
    )
    await Promise.race([closed, aborted, writesFail])
    signal.removeEventListener('abort', onAbort)
    await poller.stop()
    await connection.stream.close().catch(() => undefined)
  }

  return {
    id: options.id,
    kind: 'idcard',
    label: options.label,
    simulated: options.simulated,
    async start(report) {
      const controller = new AbortController()
      const { signal } = controller
      let firstAttempt: () => void = () => undefined
      const attempted = new Promise<void>((resolve) => (firstAttempt = resolve))

      const supervise = async () => {
        let lastAbsence: string | undefined
        while (!signal.aborted) {
          let connection: ReaderConnection
          try {
            connection = await options.connector.connect(signal)
          } catch (error) {
            // A connector says why in a CounterError; anything else is a fault of ours, logged
            // whole, and never a raw system code in the status bar.
            const code = isCounterError(error) ? error.code : 'INTERNAL'
            if (code !== lastAbsence) {
              if (code === 'INTERNAL') log?.error('ID card reader connection failed', { error })
              else log?.info('ID card reader not available', { code })
            }
            lastAbsence = code
            report.state('absent', code)
            firstAttempt()
            await options.connector.waitForChange(signal)
            continue
          }
          lastAbsence = undefined
          log?.info('ID card reader attached', { via: connection.description })
          firstAttempt()
          await serve(connection, report, signal)
          if (signal.aborted) break
          log?.warn('ID card reader detached', { via: connection.description })
          report.state('absent', 'IDCARD_DISCONNECTED')
          lastAbsence = 'IDCARD_DISCONNECTED'
        }
      }
      const running = supervise().catch((error: unknown) => {
        log?.error('ID card driver failed', { error })
        report.state('error', 'INTERNAL')
      })
      let waitTimer: NodeJS.Timeout | undefined
      await Promise.race([
        attempted,
        new Promise((r) => (waitTimer = setTimeout(r, FIRST_CONNECT_WAIT_MS))),
      ])
      clearTimeout(waitTimer)
      return {
        async stop() {
          controller.abort()
          await running
        },
      }
    },
  }
}
