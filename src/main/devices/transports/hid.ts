/**
 * A USB HID reader as a ByteStream: reports in and out through `node-hid`, de-packetised by the
 * vendor profile. The backend is an interface so that the same stream runs over a simulated
 * device in tests (no machine here has the reader, and HID cannot be faked below the library).
 */
import { CounterError } from '../../../shared/errors'
import { Listeners, type ByteStream } from './byte-stream'
import { checkHidProfile, depacketise, packetise, type HidProfile } from './hid-profile'

export interface HidDeviceInfo {
  readonly vendorId: number
  readonly productId: number
  readonly path?: string | undefined
  readonly product?: string | undefined
  readonly serialNumber?: string | undefined
}

export interface HidHandle {
  write(report: Uint8Array): Promise<void>
  onReport(listener: (report: Uint8Array) => void): void
  /** The device went away or failed. */
  onError(listener: (error: Error) => void): void
  close(): Promise<void>
}

export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>
  open(path: string): Promise<HidHandle>
}

/** node-hid, loaded on first use so that a platform without its prebuilt binary still starts. */
export function nodeHidBackend(): HidBackend {
  const load = () => import('node-hid')
  return {
    async devices() {
      return (await load()).devicesAsync()
    },
    async open(path) {
      const hid = await load()
      const device = await hid.HIDAsync.open(path)
      return {
        async write(report) {
          await device.write(Buffer.from(report))
        },
        onReport: (listener) => void device.on('data', (d: Buffer) => listener(new Uint8Array(d))),
        onError: (listener) => void device.on('error', (e: Error) => listener(e)),
        close: () => device.close(),
      }
    },
  }
}

export interface HidTarget {
  readonly vendorId: number
  readonly productId: number
  /** A specific interface path when the reader exposes several. */
  readonly path?: string | undefined
}

const hidLabel = (t: HidTarget) =>
  `${t.vendorId.toString(16).padStart(4, '0')}:${t.productId.toString(16).padStart(4, '0')}`

/** The attached devices that match, in the backend's order. */
export async function findHidDevices(
  backend: HidBackend,
  target: HidTarget,
): Promise<HidDeviceInfo[]> {
  const all = await backend.devices().catch(() => [])
  return all.filter(
    (d) =>
      d.vendorId === target.vendorId &&
      d.productId === target.productId &&
      (target.path === undefined || d.path === target.path) &&
      d.path !== undefined,
  )
}

export async function openHidStream(
  backend: HidBackend,
  target: HidTarget,
  profile: HidProfile,
): Promise<ByteStream> {
  checkHidProfile(profile)
  const device = (await findHidDevices(backend, target))[0]
  const params = { device: hidLabel(target) }
  if (!device?.path) throw new CounterError('IDCARD_HID_NOT_FOUND', { params })
  let handle: HidHandle
  try {
    handle = await backend.open(device.path)
  } catch (error) {
    throw new CounterError('IDCARD_HID_OPEN_FAILED', { params, cause: error })
  }
  const data = new Listeners<[Uint8Array]>()
  const closed = new Listeners<[Error?]>()
  let open = true
  const end = (error?: Error) => {
    if (!open) return
    open = false
    closed.emit(error)
    data.clear()
    closed.clear()
  }
  handle.onReport((report) => {
    try {
      const bytes = depacketise(report, profile)
      if (bytes.length > 0) data.emit(bytes)
    } catch {
      // A report outside the profile is line noise to the frame decoder: dropped here.
    }
  })
  handle.onError((error) => {
    end(error)
    void handle.close().catch(() => undefined)
  })
  return {
    async write(bytes) {
      if (!open) throw new CounterError('IDCARD_DISCONNECTED')
      for (const report of packetise(bytes, profile)) await handle.write(report)
    },
    onData: (listener) => data.add(listener),
    onClose: (listener) => closed.add(listener),
    async close() {
      if (!open) return
      end()
      await handle.close().catch(() => undefined)
    },
  }
}
