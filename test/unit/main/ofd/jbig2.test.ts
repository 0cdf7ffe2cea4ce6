import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isCounterError } from '../../../../src/shared/errors'
import { concatBytes } from '../../../../src/main/crypto'
import { openOfd, renderPage } from '../../../../src/main/ofd'
import { decodeJbig2 } from '../../../../src/main/ofd/images/jbig2'
import { encodeJbig2 } from '../../../fixtures/ofd/jbig2-encoder'
import { edge, fonts } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'ofd-jbig2-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function bitmap(w: number, h: number, seed: number): Uint8Array {
  let x = seed
  const r = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) / 65536
  const px = new Uint8Array(w * h)
  // Blobs and lines, with runs of identical rows for typical prediction to skip.
  for (let y = 0; y < h; y++)
    for (let i = 0; i < w; i++)
      px[y * w + i] =
        (Math.hypot(i - w / 2, y - h / 3) < h / 4 ? 1 : 0) ^ (y % 9 === 0 && r() < 0.7 ? 1 : 0)
  for (let y = Math.floor(h * 0.7); y < Math.floor(h * 0.8); y++)
    px.copyWithin(y * w, Math.floor(h * 0.7) * w, Math.floor(h * 0.7) * w + w)
  return px
}

/** jbig2dec, an independent decoder: what it reads from our encoder's output. */
function reference(jb2: Uint8Array, w: number, h: number): Uint8Array {
  const input = join(dir, 'in.jb2')
  const output = join(dir, 'out.pbm')
  writeFileSync(input, jb2)
  execFileSync('jbig2dec', ['-t', 'pbm', '-o', output, input], { stdio: 'pipe' })
  const pbm = readFileSync(output)
  const start = pbm.indexOf(0x0a, pbm.indexOf(0x0a) + 1) + 1
  const rowBytes = Math.ceil(w / 8)
  const px = new Uint8Array(w * h)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      px[y * w + x] = (pbm[start + y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1
  return px
}

const black = (rgba: Uint8Array) =>
  Uint8Array.from({ length: rgba.length / 4 }, (_, i) => (rgba[i * 4] === 0 ? 1 : 0))

describe('JBIG2 generic regions', { timeout: 60_000 }, () => {
  it.each([0, 1, 2, 3] as const)(
    'template %i, with and without typical prediction, agrees with jbig2dec',
    (template) => {
      for (const tpgdon of [false, true]) {
        const [w, h] = [123, 77]
        const px = bitmap(w, h, template * 7 + (tpgdon ? 1 : 0))
        const jb2 = encodeJbig2(w, h, px, { template, tpgdon })
        expect(reference(jb2, w, h)).toEqual(px) // the fixture encoder is right …
        const ours = decodeJbig2(jb2, 1e7)
        expect([ours.width, ours.height]).toEqual([w, h])
        expect(black(ours.rgba)).toEqual(px) // … and so is our decoder
      }
    },
  )

  it('reads bare embedded streams, as OFD files carry them', () => {
    const px = bitmap(64, 32, 3)
    expect(black(decodeJbig2(encodeJbig2(64, 32, px, { file: false }), 1e7).rgba)).toEqual(px)
  })

  it('renders JBIG2 images in an OFD page (file and bare stream)', async () => {
    const page = renderPage(await openOfd(edge('jbig2')), 0, { fonts: fonts() })
    expect(page.warnings).toEqual([])
    expect(Object.values(page.images).map((i) => [i.mime, i.width, i.height])).toEqual([
      ['image/png', 660, 180],
      ['image/png', 660, 180],
    ])
  })

  it('decodes no more pixels for a page than one image may have', async () => {
    // Each of the two 660×180 images is within the limit; the second would pass it.
    const doc = await openOfd(edge('jbig2'), { limits: { maxImagePixels: 200_000 } })
    const page = renderPage(doc, 0, { fonts: fonts() })
    expect(Object.values(page.images).map((i) => [i.width, i.height])).toEqual([[660, 180]])
    expect(page.warnings).toEqual(['图像无法显示（OFD 文件超出处理上限（解码的图像像素总量））'])
  })

  const code = (b: Uint8Array, max = 1e7) => {
    try {
      decodeJbig2(b, max)
      return 'ok'
    } catch (e) {
      return isCounterError(e) ? e.code : String(e)
    }
  }

  it('refuses what it does not decode, and damaged data, with typed errors', () => {
    const good = encodeJbig2(40, 20, bitmap(40, 20, 1))
    // A symbol dictionary segment (type 0) in place of the generic region.
    const symbol = good.slice()
    symbol[13 + 11 + 19 + 4] = 0
    expect(code(symbol)).toBe('OFD_IMAGE_UNSUPPORTED')
    const mmr = good.slice()
    mmr[13 + 11 + 19 + 11 + 17] = 1
    expect(code(mmr)).toBe('OFD_IMAGE_UNSUPPORTED')
    expect(code(good.subarray(0, 30))).toBe('OFD_IMAGE_CORRUPT')
    expect(code(good, 100)).toBe('OFD_LIMIT_EXCEEDED')
    // Noise after the header decodes to something or fails cleanly; it never throws anything else.
    for (let i = 0; i < 200; i++) {
      const m = good.slice()
      m[40 + ((i * 7) % (m.length - 40))] = (i * 31) & 255
      expect(['ok', 'OFD_IMAGE_CORRUPT', 'OFD_IMAGE_UNSUPPORTED', 'OFD_LIMIT_EXCEEDED']).toContain(
        code(m),
      )
    }
  })

  it('bounds the pixels all regions decode together, not only each one', () => {
    // A bare stream: page information (11 + 19 bytes), one 40×20 generic region, end of page.
    const bare = encodeJbig2(40, 20, bitmap(40, 20, 2), { file: false })
    const pageInfo = bare.subarray(0, 30)
    const regionLength = new DataView(bare.buffer, bare.byteOffset).getUint32(30 + 7)
    const region = bare.subarray(30, 30 + 11 + regionLength)
    expect(code(concatBytes(pageInfo, region), 1000)).toBe('ok') // 800 pixels
    // Each region is within 1000 pixels; the two together are not.
    expect(code(concatBytes(pageInfo, region, region), 1000)).toBe('OFD_LIMIT_EXCEEDED')
  })
})
