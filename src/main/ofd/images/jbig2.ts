/**
 * JBIG2 (ITU-T T.88) images, as scanned OFD documents carry them: the file format (sequential or
 * random-access) and bare embedded streams, page information, and generic regions coded with the
 * MQ arithmetic coder (templates 0–3, adaptive pixels, typical prediction). Symbol dictionaries,
 * text, halftone and refinement regions and MMR-coded regions are refused with a typed error, so
 * the page still renders with a placeholder where the image was.
 */
import { CounterError } from '../../../shared/errors'
import { PixelBudget } from './budget'
import type { Bitmap } from './images'

const corrupt = (reason: string) =>
  new CounterError('OFD_IMAGE_CORRUPT', { params: { reason: `JBIG2 ${reason}` } })
const unsupported = (what: string) =>
  new CounterError('OFD_IMAGE_UNSUPPORTED', { params: { format: `JBIG2 ${what}` } })

const FILE_ID = [0x97, 0x4a, 0x42, 0x32, 0x0d, 0x0a, 0x1a, 0x0a]

/** The MQ coder's probability states (T.88 Table E.1): Qe, next on MPS, next on LPS, switch. */
const QE: readonly (readonly [number, number, number, number])[] = [
  [0x5601, 1, 1, 1],
  [0x3401, 2, 6, 0],
  [0x1801, 3, 9, 0],
  [0x0ac1, 4, 12, 0],
  [0x0521, 5, 29, 0],
  [0x0221, 38, 33, 0],
  [0x5601, 7, 6, 1],
  [0x5401, 8, 14, 0],
  [0x4801, 9, 14, 0],
  [0x3801, 10, 14, 0],
  [0x3001, 11, 17, 0],
  [0x2401, 12, 18, 0],
  [0x1c01, 13, 20, 0],
  [0x1601, 29, 21, 0],
  [0x5601, 15, 14, 1],
  [0x5401, 16, 14, 0],
  [0x5101, 17, 15, 0],
  [0x4801, 18, 16, 0],
  [0x3801, 19, 17, 0],
  [0x3401, 20, 18, 0],
  [0x3001, 21, 19, 0],
  [0x2801, 22, 19, 0],
  [0x2401, 23, 20, 0],
  [0x2201, 24, 21, 0],
  [0x1c01, 25, 22, 0],
  [0x1801, 26, 23, 0],
  [0x1601, 27, 24, 0],
  [0x1401, 28, 25, 0],
  [0x1201, 29, 26, 0],
  [0x1101, 30, 27, 0],
  [0x0ac1, 31, 28, 0],
  [0x09c1, 32, 29, 0],
  [0x08a1, 33, 30, 0],
  [0x0521, 34, 31, 0],
  [0x0441, 35, 32, 0],
  [0x02a1, 36, 33, 0],
  [0x0221, 37, 34, 0],
  [0x0141, 38, 35, 0],
  [0x0111, 39, 36, 0],
  [0x0085, 40, 37, 0],
  [0x0049, 41, 38, 0],
  [0x0025, 42, 39, 0],
  [0x0015, 43, 40, 0],
  [0x0009, 44, 41, 0],
  [0x0005, 45, 42, 0],
  [0x0001, 45, 43, 0],
  [0x5601, 46, 46, 0],
]

export { QE as JBIG2_QE }

/** The MQ arithmetic decoder (T.88 Annex E). Contexts hold state index << 1 | MPS. */
class MqDecoder {
  private a = 0x8000
  private chigh: number
  private clow = 0
  private ct = 0
  private bp: number

  constructor(
    private readonly data: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.bp = start
    this.chigh = start < end ? data[start]! : 0xff
    this.byteIn()
    this.chigh = ((this.chigh << 7) & 0xffff) | ((this.clow >> 9) & 0x7f)
    this.clow = (this.clow << 7) & 0xffff
    this.ct -= 7
  }

  private byteAt(i: number): number {
    return i < this.end ? this.data[i]! : 0xff
  }

  private byteIn(): void {
    if (this.byteAt(this.bp) === 0xff) {
      if (this.byteAt(this.bp + 1) > 0x8f) {
        this.clow += 0xff00
        this.ct = 8
      } else {
        this.bp++
        this.clow += this.byteAt(this.bp) << 9
        this.ct = 7
      }
    } else {
      this.bp++
      this.clow += this.byteAt(this.bp) << 8
      this.ct = 8
    }
    if (this.clow > 0xffff) {
      this.chigh += this.clow >> 16
      this.clow &= 0xffff
    }
  }

  decode(contexts: Uint8Array, cx: number): number {
    let index = contexts[cx]! >> 1
    let mps = contexts[cx]! & 1
    const [qe, nmps, nlps, sw] = QE[index]!
    let a = this.a - qe
    let d: number
    if (this.chigh < qe) {
      // LPS path, with the conditional exchange.
      if (a < qe) {
        a = qe
        d = mps
        index = nmps
      } else {
        a = qe
        d = 1 ^ mps
        if (sw) mps = d
        index = nlps
      }
    } else {
      this.chigh -= qe
      if (a & 0x8000) {
        this.a = a
        return mps
      }
      if (a < qe) {
        d = 1 ^ mps
        if (sw) mps = d
        index = nlps
      } else {
        d = mps
        index = nmps
      }
    }
    do {
      if (this.ct === 0) this.byteIn()
      a <<= 1
      this.chigh = ((this.chigh << 1) & 0xffff) | ((this.clow >> 15) & 1)
      this.clow = (this.clow << 1) & 0xffff
      this.ct--
    } while ((a & 0x8000) === 0)
    this.a = a
    contexts[cx] = (index << 1) | mps
    return d
  }
}

/** A binary image, one byte per pixel (1 = black). */
class Bits {
  readonly data: Uint8Array
  constructor(
    readonly width: number,
    readonly height: number,
    fill = 0,
  ) {
    this.data = new Uint8Array(width * height).fill(fill)
  }
  get(x: number, y: number): number {
    return x < 0 || y < 0 || x >= this.width || y >= this.height
      ? 0
      : this.data[y * this.width + x]!
  }
}

/** Typical-prediction contexts for the SLTP bit, per template (T.88 6.2.5.7). */
const SLTP_CONTEXT = [0x9b25, 0x0795, 0x00e5, 0x0195]
const CONTEXT_BITS = [16, 13, 10, 10]
export const DEFAULT_AT: readonly (readonly number[])[] = [
  [3, -1, -3, -1, 2, -2, -2, -2],
  [3, -1],
  [2, -1],
  [2, -1],
]

/** The context of pixel (x, y) for a generic region template (T.88 6.2.5.3, figures 3–6). */
export function genericContext(
  b: { get(x: number, y: number): number },
  x: number,
  y: number,
  template: number,
  at: readonly number[],
): number {
  const p = (dx: number, dy: number) => b.get(x + dx, y + dy)
  switch (template) {
    case 0:
      return (
        p(-1, 0) |
        (p(-2, 0) << 1) |
        (p(-3, 0) << 2) |
        (p(-4, 0) << 3) |
        (p(at[0]!, at[1]!) << 4) |
        (p(2, -1) << 5) |
        (p(1, -1) << 6) |
        (p(0, -1) << 7) |
        (p(-1, -1) << 8) |
        (p(-2, -1) << 9) |
        (p(at[2]!, at[3]!) << 10) |
        (p(at[4]!, at[5]!) << 11) |
        (p(1, -2) << 12) |
        (p(0, -2) << 13) |
        (p(-1, -2) << 14) |
        (p(at[6]!, at[7]!) << 15)
      )
    case 1:
      return (
        p(-1, 0) |
        (p(-2, 0) << 1) |
        (p(-3, 0) << 2) |
        (p(at[0]!, at[1]!) << 3) |
        (p(2, -1) << 4) |
        (p(1, -1) << 5) |
        (p(0, -1) << 6) |
        (p(-1, -1) << 7) |
        (p(-2, -1) << 8) |
        (p(2, -2) << 9) |
        (p(1, -2) << 10) |
        (p(0, -2) << 11) |
        (p(-1, -2) << 12)
      )
    case 2:
      return (
        p(-1, 0) |
        (p(-2, 0) << 1) |
        (p(at[0]!, at[1]!) << 2) |
        (p(1, -1) << 3) |
        (p(0, -1) << 4) |
        (p(-1, -1) << 5) |
        (p(-2, -1) << 6) |
        (p(1, -2) << 7) |
        (p(0, -2) << 8) |
        (p(-1, -2) << 9)
      )
    default:
      return (
        p(-1, 0) |
        (p(-2, 0) << 1) |
        (p(-3, 0) << 2) |
        (p(-4, 0) << 3) |
        (p(at[0]!, at[1]!) << 4) |
        (p(1, -1) << 5) |
        (p(0, -1) << 6) |
        (p(-1, -1) << 7) |
        (p(-2, -1) << 8) |
        (p(-3, -1) << 9)
      )
  }
}

function decodeGeneric(
  data: Uint8Array,
  start: number,
  end: number,
  width: number,
  height: number,
  template: number,
  tpgdon: boolean,
  at: readonly number[],
): Bits {
  const out = new Bits(width, height)
  const mq = new MqDecoder(data, start, end)
  const contexts = new Uint8Array(1 << CONTEXT_BITS[template]!)
  let ltp = 0
  for (let y = 0; y < height; y++) {
    if (tpgdon) {
      ltp ^= mq.decode(contexts, SLTP_CONTEXT[template]!)
      if (ltp) {
        if (y > 0) out.data.copyWithin(y * width, (y - 1) * width, y * width)
        continue
      }
    }
    const row = y * width
    for (let x = 0; x < width; x++)
      out.data[row + x] = mq.decode(contexts, genericContext(out, x, y, template, at))
  }
  return out
}

interface Segment {
  readonly number: number
  readonly type: number
  readonly page: number
  readonly length: number
  dataStart: number
}

function readSegmentHeader(b: Uint8Array, p: number): { seg: Segment; next: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  if (p + 6 > b.length) throw corrupt('段头截断')
  const number = v.getUint32(p)
  const flags = b[p + 4]!
  let q = p + 5
  let count = b[q]! >> 5
  if (count === 7) {
    if (q + 4 > b.length) throw corrupt('段头截断')
    count = v.getUint32(q) & 0x1fffffff
    if (count > 10_000) throw corrupt('引用段过多')
    q += 4 + Math.ceil((count + 1) / 8)
  } else q += 1
  q += count * (number <= 256 ? 1 : number <= 65536 ? 2 : 4)
  const pageSize = flags & 0x40 ? 4 : 1
  if (q + pageSize + 4 > b.length) throw corrupt('段头截断')
  const page = pageSize === 4 ? v.getUint32(q) : b[q]!
  q += pageSize
  const length = v.getUint32(q)
  q += 4
  return { seg: { number, type: flags & 0x3f, page, length, dataStart: q }, next: q }
}

const MAX_SEGMENTS = 10_000

/**
 * Decodes a JBIG2 file or embedded stream to its first page, of at most `maxPixels`; its regions
 * take the pixels they decode from `budget` (by default, one image's worth).
 */
export function decodeJbig2(
  bytes: Uint8Array,
  maxPixels: number,
  budget = new PixelBudget(maxPixels),
): Bitmap {
  let p = 0
  let sequential = true
  if (FILE_ID.every((c, i) => bytes[i] === c)) {
    const flags = bytes[8]
    if (flags === undefined) throw corrupt('文件头截断')
    sequential = (flags & 1) === 1
    p = 9 + (flags & 2 ? 0 : 4)
  }
  const segments: Segment[] = []
  if (sequential) {
    while (p < bytes.length && segments.length < MAX_SEGMENTS) {
      const { seg, next } = readSegmentHeader(bytes, p)
      if (seg.length === 0xffffffff) throw unsupported('未知长度的区域')
      segments.push(seg)
      p = next + seg.length
      if (seg.type === 51) break
    }
  } else {
    while (p < bytes.length && segments.length < MAX_SEGMENTS) {
      const { seg, next } = readSegmentHeader(bytes, p)
      segments.push(seg)
      p = next
      if (seg.type === 51) break
    }
    for (const seg of segments) {
      if (seg.length === 0xffffffff) throw unsupported('未知长度的区域')
      seg.dataStart = p
      p += seg.length
    }
  }

  let page: Bits | undefined
  let defaultPixel = 0
  let pageHeight = 0
  const regions: { bits: Bits; x: number; y: number; op: number }[] = []
  for (const seg of segments) {
    const end = seg.dataStart + seg.length
    if (end > bytes.length) throw corrupt('段数据截断')
    const v = new DataView(bytes.buffer, bytes.byteOffset + seg.dataStart, seg.length)
    switch (seg.type) {
      case 48: {
        if (seg.length < 19) throw corrupt('页面信息不完整')
        if (page) break // only the first page is drawn
        const width = v.getUint32(0)
        const height = v.getUint32(4)
        const flags = v.getUint8(16)
        defaultPixel = (flags >> 2) & 1
        pageHeight = height === 0xffffffff ? 0 : height
        if (width === 0 || width > 65535 || pageHeight > 65535) throw corrupt('页面尺寸无效')
        if (pageHeight && width * pageHeight > maxPixels)
          throw new CounterError('OFD_LIMIT_EXCEEDED', {
            params: { what: `图像 ${width}×${pageHeight}` },
          })
        page = new Bits(width, Math.max(pageHeight, 1), defaultPixel)
        break
      }
      case 38:
      case 39: {
        if (!page) throw corrupt('区域出现在页面信息之前')
        if (seg.length < 18) throw corrupt('区域信息不完整')
        const w = v.getUint32(0)
        const h = v.getUint32(4)
        const x = v.getUint32(8)
        const y = v.getUint32(12)
        const op = v.getUint8(16) & 7
        const flags = v.getUint8(17)
        if (flags & 1) throw unsupported('MMR 编码')
        const template = (flags >> 1) & 3
        const tpgdon = (flags & 8) !== 0
        const atBytes = template === 0 ? 8 : 2
        if (seg.length < 18 + atBytes) throw corrupt('自适应像素不完整')
        const at: number[] = []
        for (let i = 0; i < atBytes; i++) at.push(v.getInt8(18 + i))
        if (w === 0 || h === 0) break
        if (w > 65535 || h > 65535 || w * h > maxPixels)
          throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `图像区域 ${w}×${h}` } })
        // Every region is decoded before any is drawn: together they take from one budget.
        budget.take(w * h, '解码的图像像素总量')
        const bits = decodeGeneric(
          bytes,
          seg.dataStart + 18 + atBytes,
          end,
          w,
          h,
          template,
          tpgdon,
          at,
        )
        regions.push({ bits, x, y, op })
        break
      }
      case 0:
      case 4:
      case 6:
      case 7:
      case 16:
      case 20:
      case 22:
      case 23:
      case 40:
      case 42:
      case 43:
        throw unsupported('符号、文本、半色调或细化编码')
      case 36:
      case 50:
      case 49:
      case 51:
      case 52:
      case 53:
      case 62:
      default:
        break
    }
  }
  if (!page) throw corrupt('缺少页面信息')
  if (!pageHeight) {
    // Striped page of unknown height: as tall as its regions reach.
    const height = Math.max(1, ...regions.map((r) => r.y + r.bits.height))
    if (page.width * height > maxPixels)
      throw new CounterError('OFD_LIMIT_EXCEEDED', {
        params: { what: `图像 ${page.width}×${height}` },
      })
    page = new Bits(page.width, height, defaultPixel)
  }
  for (const r of regions) compose(page, r.bits, r.x, r.y, r.op)
  const rgba = new Uint8Array(page.width * page.height * 4)
  for (let i = 0; i < page.data.length; i++) {
    const c = page.data[i] ? 0 : 255
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = c
    rgba[i * 4 + 3] = 255
  }
  return { width: page.width, height: page.height, rgba }
}

function compose(page: Bits, r: Bits, x0: number, y0: number, op: number): void {
  for (let y = 0; y < r.height; y++) {
    const py = y0 + y
    if (py < 0 || py >= page.height) continue
    for (let x = 0; x < r.width; x++) {
      const px = x0 + x
      if (px < 0 || px >= page.width) continue
      const i = py * page.width + px
      const s = r.data[y * r.width + x]!
      const d = page.data[i]!
      page.data[i] =
        op === 0 ? d | s : op === 1 ? d & s : op === 2 ? d ^ s : op === 3 ? 1 ^ (d ^ s) : s
    }
  }
}
