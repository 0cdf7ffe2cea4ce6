/** App-wide state: who we are, device and library status, and the one error on screen. */
import { create } from 'zustand'
import type { AppInfo, DeviceStatus, LibraryStatus } from '../../../shared/domain'
import type { ErrorInfo } from '../../../shared/errors'
import { asErrorInfo, counter } from '../counter'
import { useLanguage } from '../i18n'

interface AppState {
  info: AppInfo | null
  devices: DeviceStatus[]
  library: LibraryStatus
  error: ErrorInfo | null
  init(): Promise<() => void>
  showError(error: unknown): void
  dismissError(): void
}

export const useApp = create<AppState>((set) => ({
  info: null,
  devices: [],
  library: { state: 'unknown' },
  error: null,
  async init() {
    const api = counter()
    const offs = [
      api.on('devices', (devices) => set({ devices })),
      api.on('library', (library) => set({ library })),
      api.on('notice', (notice) => set({ error: notice })),
    ]
    const [info, status] = await Promise.all([api.app.info(), api.app.status()])
    useLanguage.getState().setLanguage(info.language)
    set({ info, devices: status.devices, library: status.library })
    return () => offs.forEach((off) => off())
  },
  showError: (error) => set({ error: asErrorInfo(error) }),
  dismissError: () => set({ error: null }),
}))
