/** X.500 distinguished names: read, compare, show, and write (for the training CA). */
import {
  Asn1Error,
  bmp,
  children,
  decodeOid,
  der,
  expectTag,
  oid,
  printable,
  seq,
  set,
  Tag,
  utf8,
  type Tlv,
} from './asn1'
import { ATTRIBUTE_NAMES, attributeOid } from './oids'
import { cleanText, decodeString } from './strings'

export interface NameAttribute {
  readonly oid: string
  /** `CN`, `O`, … or the dotted OID when the attribute has no short name. */
  readonly type: string
  readonly value: string
}

export interface DistinguishedName {
  readonly attributes: readonly NameAttribute[]
  /** The encoded name as it appears in the certificate. */
  readonly der: Uint8Array
}

const MAX_ATTRIBUTES = 64

export function parseName(tlv: Tlv): DistinguishedName {
  expectTag(tlv, Tag.SEQUENCE, 'name')
  const attributes: NameAttribute[] = []
  for (const rdn of children(tlv, MAX_ATTRIBUTES)) {
    expectTag(rdn, Tag.SET, 'relative distinguished name')
    for (const atv of children(rdn, MAX_ATTRIBUTES)) {
      const [typeTlv, valueTlv] = children(expectTag(atv, Tag.SEQUENCE, 'attribute'), 2)
      const type = decodeOid(expectTag(typeTlv, Tag.OID, 'attribute type'))
      if (!valueTlv) throw new Asn1Error('attribute without a value', atv.start)
      const value = decodeString(valueTlv)
      if (value === undefined) continue // a non-string attribute: nothing a clerk can read
      attributes.push({ oid: type, type: ATTRIBUTE_NAMES[type] ?? type, value: cleanText(value) })
      if (attributes.length > MAX_ATTRIBUTES) throw new Asn1Error('too many attributes', atv.start)
    }
  }
  return { attributes, der: tlv.raw }
}

/** Values of one attribute (by short name or OID), in order. */
export function nameValues(name: DistinguishedName, typeOrOid: string): string[] {
  const target = attributeOid(typeOrOid) ?? typeOrOid
  return name.attributes.filter((a) => a.oid === target).map((a) => a.value)
}

function escapeValue(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1')
}

/** `C=CN, O=…, CN=…` in the certificate's own order. */
export function formatName(name: DistinguishedName): string {
  return name.attributes.map((a) => `${a.type}=${escapeValue(a.value)}`).join(', ')
}

/**
 * A comparison key for issuer/subject matching (RFC 5280 §7.1 in spirit): attribute types and
 * values, whitespace collapsed and case folded, independent of the string type used to encode them.
 */
export function nameKey(name: DistinguishedName): string {
  return name.attributes
    .map((a) => `${a.oid}=${a.value.replace(/\s+/g, ' ').trim().toLowerCase()}`)
    .join('|')
}

export function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  return nameKey(a) === nameKey(b)
}

// ---------------------------------------------------------------------------------------------
// Writing

export type NameEncoding = 'utf8' | 'bmp' | 'printable'

/** `[type, value]`, `[type, value, encoding]`, or a raw string element `[type, {tag, bytes}]`. */
export type NameSpecEntry =
  | readonly [string, string]
  | readonly [string, string, NameEncoding]
  | readonly [string, { readonly tag: number; readonly bytes: Uint8Array }]

export function encodeName(entries: readonly NameSpecEntry[]): Uint8Array {
  return seq(
    ...entries.map((entry) => {
      const [type, value] = entry
      const id = attributeOid(type)
      if (!id) throw new RangeError(`unknown attribute ${type}`)
      let encoded: Uint8Array
      if (typeof value !== 'string') encoded = der(value.tag, value.bytes)
      else {
        const encoding = entry[2] ?? (id === '2.5.4.6' ? 'printable' : 'utf8')
        encoded =
          encoding === 'bmp'
            ? bmp(value)
            : encoding === 'printable'
              ? printable(value)
              : utf8(value)
      }
      return set(seq(oid(id), encoded))
    }),
  )
}
