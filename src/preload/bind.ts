/**
 * Binds the contract to Electron IPC. Kept apart from `index.ts` so it can be tested with a fake
 * ipcRenderer: the object it returns is exactly what the renderer gets as `window.counter`.
 */
import { EVENT_PREFIX, INVOKE_PREFIX, type CounterApi, type Envelope } from '../shared/api'
import { createCounterClient } from '../shared/client'

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export function bindCounterApi(ipc: IpcRendererLike): CounterApi {
  return createCounterClient({
    invoke: (method, args) => ipc.invoke(INVOKE_PREFIX + method, ...args) as Promise<Envelope>,
    subscribe(event, listener) {
      // Only the payload crosses: the IpcRendererEvent (and its sender) never reaches the page.
      const handler = (_event: unknown, payload: unknown) => listener(payload)
      ipc.on(EVENT_PREFIX + event, handler)
      return () => void ipc.removeListener(EVENT_PREFIX + event, handler)
    },
  })
}
