/**
 * One exchange at a time with the SAM over a byte stream: write a request frame, wait for one
 * whole response frame, with a timeout and an AbortSignal.
 *
 * The timeout covers the SAM's thinking and the radio; once a response is arriving, the deadline
 * moves with it, so a long answer at a low baud is not cut off while a reader that stops
 * mid-frame still fails quickly. A frame nobody waits for (a late answer after a timeout) is
 * dropped, and so is one the caller says cannot be the answer to this request.
 */
import { CounterError } from '../../../shared/errors'
import type { ByteStream } from '../transports'
import { FrameDecoder, MAX_BODY_LENGTH } from './frame'

export interface ExchangeOptions {
  readonly timeoutMs: number
  readonly signal?: AbortSignal
  /** False for a whole frame that cannot answer this request (a stale one): it is skipped. */
  readonly accept?: (frame: Uint8Array) => boolean
}

export interface SamTransport {
  exchange(request: Uint8Array, options: ExchangeOptions): Promise<Uint8Array>
  close(): Promise<void>
}

export interface SamTransportOptions {
  /** Larger for readers that return a decoded image in place of the WLT. */
  readonly maxBodyLength?: number
  /** Silence allowed between the bytes of one response once it has begun. */
  readonly interByteMs?: number
}

export function createSamTransport(
  stream: ByteStream,
  options: SamTransportOptions = {},
): SamTransport {
  const decoder = new FrameDecoder('response', options.maxBodyLength ?? MAX_BODY_LENGTH)
  const interByteMs = options.interByteMs ?? 250
  let waiting: ((frame: Uint8Array) => void) | undefined
  let progress: (() => void) | undefined
  let closed: ((error?: Error) => void) | undefined
  let busy = false
  stream.onData((chunk) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'frame' && waiting) waiting(event.frame)
    }
    progress?.()
  })
  stream.onClose((error) => closed?.(error))

  return {
    async exchange(request, { timeoutMs, signal, accept }) {
      if (busy) throw new Error('SamTransport: one exchange at a time')
      busy = true
      decoder.reset()
      try {
        return await new Promise<Uint8Array>((resolve, reject) => {
          let deadline = Date.now() + timeoutMs
          let timer: NodeJS.Timeout
          let done = false
          const finish = (fn: () => void) => {
            if (done) return
            done = true
            clearTimeout(timer)
            signal?.removeEventListener('abort', onAbort)
            waiting = undefined
            progress = undefined
            closed = undefined
            fn()
          }
          const onTimer = () => {
            const left = deadline - Date.now()
            if (left > 0) {
              timer = setTimeout(onTimer, left)
              return
            }
            const code = decoder.pending > 0 ? 'IDCARD_FRAME_TRUNCATED' : 'IDCARD_TIMEOUT'
            finish(() =>
              reject(new CounterError(code, { detail: `no whole frame within ${timeoutMs} ms` })),
            )
          }
          timer = setTimeout(onTimer, timeoutMs)
          const onAbort = () => finish(() => reject(signal!.reason ?? new Error('aborted')))
          if (signal?.aborted) return onAbort()
          signal?.addEventListener('abort', onAbort, { once: true })
          waiting = (frame) => {
            if (accept && !accept(frame)) return
            finish(() => resolve(frame))
          }
          progress = () => {
            if (decoder.pending > 0) deadline = Math.max(deadline, Date.now() + interByteMs)
          }
          closed = (error) =>
            finish(() => reject(new CounterError('IDCARD_DISCONNECTED', { cause: error })))
          stream
            .write(request)
            .catch((error: unknown) =>
              finish(() => reject(new CounterError('IDCARD_DISCONNECTED', { cause: error }))),
            )
        })
      } finally {
        busy = false
      }
    },
    close: () => stream.close(),
  }
}
