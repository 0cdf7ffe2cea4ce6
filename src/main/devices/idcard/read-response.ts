/** The data part of the read responses: length words, then text, photo and fingerprint. */
import { CounterError } from '../../../shared/errors'
import { photoFormat, type PhotoFormat } from './photo/format'

export interface CardReadData {
  readonly text: Uint8Array
  /** The 1024-byte WLT (or a BMP/JPEG from readers that decode themselves). */
  readonly photo: Uint8Array
  readonly photoFormat: PhotoFormat
  /** Present only when read with `30 10` and the card holds fingerprints (512 bytes each). */
  readonly fingerprint?: Uint8Array
}

/** The appended-address block of `30 03`: 70 bytes of UTF-16LE, space-padded. */
export const APPENDED_ADDRESS_LENGTH = 70

function unexpected(detail: string): CounterError {
  return new CounterError('IDCARD_RESPONSE_UNEXPECTED', { detail })
}

const u16be = (data: Uint8Array, at: number) => (data[at]! << 8) | data[at + 1]!

/** `30 01` answers text length, photo length, text, photo. */
export function parseTextPhoto(data: Uint8Array): CardReadData {
  if (data.length < 4) throw unexpected(`read data ${data.length} bytes`)
  const textLen = u16be(data, 0)
  const photoLen = u16be(data, 2)
  if (4 + textLen + photoLen !== data.length)
    throw unexpected(`lengths ${textLen}+${photoLen} vs ${data.length - 4}`)
  const photo = data.slice(4 + textLen)
  return { text: data.slice(4, 4 + textLen), photo, photoFormat: photoFormat(photo) }
}

/** `30 10` adds a fingerprint length word and block. */
export function parseTextPhotoFingerprint(data: Uint8Array): CardReadData {
  if (data.length < 6) throw unexpected(`read data ${data.length} bytes`)
  const textLen = u16be(data, 0)
  const photoLen = u16be(data, 2)
  const fpLen = u16be(data, 4)
  if (6 + textLen + photoLen + fpLen !== data.length)
    throw unexpected(`lengths ${textLen}+${photoLen}+${fpLen} vs ${data.length - 6}`)
  const text = data.slice(6, 6 + textLen)
  const photo = data.slice(6 + textLen, 6 + textLen + photoLen)
  const base = { text, photo, photoFormat: photoFormat(photo) }
  return fpLen > 0 ? { ...base, fingerprint: data.slice(6 + textLen + photoLen) } : base
}

const utf16 = new TextDecoder('utf-16le', { fatal: true })

/** The newest appended address (`30 03`), or null when the block is blank. */
export function parseAppendedAddress(data: Uint8Array): string | null {
  if (data.length !== APPENDED_ADDRESS_LENGTH)
    throw unexpected(`appended address ${data.length} bytes`)
  let s: string
  try {
    s = utf16.decode(data)
  } catch {
    throw new CounterError('IDCARD_TEXT_INVALID', {
      params: { reason: 'appended address: UTF-16' },
    })
  }
  const trimmed = s.replace(/[\s\0]+$/u, '')
  return trimmed === '' ? null : trimmed
}
