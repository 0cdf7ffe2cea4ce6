/** The SAM commands, with the timeouts open implementations use for each. */
import { encodeRequest } from './frame'

export interface SamCommand {
  readonly name: string
  readonly cmd: number
  readonly para: number
  readonly data?: Uint8Array
  readonly timeoutMs: number
}

export const Commands = {
  reset: { name: 'reset', cmd: 0x10, para: 0xff, timeoutMs: 1000 },
  status: { name: 'status', cmd: 0x11, para: 0xff, timeoutMs: 500 },
  samId: { name: 'samId', cmd: 0x12, para: 0xff, timeoutMs: 500 },
  find: { name: 'find', cmd: 0x20, para: 0x01, timeoutMs: 150 },
  select: { name: 'select', cmd: 0x20, para: 0x02, timeoutMs: 150 },
  readTextPhoto: { name: 'readTextPhoto', cmd: 0x30, para: 0x01, timeoutMs: 2000 },
  readAppendedAddress: { name: 'readAppendedAddress', cmd: 0x30, para: 0x03, timeoutMs: 1000 },
  readWithFingerprint: { name: 'readWithFingerprint', cmd: 0x30, para: 0x10, timeoutMs: 3000 },
} as const satisfies Record<string, SamCommand>

export const BAUD_RATES = [115200, 57600, 38400, 19200, 9600] as const
export type BaudRate = (typeof BAUD_RATES)[number]

export function setBaudCommand(baud: BaudRate): SamCommand {
  return { name: 'setBaud', cmd: 0x60, para: BAUD_RATES.indexOf(baud), timeoutMs: 500 }
}

export function setRfBytesCommand(maxBytes: number): SamCommand {
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > 255)
    throw new RangeError('RF bytes must be 1–255')
  return {
    name: 'setRfBytes',
    cmd: 0x61,
    para: 0xff,
    data: Uint8Array.of(maxBytes),
    timeoutMs: 500,
  }
}

export function encodeCommand(c: SamCommand): Uint8Array {
  return encodeRequest(c.cmd, c.para, c.data)
}

/** SW3 values. */
export const Sw3 = {
  success: 0x90,
  noContent: 0x91,
  cardFound: 0x9f,
  noCard: 0x80,
  selectFailed: 0x81,
  readFailed: 0x41,
} as const
