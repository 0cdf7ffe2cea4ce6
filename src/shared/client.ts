/**
 * Builds `window.counter` from the contract over any transport: Electron IPC in the preload, or
 * Playwright bindings in the end-to-end harness. Arguments are validated before they leave;
 * only the contract's events can be subscribed to.
 */
import {
  events,
  isEventName,
  methods,
  splitMethodName,
  type CounterApi,
  type Envelope,
  type EventName,
  type MethodName,
} from './api'
import { describeError, type ErrorInfo } from './errors'

export interface CounterTransport {
  invoke(method: MethodName, args: unknown[]): Promise<Envelope>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

/** What a failed call rejects with in the renderer: the clerk-facing message, hint and code. */
export class CounterApiError extends Error {
  readonly code: string
  readonly hint: string

  constructor(info: ErrorInfo) {
    super(info.message)
    this.name = 'CounterApiError'
    this.code = info.code
    this.hint = info.hint
  }
}

function badArgument(method: string): CounterApiError {
  const { message, hint } = describeError('IPC_BAD_ARGUMENT', { method })
  return new CounterApiError({ code: 'IPC_BAD_ARGUMENT', message, hint })
}

export function createCounterClient(transport: CounterTransport): CounterApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {}
  for (const name of Object.keys(methods) as MethodName[]) {
    const [namespace, method] = splitMethodName(name)
    const schema = methods[name].args
    api[namespace] ??= {}
    api[namespace][method] = async (...args: unknown[]) => {
      const parsed = schema.safeParse(args)
      if (!parsed.success) throw badArgument(name)
      const envelope = await transport.invoke(name, parsed.data as unknown[])
      if (!envelope.ok) throw new CounterApiError(envelope.error)
      return envelope.value
    }
  }
  const on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!isEventName(event) || typeof listener !== 'function') {
      throw new TypeError(`unknown event: ${String(event)}`)
    }
    return transport.subscribe(event, (payload) => {
      const parsed = events[event].safeParse(payload)
      if (parsed.success) listener(parsed.data)
    })
  }
  return Object.freeze({ ...api, on }) as unknown as CounterApi
}
