/**
 * ISO 7816-4 command and response APDUs: short and extended encodings, and decoding for the chip
 * simulator. Ne is the number of response bytes expected (0 = none, up to 256 short or 65536
 * extended).
 */
import { CounterError } from '../../../shared/errors'

export interface CommandApdu {
  readonly cla: number
  readonly ins: number
  readonly p1: number
  readonly p2: number
  readonly data?: Uint8Array
  readonly ne?: number
}

export interface ResponseApdu {
  readonly data: Uint8Array
  readonly sw: number
}

export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  SM_DATA_MISSING: 0x6987,
  SM_DATA_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
  AUTH_FAILED: 0x6300,
} as const

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0')
}

/** Whether this command needs the extended encoding. */
export function needsExtended(cmd: CommandApdu): boolean {
  return (cmd.data?.length ?? 0) > 255 || (cmd.ne ?? 0) > 256
}

export function encodeCommand(cmd: CommandApdu, forceExtended = false): Uint8Array {
  const data = cmd.data ?? new Uint8Array(0)
  const ne = cmd.ne ?? 0
  if (data.length > 65535) throw new RangeError('command data too long')
  if (ne < 0 || ne > 65536) throw new RangeError('Ne out of range')
  const extended = forceExtended || needsExtended(cmd)
  const out: number[] = [cmd.cla, cmd.ins, cmd.p1, cmd.p2]
  if (!extended) {
    if (data.length > 0) out.push(data.length, ...data)
    if (ne > 0) out.push(ne === 256 ? 0 : ne)
    return Uint8Array.from(out)
  }
  if (data.length > 0) {
    const bytes = new Uint8Array(4 + 3 + data.length + (ne > 0 ? 2 : 0))
    bytes.set(out, 0)
    bytes.set([0, data.length >> 8, data.length & 0xff], 4)
    bytes.set(data, 7)
    if (ne > 0) bytes.set([(ne >> 8) & 0xff, ne & 0xff], 7 + data.length)
    return bytes
  }
  if (ne > 0) out.push(0, (ne >> 8) & 0xff, ne & 0xff)
  return Uint8Array.from(out)
}

function malformed(reason: string): CounterError {
  return new CounterError('EMRTD_TLV_MALFORMED', { params: { reason } })
}

/** Decodes a C-APDU (every ISO case, short and extended). */
export function decodeCommand(bytes: Uint8Array): CommandApdu & { extended: boolean } {
  if (bytes.length < 4) throw malformed('command shorter than its header')
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!]
  const body = bytes.subarray(4)
  const base = { cla, ins, p1, p2 }
  if (body.length === 0) return { ...base, extended: false }
  if (body.length === 1) return { ...base, ne: body[0] || 256, extended: false }
  if (body[0] !== 0) {
    const lc = body[0]!
    if (body.length === 1 + lc) return { ...base, data: body.subarray(1, 1 + lc), extended: false }
    if (body.length === 2 + lc)
      return { ...base, data: body.subarray(1, 1 + lc), ne: body[1 + lc] || 256, extended: false }
    throw malformed('short command length mismatch')
  }
  // Extended: 00 then two length bytes.
  if (body.length === 3) return { ...base, ne: (body[1]! << 8) | body[2]! || 65536, extended: true }
  if (body.length < 3) throw malformed('extended length truncated')
  const lc = (body[1]! << 8) | body[2]!
  if (lc === 0) throw malformed('extended Lc of zero')
  if (body.length === 3 + lc) return { ...base, data: body.subarray(3, 3 + lc), extended: true }
  if (body.length === 5 + lc) {
    const le = (body[3 + lc]! << 8) | body[4 + lc]!
    return { ...base, data: body.subarray(3, 3 + lc), ne: le || 65536, extended: true }
  }
  throw malformed('extended command length mismatch')
}

export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw malformed('response shorter than its status word')
  return {
    data: bytes.subarray(0, bytes.length - 2),
    sw: (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]!,
  }
}

export function encodeResponse(r: ResponseApdu): Uint8Array {
  const out = new Uint8Array(r.data.length + 2)
  out.set(r.data, 0)
  out[r.data.length] = r.sw >> 8
  out[r.data.length + 1] = r.sw & 0xff
  return out
}
