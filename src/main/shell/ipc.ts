/**
 * Binds every method of the contract to an IPC handler that first checks the sender is the app's
 * own top-level page, then hands the raw arguments to the core's dispatcher (which validates them).
 */
import { ipcMain } from 'electron'
import { INVOKE_PREFIX, methods, type Envelope } from '../../shared/api'
import { CounterError } from '../../shared/errors'
import type { Core } from '../core'
import { isTrustedFrame } from './policy'

export function bindIpc(core: Core, devServerUrl: string | undefined): () => void {
  const names = Object.keys(methods)
  for (const name of names) {
    ipcMain.handle(INVOKE_PREFIX + name, async (event, ...args: unknown[]): Promise<Envelope> => {
      if (!isTrustedFrame(event.senderFrame, devServerUrl)) {
        core.logger.warn('IPC from a foreign frame refused', {
          method: name,
          url: event.senderFrame?.url?.slice(0, 100),
        })
        return { ok: false, error: new CounterError('IPC_FORBIDDEN_SENDER').toInfo() }
      }
      return core.dispatch(name, args)
    })
  }
  return () => names.forEach((name) => ipcMain.removeHandler(INVOKE_PREFIX + name))
}
