/**
 * What sits in a read response's photo block: the chip's 1024-byte WLT, or — from readers that
 * decode it themselves — a BMP, JPEG or PNG. Told apart by magic bytes, never by the reader's word.
 */
export type PhotoFormat = 'wlt' | 'bmp' | 'jpeg' | 'png' | 'unknown'

/** The chip's compressed photo is always this long. */
export const WLT_LENGTH = 1024
/** The decoded photo: 102 × 126 pixels, 24-bit BGR. */
export const PHOTO_WIDTH = 102
export const PHOTO_HEIGHT = 126

export function photoFormat(bytes: Uint8Array): PhotoFormat {
  if (bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp'
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg'
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47
  )
    return 'png'
  if (bytes.length === WLT_LENGTH) return 'wlt'
  return 'unknown'
}

export const IMAGE_MIME: Readonly<Record<'bmp' | 'jpeg' | 'png', string>> = {
  bmp: 'image/bmp',
  jpeg: 'image/jpeg',
  png: 'image/png',
}

/** A `data:` URL the renderer can show (the CSP allows `img-src data:`). */
export function imageDataUrl(format: 'bmp' | 'jpeg' | 'png', bytes: Uint8Array): string {
  return `data:${IMAGE_MIME[format]};base64,${Buffer.from(bytes).toString('base64')}`
}
