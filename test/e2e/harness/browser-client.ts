/**
 * Installed in the page before the renderer loads: `window.counter` built from the same contract
 * and client as the preload, but carried over Playwright bindings to a real core in the test
 * process instead of over Electron IPC.
 */
import type { CounterApi, Envelope, EventName } from '../../../src/shared/api'
import { createCounterClient } from '../../../src/shared/client'

declare global {
  interface Window {
    __counterInvoke(method: string, args: unknown[]): Promise<Envelope>
    __counterEmit(event: string, payload: unknown): void
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>()

const api = createCounterClient({
  invoke: (method, args) => window.__counterInvoke(method, args),
  subscribe(event: EventName, listener) {
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    set.add(listener)
    return () => set.delete(listener)
  },
}) satisfies CounterApi

Object.defineProperty(window, 'counter', { value: api, writable: false, configurable: false })
window.__counterEmit = (event, payload) => listeners.get(event)?.forEach((l) => l(payload))
