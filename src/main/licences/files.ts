/**
 * First checks on a licence file from the library, before anything parses it: is it what its
 * format says (an OFD zip package, a PNG, a JPEG) and how large is an image. Deep OFD checks
 * belong to the OFD reader.
 */
import { createHash } from 'node:crypto'
import { CounterError } from '../../shared/errors'
import type { WireFileFormat } from './wire'

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

function invalid(problem: string): CounterError {
  return new CounterError('LICENCE_FILE_INVALID', { params: { problem } })
}

export interface ImageInfo {
  readonly mediaType: 'image/png' | 'image/jpeg'
  readonly width: number
  readonly height: number
}

/** PNG: the signature, then IHDR first with its width and height. */
export function pngInfo(bytes: Uint8Array): ImageInfo {
  if (bytes.length < 33 || !startsWith(bytes, PNG_SIGNATURE)) throw invalid('不是 PNG 图像')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = String.fromCharCode(...bytes.subarray(12, 16))
  if (type !== 'IHDR') throw invalid('PNG 缺少 IHDR')
  const width = view.getUint32(16)
  const height = view.getUint32(20)
  if (width < 1 || height < 1 || width > 20_000 || height > 20_000)
    throw invalid(`PNG 尺寸异常 ${width}×${height}`)
  return { mediaType: 'image/png', width, height }
}

/** JPEG: SOI, then walk the markers to the first start-of-frame for the size. */
export function jpegInfo(bytes: Uint8Array): ImageInfo {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw invalid('不是 JPEG 图像')
  let i = 2
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) throw invalid('JPEG 标记错误')
    const marker = bytes[i + 1]!
    if (marker === 0xff) {
      i++
      continue
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!
    const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)
    if (isSof) {
      const height = (bytes[i + 5]! << 8) | bytes[i + 6]!
      const width = (bytes[i + 7]! << 8) | bytes[i + 8]!
      if (width < 1 || height < 1) throw invalid('JPEG 尺寸异常')
      return { mediaType: 'image/jpeg', width, height }
    }
    if (length < 2) throw invalid('JPEG 段长度错误')
    i += 2 + length
  }
  throw invalid('JPEG 缺少图像帧')
}

/**
 * An OFD package is a zip archive: a local file header first, and an end-of-central-directory
 * record near the end. Anything else is refused here, before the OFD reader sees it.
 */
export function checkOfdContainer(bytes: Uint8Array): void {
  if (bytes.length < 22 || !startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
    throw invalid('不是 OFD（ZIP）文件')
  const tail = bytes.subarray(Math.max(0, bytes.length - 22 - 65_535))
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06)
      return
  }
  throw invalid('OFD 文件不完整（缺少 ZIP 目录）')
}

/** Checks a file against its claimed format; returns image dimensions for images. */
export function sniffFile(format: WireFileFormat, bytes: Uint8Array): ImageInfo | undefined {
  if (format === 'ofd') {
    checkOfdContainer(bytes)
    return undefined
  }
  return format === 'png' ? pngInfo(bytes) : jpegInfo(bytes)
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** A file name safe on every file system the business system might use. */
export function safeFileName(name: string): string {
  const cleaned = [...name.normalize('NFC')]
    .map((c) => (c.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/^\.+/, '_')
    .trim()
    .slice(0, 120)
  return cleaned || 'file'
}
