/**
 * A simulated USB HID ID card reader for the tests: its "firmware" de-packetises the host's output
 * reports into a SAM simulator and packetises the answers into input reports, exactly as the
 * vendor profile says a real one does. Plugged into the code through a HidBackend (node-hid
 * cannot be faked below the library).
 */
import {
  createMemoryLink,
  inputReports,
  type HidBackend,
  type HidHandle,
  type HidProfile,
} from '../../../../../src/main/devices/transports'
import { SamSimulator } from '../../../../../src/main/training'

export const HID_READER = { vendorId: 0x0400, productId: 0xc35a } as const

/** A HID device whose firmware bridges reports to a SAM simulator. */
export function simulatedHidDevice(profile: HidProfile, path = 'sim-hid-1') {
  const link = createMemoryLink()
  const sim = new SamSimulator(link.device)
  let onReport: ((r: Uint8Array) => void) | undefined
  let onError: ((e: Error) => void) | undefined
  let attached = true
  const written: Uint8Array[] = []
  // The device's outbound side: SAM bytes → input reports.
  link.host.onData((bytes) => {
    for (const r of inputReports(bytes, profile)) setImmediate(() => onReport?.(r))
  })
  const handle: HidHandle = {
    async write(report) {
      if (!attached) throw new Error('device gone')
      written.push(report)
      // A report outside the profile fails the exchange, and so the test.
      if (report.length !== 1 + profile.reportSize || report[0] !== profile.reportId)
        throw new Error(`report outside the profile: ${report.length} bytes, id ${report[0]}`)
      const payload = report.subarray(1)
      const bytes = profile.lengthPrefix === 'u8' ? payload.subarray(1, 1 + payload[0]!) : payload
      await link.host.write(bytes)
    },
    onReport: (l) => void (onReport = l),
    onError: (l) => void (onError = l),
    close: async () => undefined,
  }
  const backend: HidBackend = {
    devices: async () => (attached ? [{ ...HID_READER, path, product: 'ID reader' }] : []),
    open: async (p) => {
      if (!attached || p !== path) throw new Error('no such device')
      return handle
    },
  }
  return {
    sim,
    backend,
    written,
    unplug() {
      attached = false
      onError?.(new Error('could not read from HID device'))
    },
    plug() {
      attached = true
    },
  }
}
