/**
 * DG2 faces for the screen: Chromium shows JPEG but not JPEG 2000, so JPEG 2000 (JP2 file or raw
 * codestream) is decoded in main with OpenJPEG compiled to WebAssembly and re-encoded as JPEG.
 * The result is a data URL that lives in memory only.
 */
import { createRequire } from 'node:module'
import jpeg from 'jpeg-js'
import { CounterError } from '../../../shared/errors'
import { sniffImage } from './lds/parse'

interface J2kFrameInfo {
  width: number
  height: number
  bitsPerSample: number
  componentCount: number
  isSigned: boolean
}
interface J2kDecoder {
  getEncodedBuffer(length: number): Uint8Array
  getDecodedBuffer(): Uint8Array
  decode(): void
  getFrameInfo(): J2kFrameInfo
  delete?(): void
}
interface J2kEncoder {
  getDecodedBuffer(info: J2kFrameInfo & { isUsingColorTransform: boolean }): Uint8Array
  getEncodedBuffer(): Uint8Array
  setQuality(lossless: boolean, quality: number): void
  setCompressionRatio(layer: number, ratio: number): void
  setDecompositions(n: number): void
  encode(): void
  delete?(): void
}
interface OpenJpeg {
  J2KDecoder: new () => J2kDecoder
  J2KEncoder: new () => J2kEncoder
}

let codec: Promise<OpenJpeg> | undefined

/** The OpenJPEG module, loaded once; its console output is silenced. */
export function openJpeg(): Promise<OpenJpeg> {
  if (!codec) {
    const require = createRequire(import.meta.url)
    const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (
      m: object,
    ) => Promise<OpenJpeg>
    codec = factory({ print: () => {}, printErr: () => {} })
  }
  return codec
}

const MAX_PIXELS = 4096 * 4096

/** The contiguous codestream inside a JP2 file (its `jp2c` box), or the input if already raw. */
export function j2kCodestream(data: Uint8Array): Uint8Array {
  if (data[0] === 0xff && data[1] === 0x4f) return data
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  let p = 0
  for (let guard = 0; p + 8 <= data.length && guard < 64; guard++) {
    let len = view.getUint32(p)
    const type = String.fromCharCode(data[p + 4]!, data[p + 5]!, data[p + 6]!, data[p + 7]!)
    let header = 8
    if (len === 1) {
      if (p + 16 > data.length) break
      const hi = view.getUint32(p + 8)
      if (hi !== 0) break
      len = view.getUint32(p + 12)
      header = 16
    } else if (len === 0) len = data.length - p
    if (len < header || p + len > data.length) {
      // A truncated last box: take what is there.
      if (type === 'jp2c') return data.subarray(p + header)
      break
    }
    if (type === 'jp2c') return data.subarray(p + header, p + len)
    p += len
  }
  throw new CounterError('EMRTD_FACE_UNDECODABLE', { params: { reason: 'JP2 文件中没有码流' } })
}

export interface RgbImage {
  readonly width: number
  readonly height: number
  /** RGBA, 4 bytes per pixel. */
  readonly rgba: Uint8Array
}

export async function decodeJpeg2000(data: Uint8Array): Promise<RgbImage> {
  const m = await openJpeg()
  const stream = j2kCodestream(data)
  const decoder = new m.J2KDecoder()
  try {
    decoder.getEncodedBuffer(stream.length).set(stream)
    decoder.decode()
    const info = decoder.getFrameInfo()
    const { width, height, componentCount, bitsPerSample } = info
    if (width * height > MAX_PIXELS || width === 0 || height === 0) throw new Error('image size')
    const px = decoder.getDecodedBuffer()
    const bytesPerSample = bitsPerSample > 8 ? 2 : 1
    const shift = Math.max(0, bitsPerSample - 8)
    const sample = (i: number) =>
      bytesPerSample === 2 ? (px[2 * i]! | (px[2 * i + 1]! << 8)) >> shift : px[i]!
    const rgba = new Uint8Array(width * height * 4)
    for (let i = 0; i < width * height; i++) {
      const c = componentCount
      const r = sample(i * c)
      const g = c >= 3 ? sample(i * c + 1) : r
      const b = c >= 3 ? sample(i * c + 2) : r
      rgba.set([r, g, b, 255], i * 4)
    }
    return { width, height, rgba }
  } catch (error) {
    if (error instanceof CounterError) throw error
    throw new CounterError('EMRTD_FACE_UNDECODABLE', {
      params: { reason: 'JPEG 2000 解码失败' },
      detail: error instanceof Error ? error.message : String(error),
    })
  } finally {
    decoder.delete?.()
  }
}

export async function encodeJpeg2000(image: RgbImage, ratio = 12): Promise<Uint8Array> {
  const m = await openJpeg()
  const encoder = new m.J2KEncoder()
  try {
    const buf = encoder.getDecodedBuffer({
      width: image.width,
      height: image.height,
      bitsPerSample: 8,
      componentCount: 3,
      isSigned: false,
      isUsingColorTransform: true,
    })
    for (let i = 0; i < image.width * image.height; i++) {
      buf[i * 3] = image.rgba[i * 4]!
      buf[i * 3 + 1] = image.rgba[i * 4 + 1]!
      buf[i * 3 + 2] = image.rgba[i * 4 + 2]!
    }
    encoder.setQuality(false, 0)
    encoder.setCompressionRatio(0, ratio)
    encoder.encode()
    return encoder.getEncodedBuffer().slice()
  } finally {
    encoder.delete?.()
  }
}

export function encodeJpeg(image: RgbImage, quality = 88): Uint8Array {
  return new Uint8Array(
    jpeg.encode({ data: image.rgba, width: image.width, height: image.height }, quality).data,
  )
}

export function decodeJpeg(data: Uint8Array): RgbImage {
  try {
    const img = jpeg.decode(data, {
      useTArray: true,
      maxResolutionInMP: 16,
      maxMemoryUsageInMB: 128,
    })
    return { width: img.width, height: img.height, rgba: img.data }
  } catch (error) {
    throw new CounterError('EMRTD_FACE_UNDECODABLE', {
      params: { reason: 'JPEG 解码失败' },
      detail: error instanceof Error ? error.message : String(error),
    })
  }
}

/** A face as something Chromium can show: JPEG passes through, JPEG 2000 is re-encoded. */
export async function faceDataUrl(data: Uint8Array): Promise<string> {
  const kind = sniffImage(data)
  if (kind === 'jpeg') return `data:image/jpeg;base64,${Buffer.from(data).toString('base64')}`
  if (kind === 'jpeg2000') {
    const img = await decodeJpeg2000(data)
    return `data:image/jpeg;base64,${Buffer.from(encodeJpeg(img)).toString('base64')}`
  }
  throw new CounterError('EMRTD_FACE_UNDECODABLE', { params: { reason: '未知的图像格式' } })
}
