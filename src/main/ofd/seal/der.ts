/**
 * DER for the seal structures (GB/T 38540, GM/T 0031).
 *
 * Reading is strict, and its own: indefinite and non-minimal lengths, lengths past the data, high
 * tag numbers and trailing bytes are refused, so a malformed signed value is an error at the byte
 * that is wrong, never a misread field, and the reason is in Chinese (OFD_ASN1_MALFORMED shows it
 * to the clerk). The pki domain's reader tolerates the non-minimal lengths some CA software writes
 * and explains in English for the log. Every TLV keeps its raw bytes: signatures are verified over
 * what was signed, not over a re-encoding.
 *
 * Writing is the pki domain's DER writer, with the seal standards' own rules for times and strings.
 */
import { CounterError } from '../../../shared/errors'
import { asn1 } from '../../pki'

export class DerError extends Error {}

export interface Tlv {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  readonly tag: number
  readonly constructed: boolean
  /** The contents. */
  readonly value: Uint8Array
  /** The whole encoding, header included. */
  readonly raw: Uint8Array
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const

/** Reads one TLV at `offset`; `end` bounds it. */
export function readTlv(data: Uint8Array, offset = 0, end = data.length): Tlv & { next: number } {
  if (offset + 2 > end) throw new DerError('数据截断')
  const tag = data[offset]!
  if ((tag & 0x1f) === 0x1f) throw new DerError('不支持的高位标签')
  let p = offset + 1
  const first = data[p++]!
  let length: number
  if (first < 0x80) length = first
  else if (first === 0x80) throw new DerError('不定长编码')
  else {
    const n = first & 0x7f
    if (n > 4) throw new DerError('长度过大')
    if (p + n > end) throw new DerError('长度字段截断')
    if (data[p] === 0) throw new DerError('长度编码不是最短形式')
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + data[p++]!
    if (length < 0x80) throw new DerError('长度编码不是最短形式')
  }
  if (p + length > end) throw new DerError('内容超出数据范围')
  return {
    tag,
    constructed: (tag & 0x20) !== 0,
    value: data.subarray(p, p + length),
    raw: data.subarray(offset, p + length),
    next: p + length,
  }
}

/** Exactly one TLV spanning all of `data`. */
export function decode(data: Uint8Array): Tlv {
  const t = readTlv(data)
  if (t.next !== data.length) throw new DerError('结构之后有多余数据')
  return t
}

/** An element a structure cut short may not have: missing, it is a DerError naming `what`. */
export function need(t: Tlv | undefined, what: string): Tlv {
  if (!t) throw new DerError(`缺少${what}`)
  return t
}

/** The elements of a constructed TLV (SEQUENCE, SET, [n] EXPLICIT), which must be present. */
export function items(element: Tlv | undefined, expectTag?: number, what = '结构'): Tlv[] {
  const t = need(element, what)
  if (expectTag !== undefined && t.tag !== expectTag)
    throw new DerError(`标签应为 ${hex(expectTag)}，实为 ${hex(t.tag)}`)
  if (!t.constructed) throw new DerError('应为构造类型')
  const out: Tlv[] = []
  let p = 0
  while (p < t.value.length) {
    const c = readTlv(t.value, p)
    out.push(c)
    p = c.next
    if (out.length > 10_000) throw new DerError('元素过多')
  }
  return out
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`缺少${what}`)
  if (t.tag !== tag) throw new DerError(`${what}的类型错误（${hex(t.tag)}）`)
  return t
}

export function asInteger(t: Tlv | undefined, what = '整数'): bigint {
  const v = expect(t, TAG.INTEGER, what).value
  if (v.length === 0) throw new DerError(`${what}为空`)
  if (v.length > 1 && ((v[0] === 0 && !(v[1]! & 0x80)) || (v[0] === 0xff && v[1]! & 0x80)))
    throw new DerError(`${what}编码不是最短形式`)
  if (v.length > 64) throw new DerError(`${what}过大`)
  let n = 0n
  for (const b of v) n = (n << 8n) | BigInt(b)
  if (v[0]! & 0x80) n -= 1n << BigInt(v.length * 8)
  return n
}

export function asSmallInt(t: Tlv | undefined, what = '整数'): number {
  const n = asInteger(t, what)
  if (n < -1_000_000_000n || n > 1_000_000_000n) throw new DerError(`${what}超出范围`)
  return Number(n)
}

export function asOid(t: Tlv | undefined, what = '对象标识'): string {
  const v = expect(t, TAG.OID, what).value
  if (v.length === 0 || v.length > 64) throw new DerError(`${what}长度无效`)
  const parts: number[] = []
  let acc = 0
  let started = false
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!
    if (!started && b === 0x80) throw new DerError(`${what}编码不是最短形式`)
    started = true
    acc = acc * 128 + (b & 0x7f)
    if (acc > Number.MAX_SAFE_INTEGER) throw new DerError(`${what}分量过大`)
    if (!(b & 0x80)) {
      parts.push(acc)
      acc = 0
      started = false
    } else if (i === v.length - 1) throw new DerError(`${what}截断`)
  }
  const first = parts.shift()!
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
  return [...head, ...parts].join('.')
}

export function asOctets(t: Tlv | undefined, what = '八位组串'): Uint8Array {
  return expect(t, TAG.OCTET_STRING, what).value
}

/** A BIT STRING's bytes; only whole bytes (unused bits 0) are accepted. */
export function asBits(t: Tlv | undefined, what = '位串'): Uint8Array {
  const v = expect(t, TAG.BIT_STRING, what).value
  if (v.length === 0) throw new DerError(`${what}为空`)
  if (v[0] !== 0) throw new DerError(`${what}含有未用位`)
  return v.subarray(1)
}

const latin1 = new TextDecoder('latin1')
const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf16 = new TextDecoder('utf-16be', { fatal: true })

export function asString(t: Tlv | undefined, what = '字符串'): string {
  if (!t) throw new DerError(`缺少${what}`)
  try {
    switch (t.tag) {
      case TAG.UTF8String:
        return utf8.decode(t.value)
      case TAG.PrintableString:
      case TAG.IA5String:
      case TAG.T61String:
        for (const b of t.value) if (b > 0x7f) return utf8.decode(t.value)
        return latin1.decode(t.value)
      case TAG.BMPString:
        return utf16.decode(t.value)
      default:
        throw new DerError(`${what}的类型错误（${hex(t.tag)}）`)
    }
  } catch (error) {
    if (error instanceof DerError) throw error
    throw new DerError(`${what}编码错误`)
  }
}

/** UTCTime or GeneralizedTime → Date (UTC; a missing zone is read as UTC). */
export function asTime(t: Tlv | undefined, what = '时间'): Date {
  if (!t) throw new DerError(`缺少${what}`)
  if (t.tag !== TAG.UTCTime && t.tag !== TAG.GeneralizedTime)
    throw new DerError(`${what}的类型错误（${hex(t.tag)}）`)
  const d = parseTimeString(latin1.decode(t.value), t.tag === TAG.UTCTime)
  if (!d) throw new DerError(`${what}格式错误`)
  return d
}

/** `YYMMDDhhmm[ss]Z`, `YYYYMMDDhhmmss[.fff]Z`, with `Z` or `±hhmm`. */
export function parseTimeString(s: string, utc: boolean): Date | undefined {
  const m = (
    utc
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{4})?$/
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{4})?$/
  ).exec(s.trim())
  if (!m) return undefined
  let year = Number(m[1])
  if (utc) year += year < 50 ? 2000 : 1900
  const [mo, d, h, mi, sec] = [
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  ]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined
  let ms = Date.UTC(year, mo - 1, d, h, mi, sec)
  const zone = m[7]
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000
  }
  return new Date(ms)
}

/** Runs a DER parse of a seal structure, turning its failures into the domain's typed error. */
export function derGuard<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof DerError)
      throw new CounterError('OFD_ASN1_MALFORMED', { params: { reason: error.message } })
    throw error
  }
}

// ——— writing: the pki domain's DER writer, with the seal standards' rules for times and strings ———

const ascii = (s: string) => new TextEncoder().encode(s)

export const der = {
  seq: asn1.seq,
  explicit: (n: number, inner: Uint8Array) => asn1.explicit(n, inner),
  /** A non-negative INTEGER (versions, sizes, types: nothing here is negative). */
  int(v: bigint | number): Uint8Array {
    if (BigInt(v) < 0n) throw new DerError('不支持负整数')
    return asn1.integer(v)
  },
  oid: asn1.oid,
  octets: asn1.octets,
  bits: (v: Uint8Array) => asn1.bitString(v),
  utf8: asn1.utf8,
  ia5(s: string): Uint8Array {
    if ([...s].some((ch) => ch.charCodeAt(0) > 0x7f))
      throw new DerError('IA5String 只能包含 ASCII 字符')
    return asn1.ia5(s)
  },
  /** GB/T 38540 writes GeneralizedTime and GM/T 0031 UTCTime, whatever the year (not RFC 5280's rule). */
  generalizedTime: (d: Date) => asn1.der(TAG.GeneralizedTime, ascii(timeDigits(d, 4) + 'Z')),
  utcTime: (d: Date) => asn1.der(TAG.UTCTime, ascii(timeDigits(d, 2) + 'Z')),
}

function timeDigits(d: Date, yearDigits: 2 | 4): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const year = yearDigits === 4 ? p(d.getUTCFullYear(), 4) : p(d.getUTCFullYear() % 100)
  return `${year}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
}
