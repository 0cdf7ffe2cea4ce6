/**
 * Directory strings as Chinese CAs write them. Besides the standard UTF8String and BMPString,
 * certificates in the field carry GBK bytes inside PrintableString, TeletexString or even
 * UTF8String; the decoder accepts each string type's proper encoding first and falls back to GBK
 * (GB 18030, its superset) before giving up to Latin-1, so a name is never lost to mojibake.
 */
import { TextDecoder } from 'node:util'
import { Tag, type Tlv } from './asn1'

const utf8Strict = new TextDecoder('utf-8', { fatal: true })
const gbStrict = new TextDecoder('gb18030', { fatal: true })

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false
  return true
}

function tryDecode(decoder: TextDecoder, bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined
  }
}

function utf16be(bytes: Uint8Array): string | undefined {
  if (bytes.length % 2) return undefined
  let s = ''
  for (let i = 0; i < bytes.length; i += 2)
    s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!)
  return s
}

function utf32be(bytes: Uint8Array): string | undefined {
  if (bytes.length % 4) return undefined
  let s = ''
  for (let i = 0; i < bytes.length; i += 4) {
    const cp =
      ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0
    if (cp > 0x10ffff) return undefined
    s += String.fromCodePoint(cp)
  }
  return s
}

/** Bytes of unknown encoding: UTF-8, then GB 18030, then Latin-1 (which never fails). */
export function decodeLoose(bytes: Uint8Array): string {
  if (isAscii(bytes)) return Buffer.from(bytes).toString('latin1')
  return (
    tryDecode(utf8Strict, bytes) ??
    tryDecode(gbStrict, bytes) ??
    Buffer.from(bytes).toString('latin1')
  )
}

export const STRING_TAGS: ReadonlySet<number> = new Set([
  Tag.UTF8_STRING,
  Tag.NUMERIC_STRING,
  Tag.PRINTABLE_STRING,
  Tag.T61_STRING,
  Tag.IA5_STRING,
  Tag.VISIBLE_STRING,
  Tag.UNIVERSAL_STRING,
  Tag.BMP_STRING,
])

/** Decodes any ASN.1 character string; undefined when the element is not one. */
export function decodeString(tlv: Tlv): string | undefined {
  const v = tlv.value
  switch (tlv.tag) {
    case Tag.BMP_STRING:
      return utf16be(v) ?? decodeLoose(v)
    case Tag.UNIVERSAL_STRING:
      return utf32be(v) ?? decodeLoose(v)
    case Tag.UTF8_STRING:
    case Tag.NUMERIC_STRING:
    case Tag.PRINTABLE_STRING:
    case Tag.T61_STRING:
    case Tag.IA5_STRING:
    case Tag.VISIBLE_STRING:
      return decodeLoose(v)
    default:
      return undefined
  }
}

/** Control characters and padding that some encoders leave in names. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, '').trim()
}
