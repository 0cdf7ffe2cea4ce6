/** Photos: BMP checks, wrapping a decoder's bare pixels, training faces, and the screen states. */
import jpeg from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import {
  createWltDecoder,
  encodeBmp,
  normaliseDecodedPhoto,
  photoForScreen,
  PHOTO_HEIGHT,
  PHOTO_WIDTH,
  RAW_PHOTO_LENGTH,
  readBmpInfo,
} from '../../../../../src/main/devices/idcard'
import { syntheticWlt, trainingFace } from '../../../../../src/main/training'

describe('BMP', () => {
  it('writes 102 × 126 24-bit bitmaps with padded rows', () => {
    const bmp = encodeBmp(PHOTO_WIDTH, PHOTO_HEIGHT, new Uint8Array(RAW_PHOTO_LENGTH).fill(9))
    expect(bmp.length).toBe(54 + 308 * 126)
    expect(readBmpInfo(bmp)).toMatchObject({
      width: 102,
      height: 126,
      bitsPerPixel: 24,
      rowStride: 308,
      bottomUp: true,
    })
  })

  it('wraps a decoder’s bare BGR pixels and keeps a BMP it returned', () => {
    const raw = new Uint8Array(40960)
    raw.fill(200, 0, RAW_PHOTO_LENGTH)
    const wrapped = normaliseDecodedPhoto(raw)
    expect(readBmpInfo(wrapped).width).toBe(102)
    expect(wrapped[54]).toBe(200)
    const padded = new Uint8Array(50000)
    padded.set(wrapped)
    expect(normaliseDecodedPhoto(padded)).toEqual(wrapped)
  })

  it.each([
    ['an untouched (all-zero) buffer', new Uint8Array(40000)],
    ['too few bytes', new Uint8Array(1000).fill(1)],
    ['a BMP of another size', encodeBmp(10, 10, new Uint8Array(300))],
    [
      'a BMP whose pixels run past its end',
      encodeBmp(102, 126, new Uint8Array(RAW_PHOTO_LENGTH)).slice(0, 5000),
    ],
  ])('refuses %s with a typed error', (_n, bytes) => {
    expect(() => normaliseDecodedPhoto(bytes)).toThrow(
      expect.objectContaining({ code: 'IDCARD_PHOTO_INVALID' }),
    )
  })
})

describe('training faces', () => {
  it('are valid photos, the same for the same card and different between cards', () => {
    const a = trainingFace('resident-zhang')
    expect(readBmpInfo(a)).toMatchObject({ width: 102, height: 126 })
    expect(trainingFace('resident-zhang')).toEqual(a)
    expect(trainingFace('resident-li', { long: true })).not.toEqual(a)
    // Not a blank: the background, the face and the clothes all show.
    const colours = new Set<number>()
    for (let i = 54; i < a.length - 2; i += 3)
      colours.add((a[i]! << 16) | (a[i + 1]! << 8) | a[i + 2]!)
    expect(colours.size).toBeGreaterThan(4)
  })
})

describe('the photo as the screen gets it', () => {
  const wlt = syntheticWlt('x')

  it('says "no decoder" for a WLT when none is configured', async () => {
    expect(await photoForScreen(wlt, 'wlt', undefined)).toEqual({ state: 'no-decoder' })
  })

  it('shows a BMP or JPEG a reader returned', async () => {
    const face = trainingFace('a')
    const shown = await photoForScreen(face, 'bmp', undefined)
    expect(shown).toMatchObject({ state: 'decoded' })
    expect((shown as { dataUrl: string }).dataUrl.startsWith('data:image/bmp;base64,Qk')).toBe(true)
    const jpg = jpeg.encode(
      { data: Buffer.alloc(102 * 126 * 4, 128), width: 102, height: 126 },
      80,
    ).data
    expect(await photoForScreen(new Uint8Array(jpg), 'jpeg', undefined)).toMatchObject({
      state: 'decoded',
      dataUrl: expect.stringMatching(/^data:image\/jpeg;base64,\/9j\//),
    })
  })

  it('never passes on bytes it cannot vouch for', async () => {
    expect(await photoForScreen(new Uint8Array(700).fill(3), 'unknown', undefined)).toMatchObject({
      state: 'failed',
    })
    const broken = trainingFace('a').slice(0, 200)
    expect(await photoForScreen(broken, 'bmp', undefined)).toMatchObject({ state: 'failed' })
    expect(await photoForScreen(new Uint8Array(0), 'unknown', undefined)).toEqual({ state: 'none' })
  })

  it('turns a decoder library that cannot load into a failed photo, not a crash', async () => {
    const decoder = createWltDecoder({ style: 'unpack', library: '/nonexistent/libwlt2bmp.so' })
    try {
      const shown = await photoForScreen(wlt, 'wlt', decoder)
      expect(shown).toMatchObject({
        state: 'failed',
        reason: expect.stringContaining('照片解码库无法加载'),
      })
      await expect(decoder.decode(wlt)).rejects.toMatchObject({
        code: 'IDCARD_PHOTO_DECODER_UNLOADABLE',
      })
    } finally {
      await decoder.close()
    }
  })
})
