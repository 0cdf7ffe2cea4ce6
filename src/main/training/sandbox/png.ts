/**
 * A plain PNG encoder and the sandbox's licence face images: a framed card with the licence's
 * QR code and colour bands. Not a real licence design — the face data is shown beside it as
 * text — but a real PNG the preview path decodes like any other.
 */
import { crc32, deflateSync } from 'node:zlib'
import QRCode from 'qrcode'

type Rgb = readonly [number, number, number]

export class Raster {
  readonly data: Uint8Array
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.data = new Uint8Array(width * height * 3)
    this.rect(0, 0, width, height, background)
  }

  rect(x: number, y: number, w: number, h: number, c: Rgb): void {
    const x0 = Math.max(0, Math.floor(x))
    const y0 = Math.max(0, Math.floor(y))
    const x1 = Math.min(this.width, Math.floor(x + w))
    const y1 = Math.min(this.height, Math.floor(y + h))
    for (let yy = y0; yy < y1; yy++)
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.width + xx) * 3
        this.data[i] = c[0]
        this.data[i + 1] = c[1]
        this.data[i + 2] = c[2]
      }
  }

  frame(x: number, y: number, w: number, h: number, t: number, c: Rgb): void {
    this.rect(x, y, w, t, c)
    this.rect(x, y + h - t, w, t, c)
    this.rect(x, y, t, h, c)
    this.rect(x + w - t, y, t, h, c)
  }

  ring(cx: number, cy: number, r: number, t: number, c: Rgb): void {
    for (let y = Math.floor(cy - r); y <= cy + r; y++)
      for (let x = Math.floor(cx - r); x <= cx + r; x++) {
        const d = Math.hypot(x - cx, y - cy)
        if (d <= r && d >= r - t) this.rect(x, y, 1, 1, c)
      }
  }
}

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0)
  return Buffer.concat([head, body, crc])
}

/** An 8-bit RGB PNG, each scanline with filter 0. */
export function encodePng(r: Raster): Uint8Array {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(r.width, 0)
  ihdr.writeUInt32BE(r.height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const raw = Buffer.alloc((r.width * 3 + 1) * r.height)
  for (let y = 0; y < r.height; y++) {
    const row = y * (r.width * 3 + 1)
    raw[row] = 0
    raw.set(r.data.subarray(y * r.width * 3, (y + 1) * r.width * 3), row + 1)
  }
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', new Uint8Array(0)),
    ]),
  )
}

const INK: Rgb = [40, 40, 40]
const RED: Rgb = [176, 32, 32]

/** The sandbox's image of a licence face: frame, header band, the QR code of its identifier. */
export function licenceFacePng(identifier: string, tone: Rgb = [31, 78, 121]): Uint8Array {
  const r = new Raster(840, 560, [250, 247, 238])
  r.frame(14, 14, 812, 532, 6, tone)
  r.frame(26, 26, 788, 508, 2, tone)
  r.rect(26, 26, 788, 64, tone)
  for (let i = 0; i < 6; i++) r.rect(80, 150 + i * 56, 420, 10, [214, 208, 192])
  const qr = QRCode.create(identifier, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const cell = Math.floor(200 / n)
  const ox = 580
  const oy = 140
  r.rect(ox - 10, oy - 10, n * cell + 20, n * cell + 20, [255, 255, 255])
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      if (qr.modules.data[y * n + x]) r.rect(ox + x * cell, oy + y * cell, cell, cell, INK)
  // Where a seal stamp would sit on the paper form; the image carries no electronic seal.
  r.ring(680, 440, 62, 5, RED)
  return encodePng(r)
}
