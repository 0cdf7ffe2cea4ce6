/**
 * DER encoding, for what we build ourselves: the chip simulator's certificates, security objects
 * and SecurityInfos, public key data objects for PACE and CA, and signed attributes re-tagged as
 * a SET for verification.
 */
import { bigIntToBytes, byteLengthOf } from '../../crypto'
import { encodeOidValue, TAG } from './asn1'
import { compareBytes } from './bytes'
import { encodeTlv } from './tlv'

function intBytes(v: bigint): Uint8Array {
  if (v < 0n) {
    // Two's complement, minimal.
    let len = 1
    while (v < -(1n << BigInt(8 * len - 1))) len++
    return bigIntToBytes((1n << BigInt(8 * len)) + v, len)
  }
  const len = byteLengthOf(v) || 1
  const raw = bigIntToBytes(v, len)
  if (raw[0]! & 0x80) {
    const out = new Uint8Array(len + 1)
    out.set(raw, 1)
    return out
  }
  return raw
}

export const der = {
  seq: (...items: Uint8Array[]) => encodeTlv(TAG.SEQUENCE, ...items),
  /** DER SET OF: elements sorted by their encodings. */
  set: (...items: Uint8Array[]) => encodeTlv(TAG.SET, ...[...items].sort(compareBytes)),
  int: (v: bigint | number) => encodeTlv(TAG.INTEGER, intBytes(BigInt(v))),
  /** An INTEGER from an unsigned big-endian magnitude. */
  uint: (magnitude: Uint8Array) => {
    let i = 0
    while (i < magnitude.length - 1 && magnitude[i] === 0) i++
    const m = magnitude.subarray(i)
    return encodeTlv(TAG.INTEGER, m[0]! & 0x80 ? Uint8Array.of(0, ...m) : m)
  },
  oid: (oid: string) => encodeTlv(TAG.OID, encodeOidValue(oid)),
  octets: (b: Uint8Array) => encodeTlv(TAG.OCTET_STRING, b),
  bits: (b: Uint8Array) => encodeTlv(TAG.BIT_STRING, Uint8Array.of(0), b),
  nul: () => Uint8Array.of(TAG.NULL, 0),
  bool: (b: boolean) => Uint8Array.of(TAG.BOOLEAN, 1, b ? 0xff : 0),
  utf8: (s: string) => encodeTlv(TAG.UTF8_STRING, new TextEncoder().encode(s)),
  printable: (s: string) =>
    encodeTlv(TAG.PRINTABLE_STRING, Uint8Array.from(Buffer.from(s, 'latin1'))),
  /** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
  time: (d: Date) => {
    const iso = d.toISOString()
    const y = d.getUTCFullYear()
    const body =
      iso.slice(5, 7) +
      iso.slice(8, 10) +
      iso.slice(11, 13) +
      iso.slice(14, 16) +
      iso.slice(17, 19) +
      'Z'
    return y >= 1950 && y < 2050
      ? encodeTlv(TAG.UTC_TIME, new TextEncoder().encode(iso.slice(2, 4) + body))
      : encodeTlv(TAG.GENERALIZED_TIME, new TextEncoder().encode(iso.slice(0, 4) + body))
  },
  /** [n] EXPLICIT (constructed, context-specific). */
  explicit: (n: number, ...items: Uint8Array[]) => encodeTlv(0xa0 | n, ...items),
  /** [n] IMPLICIT over a primitive value. */
  implicit: (n: number, value: Uint8Array) => encodeTlv(0x80 | n, value),
  /** [n] IMPLICIT over a constructed value (e.g. SET OF certificates). */
  implicitConstructed: (n: number, ...items: Uint8Array[]) => encodeTlv(0xa0 | n, ...items),
}
