import { crc32, deflateSync, inflateSync } from 'node:zlib'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { decodePng, ImageCache } from '../../../../src/main/archive/images'

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), body])), 0)
  return Buffer.concat([head, body, crc])
}

/** A palette PNG with a transparent entry (pngjs cannot write palettes). */
function palettePng(): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(3, 0)
  ihdr.writeUInt32BE(2, 4)
  ihdr.set([8, 3, 0, 0, 0], 8)
  const plte = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255])
  const trns = Buffer.from([255, 0])
  // Two rows, filter 0 then filter 1 (Sub), indexes 0 1 2 / 2 1 0.
  const raw = Buffer.from([0, 0, 1, 2, 1, 2, 255, 255])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('tRNS', trns),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function randomImage(width: number, height: number, seed: number): PNG {
  const png = new PNG({ width, height })
  let s = seed
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff
  for (let i = 0; i < width * height * 4; i++)
    png.data[i] = i % 4 === 3 ? (i % 12 === 3 ? 255 : rnd()) : rnd()
  return png
}

describe('PNG decoding for image XObjects', () => {
  it('gives the same samples and alpha as pngjs for every colour type and filter', () => {
    for (const colorType of [0, 2, 4, 6] as const) {
      for (const filterType of [0, 1, 2, 3, 4]) {
        const src = randomImage(7, 5, colorType * 10 + filterType)
        const bytes = PNG.sync.write(src, { colorType, filterType, inputHasAlpha: true })
        const ref = PNG.sync.read(bytes)
        const got = decodePng(bytes)!
        expect(got, `type ${colorType} filter ${filterType}`).toBeDefined()
        const color = inflateSync(got.data)
        const channels = colorType === 0 || colorType === 4 ? 1 : 3
        expect(got.colorSpace).toBe(channels === 1 ? 'DeviceGray' : 'DeviceRGB')
        for (let i = 0; i < 35; i++) {
          for (let c = 0; c < channels; c++)
            expect(color[i * channels + c]).toBe(ref.data[i * 4 + c])
        }
        if (colorType === 4 || colorType === 6) {
          const alpha = inflateSync(got.alpha!)
          for (let i = 0; i < 35; i++) expect(alpha[i]).toBe(ref.data[i * 4 + 3])
        } else expect(got.alpha).toBeUndefined()
      }
    }
  })

  it('expands a palette with transparent entries', () => {
    const got = decodePng(palettePng())!
    expect([...inflateSync(got.data)]).toEqual([
      255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0,
    ])
    // Row 2 is Sub-filtered: 2, 2+255=1, 1+255=0.
    expect([...inflateSync(got.alpha!)]).toEqual([255, 0, 255, 255, 0, 255])
  })

  it('leaves what it does not handle (16-bit, interlaced) to pdfkit and never throws on damage', () => {
    const wide = PNG.sync.write(randomImage(4, 4, 1), { colorType: 6, bitDepth: 16 })
    expect(decodePng(wide)).toBeUndefined()
    const good = PNG.sync.write(randomImage(16, 16, 2), { colorType: 6 })
    let s = 7
    const rnd = (n: number) => (s = (s * 1103515245 + 12345) & 0x7fffffff) % n
    const started = Date.now()
    for (let i = 0; i < 3000; i++) {
      const bad = Buffer.from(good)
      const kind = i % 3
      if (kind === 0) bad[rnd(bad.length)] = rnd(256)
      const cut = kind === 1 ? bad.subarray(0, rnd(bad.length)) : bad
      if (kind === 2) cut.writeUInt32BE(rnd(2 ** 31), 8 + 8 + 4 * 0)
      const out = decodePng(cut)
      if (out) expect(out.width * out.height).toBeLessThanOrEqual(40_000_000)
    }
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('keeps one decoded copy per picture for every document', () => {
    const cache = new ImageCache()
    const data = PNG.sync.write(randomImage(3, 3, 9)).toString('base64')
    const a = cache.get({ mime: 'image/png', data, width: 3, height: 3 })
    const b = cache.get({ mime: 'image/png', data, width: 3, height: 3 })
    expect(b.key).toBe(a.key)
    expect(b.data).toBe(a.data)
    expect(cache.get({ mime: 'image/jpeg', data: 'AAAA', width: 1, height: 1 }).data).toBeNull()
  })
})
