/**
 * The decoded ID photo as a Windows bitmap: 102 × 126, 24-bit, rows bottom-up and padded to four
 * bytes. Vendor decoders hand back either such a file or its bare pixels (38 556 bytes of BGR,
 * bottom-up, unpadded); both become a checked BMP here before anything is shown.
 */
import { CounterError } from '../../../../shared/errors'
import { PHOTO_HEIGHT, PHOTO_WIDTH } from './format'

const FILE_HEADER = 14
const INFO_HEADER = 40
/** Bare pixels, as the reference gives them: 102 × 126 × 3. */
export const RAW_PHOTO_LENGTH = PHOTO_WIDTH * PHOTO_HEIGHT * 3

export interface BmpInfo {
  readonly width: number
  readonly height: number
  readonly bitsPerPixel: number
  readonly pixelOffset: number
  readonly rowStride: number
  /** True when rows are stored bottom-up (a positive height). */
  readonly bottomUp: boolean
}

function invalid(reason: string): CounterError {
  return new CounterError('IDCARD_PHOTO_INVALID', { params: { reason } })
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8)
const u32 = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
const i32 = (b: Uint8Array, at: number) => u32(b, at) | 0

/** Reads and checks a BMP header: uncompressed 24-bit, and every pixel row inside the buffer. */
export function readBmpInfo(bytes: Uint8Array): BmpInfo {
  if (bytes.length < FILE_HEADER + INFO_HEADER || bytes[0] !== 0x42 || bytes[1] !== 0x4d)
    throw invalid('not a BMP')
  const pixelOffset = u32(bytes, 10)
  const headerSize = u32(bytes, 14)
  if (headerSize < INFO_HEADER) throw invalid('BMP header too small')
  const width = i32(bytes, 18)
  const rawHeight = i32(bytes, 22)
  const bitsPerPixel = u16(bytes, 28)
  const compression = u32(bytes, 30)
  if (bitsPerPixel !== 24 || compression !== 0) throw invalid(`BMP ${bitsPerPixel}-bit`)
  if (width <= 0 || width > 2048 || rawHeight === 0 || Math.abs(rawHeight) > 2048)
    throw invalid('BMP size')
  const height = Math.abs(rawHeight)
  const rowStride = Math.ceil((width * 3) / 4) * 4
  if (pixelOffset < FILE_HEADER + headerSize || pixelOffset + rowStride * height > bytes.length)
    throw invalid('BMP pixels out of range')
  return { width, height, bitsPerPixel, pixelOffset, rowStride, bottomUp: rawHeight > 0 }
}

/** Writes a 24-bit BMP from bottom-up BGR rows (`stride` bytes each in `pixels`). */
export function encodeBmp(
  width: number,
  height: number,
  pixels: Uint8Array,
  stride: number = width * 3,
): Uint8Array {
  const rowStride = Math.ceil((width * 3) / 4) * 4
  const size = FILE_HEADER + INFO_HEADER + rowStride * height
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  out[0] = 0x42
  out[1] = 0x4d
  view.setUint32(2, size, true)
  view.setUint32(10, FILE_HEADER + INFO_HEADER, true)
  view.setUint32(14, INFO_HEADER, true)
  view.setInt32(18, width, true)
  view.setInt32(22, height, true)
  view.setUint16(26, 1, true)
  view.setUint16(28, 24, true)
  view.setUint32(34, rowStride * height, true)
  view.setInt32(38, 3780, true) // 96 dpi
  view.setInt32(42, 3780, true)
  for (let y = 0; y < height; y++) {
    out.set(
      pixels.subarray(y * stride, y * stride + width * 3),
      FILE_HEADER + INFO_HEADER + y * rowStride,
    )
  }
  return out
}

/**
 * What a vendor decoder returned, as a checked 102 × 126 BMP: a BMP file is checked and cut to
 * its declared size; bare pixels are wrapped. Anything else is an error, never a broken image.
 */
export function normaliseDecodedPhoto(output: Uint8Array): Uint8Array {
  if (output[0] === 0x42 && output[1] === 0x4d) {
    const info = readBmpInfo(output)
    if (info.width !== PHOTO_WIDTH || info.height !== PHOTO_HEIGHT)
      throw invalid(`photo is ${info.width}×${info.height}`)
    return output.slice(0, info.pixelOffset + info.rowStride * info.height)
  }
  if (output.length < RAW_PHOTO_LENGTH) throw invalid(`${output.length} bytes`)
  // A decoder that failed without saying so leaves the buffer as it was given: all zeros.
  if (output.subarray(0, RAW_PHOTO_LENGTH).every((b) => b === 0)) throw invalid('empty')
  return encodeBmp(PHOTO_WIDTH, PHOTO_HEIGHT, output.subarray(0, RAW_PHOTO_LENGTH))
}
