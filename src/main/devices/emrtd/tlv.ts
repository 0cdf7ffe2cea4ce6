/**
 * BER-TLV as ICAO 9303 and ISO 7816-4 use it: tags of up to three bytes, definite lengths of up
 * to four bytes. Everything that reads chip bytes starts here, so every malformation becomes a
 * typed error and no length is trusted beyond the buffer it came in.
 */
import { CounterError } from '../../../shared/errors'
import { concatBytes } from '../../crypto'

export interface Tlv {
  readonly tag: number
  readonly constructed: boolean
  readonly value: Uint8Array
  /** The whole encoding, header included (what a hash or a signature covers). */
  readonly raw: Uint8Array
}

export function tlvError(reason: string): CounterError {
  return new CounterError('EMRTD_TLV_MALFORMED', { params: { reason } })
}

export interface TlvHeader {
  readonly tag: number
  readonly constructed: boolean
  readonly headerLength: number
  readonly length: number
}

/**
 * Reads a tag and length at `offset`. Does not require the value to be present: file reading
 * uses this on the first bytes of a file to learn its full length.
 */
export function readTlvHeader(data: Uint8Array, offset = 0): TlvHeader {
  let p = offset
  const first = data[p++]
  if (first === undefined) throw tlvError('truncated tag')
  if (first === 0x00 || first === 0xff) throw tlvError('padding byte where a tag is expected')
  let tag = first
  if ((first & 0x1f) === 0x1f) {
    let more = true
    let n = 0
    while (more) {
      const b = data[p++]
      if (b === undefined) throw tlvError('truncated tag')
      if (++n > 2) throw tlvError('tag longer than three bytes')
      tag = tag * 256 + b
      more = (b & 0x80) !== 0
    }
  }
  const l0 = data[p++]
  if (l0 === undefined) throw tlvError('truncated length')
  let length: number
  if (l0 < 0x80) length = l0
  else if (l0 === 0x80) throw tlvError('indefinite length')
  else {
    const n = l0 & 0x7f
    if (n > 4) throw tlvError('length of more than four bytes')
    length = 0
    for (let i = 0; i < n; i++) {
      const b = data[p++]
      if (b === undefined) throw tlvError('truncated length')
      length = length * 256 + b
    }
  }
  return { tag, constructed: (first & 0x20) !== 0, headerLength: p - offset, length }
}

/** One TLV at `offset`; `next` is the offset after it. */
export function readTlv(data: Uint8Array, offset = 0): { tlv: Tlv; next: number } {
  const h = readTlvHeader(data, offset)
  const start = offset + h.headerLength
  const end = start + h.length
  if (end > data.length) throw tlvError(`value of tag ${h.tag.toString(16)} runs past the data`)
  return {
    tlv: {
      tag: h.tag,
      constructed: h.constructed,
      value: data.subarray(start, end),
      raw: data.subarray(offset, end),
    },
    next: end,
  }
}

/** Exactly one TLV filling the whole buffer. */
export function parseTlv(data: Uint8Array): Tlv {
  const { tlv, next } = readTlv(data, 0)
  if (next !== data.length) throw tlvError('trailing bytes after the object')
  return tlv
}

/** A run of TLVs filling the buffer (the value of a constructed object). */
export function parseTlvList(data: Uint8Array, maxItems = 4096): Tlv[] {
  const out: Tlv[] = []
  let p = 0
  while (p < data.length) {
    if (out.length >= maxItems) throw tlvError('too many objects')
    const { tlv, next } = readTlv(data, p)
    out.push(tlv)
    p = next
  }
  return out
}

export function tagBytes(tag: number): Uint8Array {
  if (tag < 0 || tag > 0xffffff) throw new RangeError('tag')
  if (tag > 0xffff) return Uint8Array.of(tag >> 16, (tag >> 8) & 0xff, tag & 0xff)
  if (tag > 0xff) return Uint8Array.of(tag >> 8, tag & 0xff)
  return Uint8Array.of(tag)
}

export function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length)
  if (length < 0x100) return Uint8Array.of(0x81, length)
  if (length < 0x10000) return Uint8Array.of(0x82, length >> 8, length & 0xff)
  if (length < 0x1000000)
    return Uint8Array.of(0x83, length >> 16, (length >> 8) & 0xff, length & 0xff)
  throw new RangeError('length')
}

export function encodeTlv(tag: number, ...value: readonly Uint8Array[]): Uint8Array {
  const v = value.length === 1 ? value[0]! : concatBytes(...value)
  return concatBytes(tagBytes(tag), lengthBytes(v.length), v)
}
