import type { DeviceStatus, LibraryStatus } from '../../../shared/domain'
import { useT, type MessageKey } from '../i18n'
import { useApp } from '../stores/app'

interface Banner {
  readonly priority: number
  readonly key: MessageKey
  readonly device?: string
}

/** One banner at a time, the most urgent device or connection problem first. */
export function pickBanner(
  devices: readonly DeviceStatus[],
  library: LibraryStatus,
): Banner | null {
  const candidates: Banner[] = []
  for (const d of devices) {
    if (d.kind === 'cakey' && d.state === 'error')
      candidates.push({ priority: 3, key: 'auth.banner.driver', device: d.label })
    else if (d.state === 'unresponsive' || d.state === 'error')
      candidates.push({ priority: 3, key: 'banner.deviceUnresponsive', device: d.label })
    else if (d.state === 'absent')
      candidates.push({ priority: 2, key: 'banner.deviceAbsent', device: d.label })
  }
  if (library.state === 'offline') candidates.push({ priority: 1, key: 'banner.libraryOffline' })
  return candidates.sort((a, b) => b.priority - a.priority)[0] ?? null
}

export function DeviceBanner() {
  const t = useT()
  const devices = useApp((s) => s.devices)
  const library = useApp((s) => s.library)
  const banner = pickBanner(devices, library)
  if (!banner) return null
  return (
    <div className="device-banner" role="status" data-testid="device-banner">
      {t(banner.key, banner.device ? { device: banner.device } : undefined)}
    </div>
  )
}
