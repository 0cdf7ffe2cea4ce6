/**
 * ASN.1 DER, read strictly enough to be safe on hostile bytes and leniently enough for the
 * certificates Chinese CAs actually issue: definite lengths only, every length checked against
 * what is left, nesting bounded by the callers' fixed structures (no generic recursion here).
 * Non-minimal length forms are tolerated because some CA software writes them; signatures are
 * always checked over the original bytes, so tolerance never changes what was signed.
 */

export class Asn1Error extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`)
    this.name = 'Asn1Error'
  }
}

export const TagClass = { Universal: 0, Application: 1, Context: 2, Private: 3 } as const
export type TagClass = (typeof TagClass)[keyof typeof TagClass]

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const

/** One element: where it sits in the source and what its contents are. */
export interface Tlv {
  /** The identifier octet as read (class, constructed bit and low tag number). */
  readonly tag: number
  readonly cls: TagClass
  readonly constructed: boolean
  readonly tagNumber: number
  /** Offset of the identifier octet in the source. */
  readonly start: number
  /** Offset just past the element. */
  readonly end: number
  /** The contents (a view into the source, not a copy). */
  readonly value: Uint8Array
  /** The whole element, header included (a view). */
  readonly raw: Uint8Array
}

/** Reads the element at `offset`; it must fit inside `limit` (default: the whole buffer). */
export function readTlv(buf: Uint8Array, offset = 0, limit = buf.length): Tlv {
  let p = offset
  if (p >= limit) throw new Asn1Error('unexpected end of data', p)
  const tag = buf[p++]!
  const cls = (tag >> 6) as TagClass
  const constructed = (tag & 0x20) !== 0
  let tagNumber = tag & 0x1f
  if (tagNumber === 0x1f) {
    // High tag number form: base-128, at most 4 octets (no real structure needs more).
    tagNumber = 0
    for (let i = 0; ; i++) {
      if (p >= limit) throw new Asn1Error('truncated tag', p)
      if (i >= 4) throw new Asn1Error('tag number too large', p)
      const b = buf[p++]!
      tagNumber = (tagNumber << 7) | (b & 0x7f)
      if (!(b & 0x80)) break
    }
  }
  if (p >= limit) throw new Asn1Error('truncated length', p)
  const first = buf[p++]!
  let length: number
  if (first < 0x80) {
    length = first
  } else if (first === 0x80) {
    throw new Asn1Error('indefinite length is not DER', p - 1)
  } else {
    const n = first & 0x7f
    if (n > 4) throw new Asn1Error('length field too long', p - 1)
    if (p + n > limit) throw new Asn1Error('truncated length', p)
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++]!
  }
  if (length > limit - p) throw new Asn1Error('length exceeds the data', p)
  const end = p + length
  return {
    tag,
    cls,
    constructed,
    tagNumber,
    start: offset,
    end,
    value: buf.subarray(p, end),
    raw: buf.subarray(offset, end),
  }
}

/** Reads exactly one element that spans the whole buffer. */
export function readOne(buf: Uint8Array): Tlv {
  const tlv = readTlv(buf, 0)
  if (tlv.end !== buf.length) throw new Asn1Error('trailing data', tlv.end)
  return tlv
}

/** The elements inside a constructed element; they must fill it exactly. */
export function children(tlv: Tlv, max = 100_000): Tlv[] {
  if (!tlv.constructed) throw new Asn1Error('expected a constructed element', tlv.start)
  const out: Tlv[] = []
  const buf = tlv.value
  let p = 0
  while (p < buf.length) {
    if (out.length >= max) throw new Asn1Error('too many elements', p)
    const child = readTlv(buf, p)
    out.push(child)
    p = child.end
  }
  return out
}

export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) throw new Asn1Error(`missing ${what}`, 0)
  if (tlv.tag !== tag)
    throw new Asn1Error(`${what}: unexpected tag 0x${tlv.tag.toString(16)}`, tlv.start)
  return tlv
}

export function isContext(tlv: Tlv | undefined, n: number): boolean {
  return !!tlv && tlv.cls === TagClass.Context && tlv.tagNumber === n
}

// ---------------------------------------------------------------------------------------------
// Primitive values

/** An INTEGER's magnitude as uppercase hex without leading zero octets (serial numbers). */
export function integerHex(tlv: Tlv): string {
  if (tlv.value.length === 0) throw new Asn1Error('empty integer', tlv.start)
  let v = tlv.value
  while (v.length > 1 && v[0] === 0) v = v.subarray(1)
  return Buffer.from(v).toString('hex').toUpperCase()
}

export function integerNumber(tlv: Tlv): number {
  const v = tlv.value
  if (v.length === 0 || v.length > 6) throw new Asn1Error('integer out of range', tlv.start)
  if (v[0]! & 0x80) throw new Asn1Error('negative integer', tlv.start)
  let n = 0
  for (const b of v) n = n * 256 + b
  return n
}

export function decodeOid(tlv: Tlv): string {
  const v = tlv.value
  if (v.length === 0 || v.length > 64) throw new Asn1Error('bad object identifier', tlv.start)
  const parts: number[] = []
  let n = 0
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!
    if (n > 0x1fffffffffff) throw new Asn1Error('object identifier arc too large', tlv.start)
    n = n * 128 + (b & 0x7f)
    if (!(b & 0x80)) {
      parts.push(n)
      n = 0
    } else if (i === v.length - 1) {
      throw new Asn1Error('truncated object identifier', tlv.start)
    }
  }
  const first = parts[0]!
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
  return [...head, ...parts.slice(1)].join('.')
}

/** A BIT STRING's bits; only whole octets are meaningful for keys and signatures. */
export function bitStringBytes(tlv: Tlv): Uint8Array {
  if (tlv.value.length === 0) throw new Asn1Error('empty bit string', tlv.start)
  const unused = tlv.value[0]!
  if (unused > 7) throw new Asn1Error('bad bit string', tlv.start)
  return tlv.value.subarray(1)
}

/** A BIT STRING as flags, bit 0 first (key usage). */
export function bitStringFlags(tlv: Tlv): boolean[] {
  const bytes = bitStringBytes(tlv)
  const unused = tlv.value[0]!
  const total = bytes.length * 8 - (bytes.length ? unused : 0)
  const out: boolean[] = []
  for (let i = 0; i < total; i++) out.push(((bytes[i >> 3]! >> (7 - (i & 7))) & 1) === 1)
  return out
}

const TIME_RE = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d{1,9})?(Z|[+-]\d{4})$/

/** UTCTime or GeneralizedTime → Date (UTC). */
export function decodeTime(tlv: Tlv): Date {
  if (tlv.tag !== Tag.UTC_TIME && tlv.tag !== Tag.GENERALIZED_TIME)
    throw new Asn1Error('expected a time', tlv.start)
  if (tlv.value.length > 32) throw new Asn1Error('bad time', tlv.start)
  const text = Buffer.from(tlv.value).toString('latin1')
  const m = TIME_RE.exec(text)
  if (!m) throw new Asn1Error('bad time', tlv.start)
  const utc = tlv.tag === Tag.UTC_TIME
  if (utc !== (m[1]!.length === 2)) throw new Asn1Error('bad time', tlv.start)
  let year = Number(m[1])
  if (utc) year += year >= 50 ? 1900 : 2000
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    throw new Asn1Error('bad time', tlv.start)
  let ms = Date.UTC(year, mo - 1, d, h, mi, s)
  const zone = m[7]!
  if (zone !== 'Z') {
    const sign = zone[0] === '+' ? 1 : -1
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000
  }
  return new Date(ms)
}

export function decodeBoolean(tlv: Tlv): boolean {
  if (tlv.value.length !== 1) throw new Asn1Error('bad boolean', tlv.start)
  return tlv.value[0] !== 0
}

// ---------------------------------------------------------------------------------------------
// Writing (certificates and CRLs for the training CA and the tests)

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n]
  const out: number[] = []
  while (n > 0) {
    out.unshift(n & 0xff)
    n = Math.floor(n / 256)
  }
  return [0x80 | out.length, ...out]
}

export function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((a, p) => a + p.length, 0)
  const head = [tag, ...lengthBytes(len)]
  const out = new Uint8Array(head.length + len)
  out.set(head, 0)
  let p = head.length
  for (const part of parts) {
    out.set(part, p)
    p += part.length
  }
  return out
}

export const seq = (...parts: Uint8Array[]) => der(Tag.SEQUENCE, ...parts)
export const set = (...parts: Uint8Array[]) => der(Tag.SET, ...parts)
export const nullValue = () => der(Tag.NULL)
export const octets = (bytes: Uint8Array) => der(Tag.OCTET_STRING, bytes)
export const bitString = (bytes: Uint8Array, unused = 0) =>
  der(Tag.BIT_STRING, Uint8Array.of(unused), bytes)
export const bool = (v: boolean) => der(Tag.BOOLEAN, Uint8Array.of(v ? 0xff : 0))
export const explicit = (n: number, ...parts: Uint8Array[]) => der(0xa0 | n, ...parts)
export const utf8 = (s: string) => der(Tag.UTF8_STRING, new TextEncoder().encode(s))
export const printable = (s: string) => der(Tag.PRINTABLE_STRING, Buffer.from(s, 'latin1'))
export const ia5 = (s: string) => der(Tag.IA5_STRING, Buffer.from(s, 'latin1'))

export function bmp(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2)
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) >> 8
    out[2 * i + 1] = s.charCodeAt(i) & 0xff
  }
  return der(Tag.BMP_STRING, out)
}

/** A non-negative INTEGER from a bigint or big-endian magnitude bytes. */
export function integer(value: bigint | number | Uint8Array): Uint8Array {
  let bytes: Uint8Array
  if (value instanceof Uint8Array) {
    bytes = value
  } else {
    let hex = BigInt(value).toString(16)
    if (hex.length % 2) hex = '0' + hex
    bytes = Uint8Array.from(Buffer.from(hex, 'hex'))
  }
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  bytes = bytes.subarray(i)
  if (bytes.length === 0) bytes = Uint8Array.of(0)
  return bytes[0]! & 0x80 ? der(Tag.INTEGER, Uint8Array.of(0), bytes) : der(Tag.INTEGER, bytes)
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID ${dotted}`)
    return Number(a)
  })
  if (arcs.length < 2) throw new RangeError(`bad OID ${dotted}`)
  const body: number[] = []
  const push = (n: number) => {
    const chunk: number[] = [n & 0x7f]
    n = Math.floor(n / 128)
    while (n > 0) {
      chunk.unshift((n & 0x7f) | 0x80)
      n = Math.floor(n / 128)
    }
    body.push(...chunk)
  }
  push(arcs[0]! * 40 + arcs[1]!)
  for (const a of arcs.slice(2)) push(a)
  return der(Tag.OID, Uint8Array.from(body))
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear()
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`
  return y >= 1950 && y < 2050
    ? der(Tag.UTC_TIME, Buffer.from(pad(y % 100) + rest, 'latin1'))
    : der(Tag.GENERALIZED_TIME, Buffer.from(pad(y, 4) + rest, 'latin1'))
}
