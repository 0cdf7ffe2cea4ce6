import { describe, expect, it } from 'vitest'
import {
  decodeReadResponseFrame,
  encodeResponse,
  parseAppendedAddress,
  parseTextPhoto,
  parseTextPhotoFingerprint,
  photoFormat,
} from '../../../../../src/main/devices/idcard'
import { encodeIdCardText, syntheticWlt, TRAINING_CARDS } from '../../../../../src/main/training'

const text = encodeIdCardText(TRAINING_CARDS[0]!.text)
const wlt = syntheticWlt('x')

function block(words: number[], ...parts: Uint8Array[]): Uint8Array {
  const head = Uint8Array.from(words.flatMap((w) => [w >> 8, w & 0xff]))
  return Uint8Array.from([...head, ...parts.flatMap((p) => [...p])])
}

describe('read responses', () => {
  it('30 01: the reference frame is 1295 bytes with length 05 08', () => {
    const frame = encodeResponse(0x90, block([256, 1024], text, wlt))
    expect(frame.length).toBe(1295)
    expect([frame[5], frame[6]]).toEqual([0x05, 0x08])
    const data = parseTextPhoto(block([256, 1024], text, wlt))
    expect(data.text).toEqual(text)
    expect(data.photo).toEqual(wlt)
    expect(data.photoFormat).toBe('wlt')
  })

  it.each([
    [0, 1297],
    [1, 1809],
    [2, 2321],
  ])('30 10 with %i fingerprints is %i bytes', (n, total) => {
    const fp = new Uint8Array(512 * n).fill(7)
    const data = block([256, 1024, fp.length], text, wlt, fp)
    expect(encodeResponse(0x90, data).length).toBe(total)
    const parsed = parseTextPhotoFingerprint(data)
    expect(parsed.fingerprint?.length ?? 0).toBe(512 * n)
    const described = decodeReadResponseFrame(encodeResponse(0x90, data))
    expect(described.fingerprints).toBe(n)
  })

  it('rejects length words that do not add up', () => {
    expect(() => parseTextPhoto(block([256, 1000], text, wlt))).toThrow(
      expect.objectContaining({ code: 'IDCARD_RESPONSE_UNEXPECTED' }),
    )
    expect(() => parseTextPhoto(new Uint8Array(3))).toThrow(
      expect.objectContaining({ code: 'IDCARD_RESPONSE_UNEXPECTED' }),
    )
    expect(() => parseTextPhotoFingerprint(block([256, 1024, 600], text, wlt))).toThrow(
      expect.objectContaining({ code: 'IDCARD_RESPONSE_UNEXPECTED' }),
    )
  })

  it('tells a WLT from a BMP, a JPEG and a PNG by their bytes', () => {
    expect(photoFormat(wlt)).toBe('wlt')
    expect(photoFormat(Uint8Array.from([0x42, 0x4d, ...new Uint8Array(60)]))).toBe('bmp')
    expect(photoFormat(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('jpeg')
    expect(photoFormat(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]))).toBe('png')
    expect(photoFormat(new Uint8Array(1000))).toBe('unknown')
  })

  it('30 03: the appended address is 70 bytes of UTF-16LE, blank means none', () => {
    const block70 = new Uint8Array(70)
    for (let i = 0; i < 70; i += 2) block70[i] = 0x20
    expect(parseAppendedAddress(block70)).toBeNull()
    block70.set(Buffer.from('河南省郑州市文化路97号', 'utf16le'))
    expect(parseAppendedAddress(block70)).toBe('河南省郑州市文化路97号')
    expect(() => parseAppendedAddress(new Uint8Array(68))).toThrow(
      expect.objectContaining({ code: 'IDCARD_RESPONSE_UNEXPECTED' }),
    )
    block70.set([0x00, 0xdc], 0) // a lone low surrogate
    expect(() => parseAppendedAddress(block70)).toThrow(
      expect.objectContaining({ code: 'IDCARD_TEXT_INVALID' }),
    )
  })

  it('decodes a whole frame but reports a failed read status as its SW3 error', () => {
    expect(() => decodeReadResponseFrame(encodeResponse(0x41))).toThrow(
      expect.objectContaining({ code: 'IDCARD_READ_FAILED' }),
    )
  })
})
