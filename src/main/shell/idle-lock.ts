/**
 * The sign-in lock's hook into the system: how long since the last keyboard or mouse input
 * (Electron powerMonitor, system-wide, so a clerk typing in another program keeps the window
 * open), and the OS locking its screen or going to sleep, which lock the window at once.
 */
import { powerMonitor } from 'electron'
import type { Core } from '../core'

const CHECK_MS = 5000

export function watchIdle(core: Core): () => void {
  const timer = setInterval(() => core.auth.systemIdle(powerMonitor.getSystemIdleTime()), CHECK_MS)
  const lock = () => core.auth.systemLocked()
  powerMonitor.on('lock-screen', lock)
  powerMonitor.on('suspend', lock)
  return () => {
    clearInterval(timer)
    powerMonitor.off('lock-screen', lock)
    powerMonitor.off('suspend', lock)
  }
}
