/**
 * A strict DER reader for what the chip and the PKI hand us: certificates, CMS SignedData, master
 * lists, SecurityInfos. Built on the TLV reader with a nesting limit, so hostile input costs
 * bounded time and memory and fails with EMRTD_ASN1_MALFORMED.
 */
import { CounterError } from '../../../shared/errors'
import { readTlv, type Tlv } from './tlv'

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const

const MAX_DEPTH = 40

export function asn1Error(reason: string): CounterError {
  return new CounterError('EMRTD_ASN1_MALFORMED', { params: { reason } })
}

function wrap<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof CounterError && error.code === 'EMRTD_TLV_MALFORMED')
      throw asn1Error(String(error.params?.reason ?? 'tlv'))
    throw error
  }
}

export class Asn1 {
  private kids: Asn1[] | undefined

  private constructor(
    readonly tlv: Tlv,
    private readonly depth: number,
  ) {}

  /** Exactly one DER object filling `bytes`. */
  static parse(bytes: Uint8Array): Asn1 {
    return wrap(() => {
      const { tlv, next } = readTlv(bytes, 0)
      if (next !== bytes.length) throw asn1Error('trailing bytes')
      return new Asn1(tlv, 0)
    })
  }

  /** A DER object at the start of `bytes`, ignoring what follows (files padded by the chip). */
  static parsePrefix(bytes: Uint8Array): Asn1 {
    return wrap(() => new Asn1(readTlv(bytes, 0).tlv, 0))
  }

  get tag(): number {
    return this.tlv.tag
  }
  get value(): Uint8Array {
    return this.tlv.value
  }
  get raw(): Uint8Array {
    return this.tlv.raw
  }
  get constructed(): boolean {
    return this.tlv.constructed
  }

  children(): Asn1[] {
    if (this.kids) return this.kids
    if (!this.tlv.constructed) throw asn1Error(`tag ${this.tag.toString(16)} is not constructed`)
    if (this.depth >= MAX_DEPTH) throw asn1Error('nested too deeply')
    const out: Asn1[] = []
    wrap(() => {
      let p = 0
      const v = this.tlv.value
      while (p < v.length) {
        if (out.length > 100_000) throw asn1Error('too many elements')
        const { tlv, next } = readTlv(v, p)
        out.push(new Asn1(tlv, this.depth + 1))
        p = next
      }
    })
    this.kids = out
    return out
  }

  expect(tag: number, what: string): this {
    if (this.tag !== tag)
      throw asn1Error(`${what}: expected tag ${tag.toString(16)}, found ${this.tag.toString(16)}`)
    return this
  }

  /** The i-th child, which must exist. */
  at(i: number, what: string): Asn1 {
    const c = this.children()[i]
    if (!c) throw asn1Error(`${what}: element ${i} missing`)
    return c
  }

  /** The child with this tag, if any (context-tagged optional fields). */
  find(tag: number): Asn1 | undefined {
    return this.children().find((c) => c.tag === tag)
  }

  /** Reparses this object's value as one DER object (EXPLICIT tags, OCTET STRING-wrapped content). */
  inner(what: string): Asn1 {
    const v = this.value
    return wrap(() => {
      const { tlv, next } = readTlv(v, 0)
      if (next !== v.length) throw asn1Error(`${what}: trailing bytes`)
      return new Asn1(tlv, this.depth + 1)
    })
  }

  oid(what = 'OID'): string {
    this.expect(TAG.OID, what)
    return decodeOid(this.value)
  }

  bigint(what = 'INTEGER'): bigint {
    this.expect(TAG.INTEGER, what)
    const v = this.value
    if (v.length === 0) throw asn1Error(`${what}: empty integer`)
    let n = 0n
    for (const b of v) n = (n << 8n) | BigInt(b)
    if (v[0]! & 0x80) n -= 1n << BigInt(8 * v.length)
    return n
  }

  /** A small non-negative INTEGER (versions, counts, key ids). */
  int(what = 'INTEGER'): number {
    const n = this.bigint(what)
    if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw asn1Error(`${what}: out of range`)
    return Number(n)
  }

  /** Unsigned big-endian magnitude of an INTEGER (moduli, EC parameters). */
  unsigned(what = 'INTEGER'): Uint8Array {
    this.expect(TAG.INTEGER, what)
    const v = this.value
    if (v.length === 0) throw asn1Error(`${what}: empty integer`)
    if (v[0]! & 0x80) throw asn1Error(`${what}: negative`)
    return v[0] === 0 && v.length > 1 ? v.subarray(1) : v
  }

  octets(what = 'OCTET STRING'): Uint8Array {
    return this.expect(TAG.OCTET_STRING, what).value
  }

  /** A BIT STRING's bytes; only whole-byte strings (keys, signatures) are accepted. */
  bits(what = 'BIT STRING'): Uint8Array {
    this.expect(TAG.BIT_STRING, what)
    const v = this.value
    if (v.length === 0) throw asn1Error(`${what}: empty`)
    if (v[0] !== 0) throw asn1Error(`${what}: unused bits`)
    return v.subarray(1)
  }

  boolean(what = 'BOOLEAN'): boolean {
    this.expect(TAG.BOOLEAN, what)
    if (this.value.length !== 1) throw asn1Error(`${what}: bad length`)
    return this.value[0] !== 0
  }

  /** Any of the string types certificates use for names. */
  string(what = 'string'): string {
    const v = this.value
    switch (this.tag) {
      case TAG.UTF8_STRING:
        return new TextDecoder('utf-8', { fatal: false }).decode(v)
      case TAG.BMP_STRING: {
        let s = ''
        for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode((v[i]! << 8) | v[i + 1]!)
        return s
      }
      case TAG.PRINTABLE_STRING:
      case TAG.IA5_STRING:
      case TAG.T61_STRING:
      case 0x12: // NumericString
      case 0x1a: // VisibleString
        return String.fromCharCode(...v.subarray(0, 4096))
      default:
        throw asn1Error(`${what}: not a string (tag ${this.tag.toString(16)})`)
    }
  }

  time(what = 'time'): Date {
    const s = String.fromCharCode(...this.value.subarray(0, 32))
    let m: RegExpExecArray | null
    if (this.tag === TAG.UTC_TIME) {
      m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
      if (m) {
        const yy = Number(m[1])
        return utc(yy < 50 ? 2000 + yy : 1900 + yy, m, what)
      }
    } else if (this.tag === TAG.GENERALIZED_TIME) {
      m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s)
      if (m) return utc(Number(m[1]), m, what)
    }
    throw asn1Error(`${what}: bad time`)
  }
}

function utc(year: number, m: RegExpExecArray, what: string): Date {
  const d = new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)),
  )
  if (Number.isNaN(d.getTime())) throw asn1Error(`${what}: bad time`)
  return d
}

export function decodeOid(v: Uint8Array): string {
  if (v.length === 0 || v.length > 64) throw asn1Error('OID length')
  const arcs: number[] = []
  let n = 0
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!
    if (n === 0 && b === 0x80) throw asn1Error('OID not minimal')
    n = n * 128 + (b & 0x7f)
    if (n > Number.MAX_SAFE_INTEGER / 256) throw asn1Error('OID arc too large')
    if (!(b & 0x80)) {
      if (arcs.length === 0) {
        const first = n < 40 ? 0 : n < 80 ? 1 : 2
        arcs.push(first, n - first * 40)
      } else arcs.push(n)
      n = 0
    } else if (i === v.length - 1) throw asn1Error('OID truncated')
  }
  return arcs.join('.')
}

export function encodeOidValue(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number)
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0))
    throw new RangeError(`bad OID ${oid}`)
  const out: number[] = []
  const push = (n: number) => {
    const bytes = [n & 0x7f]
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128))
      bytes.unshift((v & 0x7f) | 0x80)
    out.push(...bytes)
  }
  push(arcs[0]! * 40 + arcs[1]!)
  for (const a of arcs.slice(2)) push(a)
  return Uint8Array.from(out)
}
