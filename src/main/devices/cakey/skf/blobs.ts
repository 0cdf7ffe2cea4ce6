/**
 * The byte layouts SKF libraries exchange, as pure functions: name lists, ECC public-key and
 * signature blobs (values right-aligned in 64-byte fields), DEVINFO.
 */
import { decodeLoose } from './text'
import { ECC_FIELD, ECC_PUBLIC_BLOB_SIZE, ECC_SIGNATURE_BLOB_SIZE } from './constants'

/** A name as the library gave it: the bytes (to hand back unchanged) and readable text. */
export interface SkfName {
  readonly text: string
  readonly bytes: Uint8Array
}

/** A multi-string (`a\0b\0\0`) → names. Vendors write GBK or UTF-8; the bytes are kept as given. */
export function parseNameList(buf: Uint8Array, max = 64): SkfName[] {
  const out: SkfName[] = []
  let start = 0
  for (let i = 0; i < buf.length && out.length < max; i++) {
    if (buf[i] !== 0) continue
    if (i === start) break // the empty string that ends the list
    const bytes = buf.slice(start, i)
    out.push({ text: decodeLoose(bytes), bytes })
    start = i + 1
  }
  return out
}

/** A name as the NUL-terminated `char*` the library expects. */
export function cString(name: SkfName | string): Buffer {
  const bytes = typeof name === 'string' ? Buffer.from(name, 'utf8') : Buffer.from(name.bytes)
  return Buffer.concat([bytes, Buffer.of(0)])
}

function rightAligned(field: Uint8Array, size: number): Uint8Array | undefined {
  for (let i = 0; i < field.length - size; i++) if (field[i] !== 0) return undefined
  return field.slice(field.length - size)
}

/** ECCPUBLICKEYBLOB → uncompressed point (04‖x‖y); undefined when not a 256-bit key. */
export function parseEccPublicKeyBlob(blob: Uint8Array): Uint8Array | undefined {
  if (blob.length < ECC_PUBLIC_BLOB_SIZE) return undefined
  const bits = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0, true)
  if (bits !== 256) return undefined
  const x = rightAligned(blob.subarray(4, 4 + ECC_FIELD), 32)
  const y = rightAligned(blob.subarray(4 + ECC_FIELD, 4 + 2 * ECC_FIELD), 32)
  if (!x || !y) return undefined
  return Uint8Array.from([0x04, ...x, ...y])
}

/** Uncompressed point → ECCPUBLICKEYBLOB (for SKF_DigestInit). */
export function encodeEccPublicKeyBlob(point: Uint8Array): Uint8Array {
  if (point.length !== 65 || point[0] !== 0x04)
    throw new RangeError('expected an uncompressed point')
  const blob = new Uint8Array(ECC_PUBLIC_BLOB_SIZE)
  new DataView(blob.buffer).setUint32(0, 256, true)
  blob.set(point.subarray(1, 33), 4 + ECC_FIELD - 32)
  blob.set(point.subarray(33, 65), 4 + 2 * ECC_FIELD - 32)
  return blob
}

/** ECCSIGNATUREBLOB → r‖s (64 bytes); undefined when a value overflows 32 bytes. */
export function parseEccSignatureBlob(blob: Uint8Array): Uint8Array | undefined {
  if (blob.length < ECC_SIGNATURE_BLOB_SIZE) return undefined
  const r = rightAligned(blob.subarray(0, ECC_FIELD), 32)
  const s = rightAligned(blob.subarray(ECC_FIELD, 2 * ECC_FIELD), 32)
  if (!r || !s) return undefined
  return Uint8Array.from([...r, ...s])
}

export function encodeEccSignatureBlob(rs: Uint8Array): Uint8Array {
  if (rs.length !== 64) throw new RangeError('expected r‖s')
  const blob = new Uint8Array(ECC_SIGNATURE_BLOB_SIZE)
  blob.set(rs.subarray(0, 32), ECC_FIELD - 32)
  blob.set(rs.subarray(32), 2 * ECC_FIELD - 32)
  return blob
}

export interface DevInfo {
  readonly manufacturer: string
  readonly issuer: string
  readonly label: string
  readonly serial: string
  readonly algAsymCap: number
  readonly algHashCap: number
}

/**
 * DEVINFO. Most vendor headers pack it (`#pragma pack(1)`: 294 bytes); an unpacked build puts
 * two bytes of padding before the first ULONG (296 bytes).
 */
export const DEVINFO_SIZE = { packed: 294, natural: 296 } as const

export function parseDevInfo(buf: Uint8Array, packed = true): DevInfo {
  const text = (off: number, len: number) => {
    const field = buf.subarray(off, off + len)
    const end = field.indexOf(0)
    return decodeLoose(end >= 0 ? field.subarray(0, end) : field).trim()
  }
  const ulongs = packed ? 198 : 200
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length)
  const u32 = (i: number) =>
    buf.length >= ulongs + 4 * i + 4 ? view.getUint32(ulongs + 4 * i, true) : 0
  return {
    manufacturer: text(2, 64),
    issuer: text(66, 64),
    label: text(130, 32),
    serial: text(162, 32),
    algAsymCap: u32(1),
    algHashCap: u32(2),
  }
}
