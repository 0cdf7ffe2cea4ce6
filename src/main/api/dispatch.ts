/**
 * The one door into the core from the UI: checks the method is in the contract, validates its
 * arguments, runs the handler and packs the result (or a clerk-facing error) into an envelope.
 * The Electron shell and the end-to-end harness both call this; neither talks to services directly.
 */
import {
  isMethodName,
  methods,
  splitMethodName,
  type CounterHandlers,
  type Envelope,
} from '../../shared/api'
import { CounterError, toErrorInfo } from '../../shared/errors'
import type { Logger } from '../log'

export type Dispatch = (method: string, args: unknown) => Promise<Envelope>

export function createDispatcher(handlers: CounterHandlers, logger: Logger): Dispatch {
  return async (method, args) => {
    if (!isMethodName(method)) {
      logger.warn('unknown method refused', { method: String(method).slice(0, 64) })
      return {
        ok: false,
        error: new CounterError('IPC_BAD_ARGUMENT', {
          params: { method: String(method).slice(0, 64) },
        }).toInfo(),
      }
    }
    const parsed = methods[method].args.safeParse(args)
    if (!parsed.success) {
      logger.warn('bad arguments refused', { method })
      return {
        ok: false,
        error: new CounterError('IPC_BAD_ARGUMENT', { params: { method } }).toInfo(),
      }
    }
    const [namespace, name] = splitMethodName(method)
    const fn = (
      handlers as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>
    )[namespace]![name]!
    try {
      const value = await fn(...(parsed.data as unknown[]))
      return { ok: true, value }
    } catch (error) {
      if (error instanceof CounterError)
        logger.info('request failed', { method, code: error.code, detail: error.detail })
      else logger.error('request crashed', { method, error })
      return { ok: false, error: toErrorInfo(error) }
    }
  }
}
