/**
 * Images for the draw list. Painters get only PNG or JPEG (every painter, pdfkit included,
 * decodes those); BMP and JBIG2 are decoded here and re-encoded as PNG. Dimensions are read from
 * headers before anything is decoded, so an image claiming a billion pixels is refused, not
 * allocated.
 */
import { deflateSync } from 'node:zlib'
import type { RenderImage } from '../../../shared/domain'
import { CounterError } from '../../../shared/errors'
import { concatBytes } from '../../crypto'
import { crc32 } from '../package/crc32'
import { PixelBudget } from './budget'
import { decodeJbig2 } from './jbig2'

export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'gif' | 'tiff' | 'jbig2' | 'unknown'

export interface Bitmap {
  readonly width: number
  readonly height: number
  /** RGBA, 8 bits per channel, row-major, no padding. */
  readonly rgba: Uint8Array
}

export function sniffImage(b: Uint8Array): ImageFormat {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47)
    return 'png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp'
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38)
    return 'gif'
  if (
    b.length >= 4 &&
    ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) ||
      (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a))
  )
    return 'tiff'
  if (b.length >= 8 && b[0] === 0x97 && b[1] === 0x4a && b[2] === 0x42 && b[3] === 0x32)
    return 'jbig2'
  return 'unknown'
}

const corrupt = (reason: string) => new CounterError('OFD_IMAGE_CORRUPT', { params: { reason } })

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0)) throw corrupt('尺寸为零')
  if (width * height > maxPixels || width > 65535 || height > 65535)
    throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `图像 ${width}×${height}` } })
}

export function pngSize(b: Uint8Array): { width: number; height: number } {
  if (b.length < 24 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== 'IHDR')
    throw corrupt('PNG 头损坏')
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  return { width: v.getUint32(16), height: v.getUint32(20) }
}

export function jpegSize(b: Uint8Array): { width: number; height: number } {
  let i = 2
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) {
      i++
      continue
    }
    const marker = b[i + 1]!
    if (marker === 0xff) {
      i++
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2
      continue
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!
    if (len < 2) break
    const sof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (sof) {
      if (i + 9 > b.length) break
      return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! }
    }
    if (marker === 0xda) break
    i += 2 + len
  }
  throw corrupt('JPEG 缺少帧头')
}

/** BMP (BI_RGB and BI_BITFIELDS; 1, 4, 8, 16, 24 and 32 bits) to RGBA, taking its pixels from `budget`. */
export function decodeBmp(
  b: Uint8Array,
  maxPixels: number,
  budget = new PixelBudget(maxPixels),
): Bitmap {
  if (b.length < 26) throw corrupt('BMP 过短')
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const dataOffset = v.getUint32(10, true)
  const headerSize = v.getUint32(14, true)
  let width: number
  let height: number
  let bpp: number
  let compression = 0
  let paletteSize = 0
  if (headerSize === 12) {
    width = v.getUint16(18, true)
    height = v.getInt16(20, true)
    bpp = v.getUint16(24, true)
  } else {
    if (b.length < 54 || headerSize < 40) throw corrupt('BMP 头损坏')
    width = v.getInt32(18, true)
    height = v.getInt32(22, true)
    bpp = v.getUint16(28, true)
    compression = v.getUint32(30, true)
    paletteSize = v.getUint32(46, true)
  }
  const topDown = height < 0
  height = Math.abs(height)
  if (width <= 0) throw corrupt('BMP 宽度无效')
  checkPixels(width, height, maxPixels)
  if (compression !== 0 && compression !== 3 && compression !== 6)
    throw new CounterError('OFD_IMAGE_UNSUPPORTED', {
      params: { format: `BMP 压缩方式 ${compression}` },
    })
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw corrupt(`BMP 位深 ${bpp}`)
  budget.take(width * height, '解码的图像像素总量')

  // Channel masks: explicit for BITFIELDS, else the defaults of each depth.
  let masks: [number, number, number, number] =
    bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0]
  if ((compression === 3 || compression === 6) && headerSize >= 40) {
    const at = headerSize >= 52 ? 54 : 14 + headerSize
    if (at + 12 > b.length) throw corrupt('BMP 位域缺失')
    masks = [
      v.getUint32(at, true),
      v.getUint32(at + 4, true),
      v.getUint32(at + 8, true),
      headerSize >= 56 || compression === 6
        ? at + 16 <= b.length
          ? v.getUint32(at + 12, true)
          : 0
        : 0,
    ]
  }
  const palette: number[][] = []
  if (bpp <= 8) {
    const entry = headerSize === 12 ? 3 : 4
    const count = paletteSize || 1 << bpp
    const start = 14 + headerSize
    for (let k = 0; k < count && start + k * entry + 3 <= b.length; k++) {
      const p = start + k * entry
      palette.push([b[p + 2]!, b[p + 1]!, b[p]!])
    }
  }
  const stride = Math.floor((bpp * width + 31) / 32) * 4
  if (dataOffset + stride * height > b.length) throw corrupt('BMP 像素数据不完整')
  const rgba = new Uint8Array(width * height * 4)
  const channel = (px: number, mask: number): number => {
    if (!mask) return -1
    let shift = 0
    while (!((mask >>> shift) & 1)) shift++
    const max = mask >>> shift
    return Math.round((((px & mask) >>> shift) * 255) / max)
  }
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      let r = 0
      let g = 0
      let bl = 0
      let a = 255
      if (bpp <= 8) {
        const bitPos = x * bpp
        const byte = b[row + (bitPos >> 3)]!
        const idx = (byte >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1)
        const c = palette[idx] ?? [0, 0, 0]
        ;[r, g, bl] = c as [number, number, number]
      } else if (bpp === 24) {
        const p = row + x * 3
        bl = b[p]!
        g = b[p + 1]!
        r = b[p + 2]!
      } else {
        const px = bpp === 16 ? v.getUint16(row + x * 2, true) : v.getUint32(row + x * 4, true)
        r = channel(px, masks[0])
        g = channel(px, masks[1])
        bl = channel(px, masks[2])
        const alpha = channel(px, masks[3])
        a = alpha < 0 ? 255 : alpha
      }
      rgba[o] = r
      rgba[o + 1] = g
      rgba[o + 2] = bl
      rgba[o + 3] = a
    }
  }
  return { width, height, rgba }
}

/** RGBA → PNG (colour type 6, filter 0). */
export function encodePng(bitmap: Bitmap): Uint8Array {
  const { width, height, rgba } = bitmap
  const raw = new Uint8Array((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1)
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length)
    const v = new DataView(out.buffer)
    v.setUint32(0, data.length)
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
    out.set(data, 8)
    v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
    return out
  }
  const ihdr = new Uint8Array(13)
  const hv = new DataView(ihdr.buffer)
  hv.setUint32(0, width)
  hv.setUint32(4, height)
  ihdr.set([8, 6, 0, 0, 0], 8)
  return concatBytes(
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  )
}

export interface NormaliseOptions {
  readonly maxPixels: number
  /**
   * What the page may still decode (BMP and JBIG2 are decoded here; PNG and JPEG go to painters
   * as they are); by default one image's worth.
   */
  readonly budget?: PixelBudget
  /** The format the document declares (MultiMedia Format): bare JBIG2 streams have no signature. */
  readonly declared?: string
  /** Seal pictures on white: near-white pixels become transparent (BMP seals have no alpha). */
  readonly whiteToTransparent?: boolean
}

/** Any supported image → what painters take. Throws a typed error for anything else. */
export function normaliseImage(bytes: Uint8Array, options: NormaliseOptions): RenderImage {
  let format = sniffImage(bytes)
  if (format === 'unknown' && /^(jb2|jbig2)$/i.test(options.declared ?? '')) format = 'jbig2'
  const b64 = (b: Uint8Array) =>
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')
  if (format === 'png') {
    const { width, height } = pngSize(bytes)
    checkPixels(width, height, options.maxPixels)
    return { mime: 'image/png', data: b64(bytes), width, height }
  }
  if (format === 'jpeg') {
    const { width, height } = jpegSize(bytes)
    checkPixels(width, height, options.maxPixels)
    return { mime: 'image/jpeg', data: b64(bytes), width, height }
  }
  let bitmap: Bitmap
  if (format === 'bmp') bitmap = decodeBmp(bytes, options.maxPixels, options.budget)
  else if (format === 'jbig2') bitmap = decodeJbig2(bytes, options.maxPixels, options.budget)
  else throw new CounterError('OFD_IMAGE_UNSUPPORTED', { params: { format: format.toUpperCase() } })
  if (options.whiteToTransparent) {
    const p = bitmap.rgba
    for (let i = 0; i < p.length; i += 4) {
      if (p[i]! > 235 && p[i + 1]! > 235 && p[i + 2]! > 235) p[i + 3] = 0
    }
  }
  return {
    mime: 'image/png',
    data: b64(encodePng(bitmap)),
    width: bitmap.width,
    height: bitmap.height,
  }
}
