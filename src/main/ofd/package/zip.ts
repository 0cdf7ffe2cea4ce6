/**
 * The OFD container: a zip read from the central directory, defensively. A package comes from
 * outside, so every size is checked before anything is allocated, entries are inflated with a
 * bound that stops them the moment they pass their declared size, and whatever would escape the
 * package root, overlap another entry or hide behind a duplicate name is refused.
 */
import { inflateRawSync } from 'node:zlib'
import { CounterError } from '../../../shared/errors'
import type { OfdLimits } from '../types'
import { crc32 } from './crc32'

export interface ZipEntry {
  /** Normalised: forward slashes, no leading slash, no `.` or `..` segments. */
  readonly name: string
  readonly method: number
  readonly flags: number
  readonly crc: number
  readonly compressedSize: number
  readonly size: number
  readonly localOffset: number
}

const EOCD = 0x06054b50
const EOCD64 = 0x06064b50
const EOCD64_LOCATOR = 0x07064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
/** Entries below this size may have any ratio (tiny files compress absurdly well). */
const RATIO_FLOOR = 1024 * 1024

const unsafe = (reason: string) => new CounterError('OFD_ZIP_UNSAFE', { params: { reason } })
const corrupt = (reason: string) => new CounterError('OFD_ZIP_CORRUPT', { params: { reason } })

const utf8 = new TextDecoder('utf-8', { fatal: true })
const gbk = new TextDecoder('gbk')

/**
 * Normalises an entry name, or explains why it is not acceptable. Names are decoded as UTF-8 when
 * flagged (or valid), otherwise as GBK, which Chinese Windows zip tools write.
 */
export function normaliseEntryName(raw: string): string {
  if (raw.includes('\0')) throw unsafe('文件名含空字符')
  const name = raw.replace(/\\/g, '/')
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('//')) throw unsafe(`绝对路径 ${name}`)
  const parts: string[] = []
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (parts.length === 0) throw unsafe(`路径越界 ${name}`)
      parts.pop()
    } else parts.push(seg)
  }
  return parts.join('/') + (name.endsWith('/') ? '/' : '')
}

function findEocd(data: Uint8Array, view: DataView): number {
  const min = Math.max(0, data.length - 22 - 0xffff)
  for (let i = data.length - 22; i >= min; i--) {
    if (view.getUint32(i, true) === EOCD && i + 22 + view.getUint16(i + 20, true) <= data.length)
      return i
  }
  throw new CounterError('OFD_NOT_OFD', { detail: 'no end of central directory' })
}

export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>()
  private readonly byLowerName = new Map<string, ZipEntry>()
  private inflated = 0

  private constructor(
    private readonly data: Uint8Array,
    entries: readonly ZipEntry[],
    private readonly limits: OfdLimits,
  ) {
    for (const e of entries) {
      if (e.name.endsWith('/')) continue
      if (this.byName.has(e.name)) throw unsafe(`重复的文件名 ${e.name}`)
      this.byName.set(e.name, e)
      const lower = e.name.toLowerCase()
      if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, e)
    }
  }

  static open(data: Uint8Array, limits: OfdLimits): ZipArchive {
    if (data.length < 22) throw new CounterError('OFD_NOT_OFD', { detail: 'too short' })
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    const eocd = findEocd(data, view)
    let count = view.getUint16(eocd + 10, true)
    let cdSize = view.getUint32(eocd + 12, true)
    let cdOffset = view.getUint32(eocd + 16, true)
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20
      if (loc < 0 || view.getUint32(loc, true) !== EOCD64_LOCATOR) throw corrupt('ZIP64 目录缺失')
      const at = Number(view.getBigUint64(loc + 8, true))
      if (at + 56 > data.length || view.getUint32(at, true) !== EOCD64)
        throw corrupt('ZIP64 目录损坏')
      count = safeNumber(view.getBigUint64(at + 32, true))
      cdSize = safeNumber(view.getBigUint64(at + 40, true))
      cdOffset = safeNumber(view.getBigUint64(at + 48, true))
    }
    if (count > limits.maxEntries) throw unsafe(`文件数 ${count} 超过上限`)
    if (cdOffset + cdSize > data.length) throw corrupt('中央目录越界')

    const entries: ZipEntry[] = []
    let p = cdOffset
    const end = cdOffset + cdSize
    for (let i = 0; i < count; i++) {
      if (p + 46 > end || view.getUint32(p, true) !== CENTRAL) throw corrupt('中央目录项损坏')
      const flags = view.getUint16(p + 8, true)
      const method = view.getUint16(p + 10, true)
      const crc = view.getUint32(p + 16, true)
      let compressedSize = view.getUint32(p + 20, true)
      let size = view.getUint32(p + 24, true)
      const nameLen = view.getUint16(p + 28, true)
      const extraLen = view.getUint16(p + 30, true)
      const commentLen = view.getUint16(p + 32, true)
      let localOffset = view.getUint32(p + 42, true)
      const next = p + 46 + nameLen + extraLen + commentLen
      if (next > end) throw corrupt('中央目录项越界')
      const rawName = data.subarray(p + 46, p + 46 + nameLen)
      // ZIP64 extended information: only the fields whose 32-bit slot is saturated are present.
      let q = p + 46 + nameLen
      const extraEnd = q + extraLen
      while (q + 4 <= extraEnd) {
        const id = view.getUint16(q, true)
        const len = view.getUint16(q + 2, true)
        if (q + 4 + len > extraEnd) break
        if (id === 0x0001) {
          let r = q + 4
          const take = () => {
            if (r + 8 > q + 4 + len) throw corrupt('ZIP64 扩展字段过短')
            const v = safeNumber(view.getBigUint64(r, true))
            r += 8
            return v
          }
          if (size === 0xffffffff) size = take()
          if (compressedSize === 0xffffffff) compressedSize = take()
          if (localOffset === 0xffffffff) localOffset = take()
        }
        q += 4 + len
      }
      let decoded: string
      try {
        decoded = utf8.decode(rawName)
      } catch {
        decoded = flags & 0x800 ? '' : gbk.decode(rawName)
        if (!decoded) throw corrupt('文件名编码错误')
      }
      entries.push({
        name: normaliseEntryName(decoded),
        method,
        flags,
        crc,
        compressedSize,
        size,
        localOffset,
      })
      p = next
    }

    // Entries must not share bytes: overlapping entries are how the densest zip bombs are built.
    const spans = entries
      .map((e) => [e.localOffset, e.localOffset + 30 + e.compressedSize] as const)
      .sort((a, b) => a[0] - b[0])
    for (let i = 1; i < spans.length; i++) {
      if (spans[i]![0] < spans[i - 1]![1]) throw unsafe('文件数据相互重叠')
    }
    return new ZipArchive(data, entries, limits)
  }

  /** Entry names (files only), in central-directory order. */
  names(): string[] {
    return [...this.byName.keys()]
  }

  /** Exact name first; then, as some producers get case wrong, a case-insensitive match. */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase())
  }

  has(name: string): boolean {
    return this.entry(name) !== undefined
  }

  /** The entry's bytes, inflated and checked (size and CRC-32). */
  read(name: string): Uint8Array {
    const e = this.entry(name)
    if (!e) throw new CounterError('OFD_PART_MISSING', { params: { part: name } })
    if (e.flags & 0x1) throw new CounterError('OFD_ZIP_UNSUPPORTED', { params: { reason: '加密' } })
    if (e.size > this.limits.maxEntryBytes) throw unsafe(`${e.name} 解压后过大`)
    if (e.size > RATIO_FLOOR && e.size / Math.max(1, e.compressedSize) > this.limits.maxRatio)
      throw unsafe(`${e.name} 压缩比异常`)
    if (this.inflated + e.size > this.limits.maxTotalBytes) throw unsafe('解压总量超过上限')

    const view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength)
    const lo = e.localOffset
    if (lo + 30 > this.data.length || view.getUint32(lo, true) !== LOCAL)
      throw corrupt(`${e.name} 本地文件头损坏`)
    const start = lo + 30 + view.getUint16(lo + 26, true) + view.getUint16(lo + 28, true)
    const stop = start + e.compressedSize
    if (stop > this.data.length) throw corrupt(`${e.name} 数据越界`)
    const raw = this.data.subarray(start, stop)

    let out: Uint8Array
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw corrupt(`${e.name} 长度不一致`)
      out = raw.slice()
    } else if (e.method === 8) {
      out = inflateBounded(raw, e.size, e.name)
    } else {
      throw new CounterError('OFD_ZIP_UNSUPPORTED', { params: { reason: `方法 ${e.method}` } })
    }
    if (crc32(out) !== e.crc) throw corrupt(`${e.name} 校验和不符`)
    this.inflated += out.length
    return out
  }
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw unsafe('数值过大')
  return Number(v)
}

/**
 * Inflates at most `size` bytes: zlib stops the moment the output would pass `size + 1`, so an
 * entry that lies about its size costs no more than its declared size to find out.
 */
function inflateBounded(raw: Uint8Array, size: number, name: string): Uint8Array {
  let out: Buffer
  try {
    out = inflateRawSync(raw, { maxOutputLength: size + 1 })
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw unsafe(`${name} 实际大小超过声明`)
    throw corrupt(`${name} 解压失败`)
  }
  if (out.length > size) throw unsafe(`${name} 实际大小超过声明`)
  if (out.length !== size) throw corrupt(`${name} 数据不完整`)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}
