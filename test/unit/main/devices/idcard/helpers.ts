/** Small shared pieces for the ID card tests. */
import {
  createSamTransport,
  SamReader,
  type SamTransportOptions,
} from '../../../../../src/main/devices/idcard'
import { createMemoryLink } from '../../../../../src/main/devices/transports'
import { SamSimulator, type SimOptions } from '../../../../../src/main/training'

export const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
export const toHex = (b: Uint8Array) =>
  Buffer.from(b).toString('hex').toUpperCase().replace(/(..)/g, '$1 ').trim()
export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A simulator on one end of an in-memory link and a reader on the other. */
export function simulatedReader(options: SimOptions = {}, transport: SamTransportOptions = {}) {
  const link = createMemoryLink()
  const sim = new SamSimulator(link.device, options)
  const reader = new SamReader(createSamTransport(link.host, transport), transport.maxBodyLength)
  return { link, sim, reader }
}

/** Polls until a condition holds (for loops that run on their own timers). */
export async function until(check: () => boolean, timeoutMs = 3000, what = 'condition') {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await wait(5)
  }
}
