/** The one way the renderer reaches the core: the `window.counter` object the preload installs. */
import type { CounterApi } from '../../shared/api'
import { describeError, type ErrorInfo } from '../../shared/errors'

declare global {
  interface Window {
    readonly counter: CounterApi
  }
}

export function counter(): CounterApi {
  return window.counter
}

/** Whatever a call rejected with, as something the error surface can show. */
export function asErrorInfo(error: unknown): ErrorInfo {
  if (
    error &&
    typeof error === 'object' &&
    'code' in error &&
    'message' in error &&
    'hint' in error
  ) {
    const e = error as { code: unknown; message: unknown; hint: unknown }
    if (typeof e.code === 'string' && typeof e.message === 'string' && typeof e.hint === 'string') {
      return { code: e.code, message: e.message, hint: e.hint }
    }
  }
  // Anything else is an internal error, worded by the shared error catalogue like the core's.
  return { code: 'INTERNAL', ...describeError('INTERNAL') }
}
