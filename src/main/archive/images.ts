/**
 * Images of the draw list (PNG and JPEG only, as the render model promises) as PDF image
 * XObjects. pdfkit decodes a PNG with transparency in JavaScript for every document; a seal or a
 * template background appears on hundreds of copies in a batch, so the decoded, split and
 * compressed form is kept per picture (by content) and written into each PDF as it is.
 *
 * PNG decoding here is deliberately narrow — 8-bit, non-interlaced, every colour type — with a
 * bounded inflate; anything else (16-bit, interlaced, damaged) falls back to pdfkit's decoder.
 */
import { createHash } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'
import type { RenderImage } from '../../shared/domain'

export interface PdfImageData {
  readonly width: number
  readonly height: number
  readonly colorSpace: 'DeviceRGB' | 'DeviceGray'
  /** Deflated samples, 8 bits per component. */
  readonly data: Buffer
  /** Deflated 8-bit alpha, when the picture has transparency. */
  readonly alpha?: Buffer
  /** JPEG bytes to embed as they are (DCTDecode). */
  readonly jpeg?: Buffer
}

/** Pictures larger than this are left to pdfkit rather than decoded here. */
const MAX_PIXELS = 40_000_000

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Decodes an 8-bit non-interlaced PNG; undefined for anything it does not handle. */
export function decodePng(bytes: Buffer): PdfImageData | undefined {
  if (
    bytes.length < 33 ||
    bytes.readUInt32BE(0) !== 0x89504e47 ||
    bytes.readUInt32BE(4) !== 0x0d0a1a0a
  )
    return undefined
  let pos = 8
  let width = 0
  let height = 0
  let depth = 0
  let type = -1
  let interlace = 0
  let palette: Buffer | undefined
  let trns: Buffer | undefined
  const idat: Buffer[] = []
  while (pos + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(pos)
    const kind = bytes.toString('latin1', pos + 4, pos + 8)
    const start = pos + 8
    if (length > bytes.length - start - 4) return undefined
    const body = bytes.subarray(start, start + length)
    if (kind === 'IHDR') {
      if (length < 13) return undefined
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      depth = body[8]!
      type = body[9]!
      interlace = body[12]!
    } else if (kind === 'PLTE') palette = body
    else if (kind === 'tRNS') trns = body
    else if (kind === 'IDAT') idat.push(body)
    else if (kind === 'IEND') break
    pos = start + length + 4
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type]
  if (!channels || depth !== 8 || interlace !== 0 || width < 1 || height < 1) return undefined
  if (width * height > MAX_PIXELS || (type === 3 && !palette)) return undefined
  const stride = width * channels
  let raw: Buffer
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: (stride + 1) * height + 1 })
  } catch {
    return undefined
  }
  if (raw.length < (stride + 1) * height) return undefined
  const px = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const src = y * (stride + 1) + 1
    const row = y * stride
    for (let x = 0; x < stride; x++) {
      const v = raw[src + x]!
      const a = x >= channels ? px[row + x - channels]! : 0
      const b = y > 0 ? px[row - stride + x]! : 0
      const c = x >= channels && y > 0 ? px[row - stride + x - channels]! : 0
      let out: number
      switch (filter) {
        case 0:
          out = v
          break
        case 1:
          out = v + a
          break
        case 2:
          out = v + b
          break
        case 3:
          out = v + ((a + b) >> 1)
          break
        case 4:
          out = v + paeth(a, b, c)
          break
        default:
          return undefined
      }
      px[row + x] = out & 0xff
    }
  }
  const n = width * height
  let color: Buffer
  let alpha: Buffer | undefined
  if (type === 0 || type === 2) {
    color = px
    if (trns && trns.length >= (type === 0 ? 2 : 6)) {
      // One colour is transparent (16-bit sample values; 8-bit images use the low byte).
      const key = type === 0 ? [trns[1]!] : [trns[1]!, trns[3]!, trns[5]!]
      alpha = Buffer.alloc(n, 255)
      for (let i = 0; i < n; i++) if (key.every((k, j) => px[i * channels + j] === k)) alpha[i] = 0
    }
  } else if (type === 3) {
    const pal = palette!
    color = Buffer.alloc(n * 3)
    let anyAlpha = false
    const a = Buffer.alloc(n, 255)
    for (let i = 0; i < n; i++) {
      const idx = px[i]!
      color[i * 3] = pal[idx * 3] ?? 0
      color[i * 3 + 1] = pal[idx * 3 + 1] ?? 0
      color[i * 3 + 2] = pal[idx * 3 + 2] ?? 0
      if (trns && idx < trns.length) {
        a[i] = trns[idx]!
        if (a[i] !== 255) anyAlpha = true
      }
    }
    if (anyAlpha) alpha = a
  } else {
    const cc = channels - 1
    color = Buffer.alloc(n * cc)
    alpha = Buffer.alloc(n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < cc; j++) color[i * cc + j] = px[i * channels + j]!
      alpha[i] = px[i * channels + cc]!
    }
    if (alpha.every((v) => v === 255)) alpha = undefined
  }
  const gray = type === 0 || type === 4
  return {
    width,
    height,
    colorSpace: gray ? 'DeviceGray' : 'DeviceRGB',
    data: deflateSync(color),
    ...(alpha ? { alpha: deflateSync(alpha) } : {}),
  }
}

/** The size and colour components of a baseline or progressive JPEG, from its frame header. */
function jpegFrame(
  bytes: Buffer,
): { width: number; height: number; components: number } | undefined {
  let i = 2
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined
    const marker = bytes[i + 1]!
    if (marker === 0xff) {
      i++
      continue
    }
    const length = bytes.readUInt16BE(i + 2)
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return {
        height: bytes.readUInt16BE(i + 5),
        width: bytes.readUInt16BE(i + 7),
        components: bytes[i + 9]!,
      }
    if (length < 2) return undefined
    i += 2 + length
  }
  return undefined
}

const CACHE_LIMIT = 64

/** Decoded pictures by content, shared by every document this process writes. */
export class ImageCache {
  private readonly entries = new Map<string, PdfImageData | null>()

  /** The picture ready for a PDF; null when it must go through pdfkit's own decoder. */
  get(image: RenderImage): { key: string; data: PdfImageData | null } {
    const key = createHash('sha1').update(image.mime).update(image.data).digest('hex')
    let data = this.entries.get(key)
    if (data === undefined) {
      const bytes = Buffer.from(image.data, 'base64')
      if (image.mime === 'image/png') data = decodePng(bytes) ?? null
      else {
        const frame = bytes[0] === 0xff && bytes[1] === 0xd8 ? jpegFrame(bytes) : undefined
        data =
          frame && (frame.components === 1 || frame.components === 3)
            ? {
                width: frame.width,
                height: frame.height,
                colorSpace: frame.components === 1 ? 'DeviceGray' : 'DeviceRGB',
                data: Buffer.alloc(0),
                jpeg: bytes,
              }
            : null
      }
      if (this.entries.size >= CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value!)
      this.entries.set(key, data)
    }
    return { key, data }
  }
}
