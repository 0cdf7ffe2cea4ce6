import { describe, expect, it } from 'vitest'
import {
  Commands,
  encodeCommand,
  encodeResponse,
  FrameDecoder,
  parseResponseFrame,
  setBaudCommand,
  setRfBytesCommand,
} from '../../../../../src/main/devices/idcard'
import type { CounterError } from '../../../../../src/shared/errors'
import { hex, toHex } from './helpers'

describe('GA 467 request frames (reference table)', () => {
  it.each([
    [Commands.reset, 'AA AA AA 96 69 00 03 10 FF EC'],
    [Commands.status, 'AA AA AA 96 69 00 03 11 FF ED'],
    [Commands.samId, 'AA AA AA 96 69 00 03 12 FF EE'],
    [Commands.find, 'AA AA AA 96 69 00 03 20 01 22'],
    [Commands.select, 'AA AA AA 96 69 00 03 20 02 21'],
    [Commands.readTextPhoto, 'AA AA AA 96 69 00 03 30 01 32'],
    [Commands.readAppendedAddress, 'AA AA AA 96 69 00 03 30 03 30'],
    [Commands.readWithFingerprint, 'AA AA AA 96 69 00 03 30 10 23'],
    [setBaudCommand(115200), 'AA AA AA 96 69 00 03 60 00 63'],
    [setRfBytesCommand(0x50), 'AA AA AA 96 69 00 04 61 FF 50 CA'],
  ])('%o encodes byte for byte', (command, expected) => {
    expect(toHex(encodeCommand(command))).toBe(expected)
  })
})

describe('GA 467 response frames', () => {
  it('parses the reference "find OK" answer', () => {
    const r = parseResponseFrame(hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97'))
    expect(r).toMatchObject({ sw1: 0, sw2: 0, sw3: 0x9f })
    expect([...r.data]).toEqual([0, 0, 0, 0])
  })

  it('encodes what it parses', () => {
    expect(toHex(encodeResponse(0x9f, new Uint8Array(4)))).toBe(
      'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97',
    )
  })

  it.each([
    ['bad checksum', 'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 98', 'IDCARD_FRAME_BAD_CHECKSUM'],
    ['truncated', 'AA AA AA 96 69 00 08 00 00 9F 00', 'IDCARD_FRAME_TRUNCATED'],
    ['bad preamble', 'AA AA AB 96 69 00 08 00 00 9F 00 00 00 00 97', 'IDCARD_FRAME_BAD_PREAMBLE'],
    ['length too small', 'AA AA AA 96 69 00 02 00 02', 'IDCARD_FRAME_BAD_LENGTH'],
    ['length too large', 'AA AA AA 96 69 FF FF 00', 'IDCARD_FRAME_BAD_LENGTH'],
    [
      'trailing bytes',
      'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97 00',
      'IDCARD_FRAME_BAD_LENGTH',
    ],
    ['empty', '', 'IDCARD_FRAME_TRUNCATED'],
  ])('gives a typed error for %s', (_name, frame, code) => {
    expect(() => parseResponseFrame(hex(frame))).toThrow(expect.objectContaining({ code }))
  })
})

describe('FrameDecoder', () => {
  const frames = [
    encodeResponse(0x9f, new Uint8Array(4)),
    encodeResponse(0x90, new Uint8Array(8)),
    encodeResponse(0x90, new Uint8Array(1284).fill(0xaa)),
  ]
  const stream = Uint8Array.from(frames.flatMap((f) => [...f]))

  it('finds the same frames whatever the chunking', () => {
    for (const size of [1, 2, 3, 5, 7, 64, 1000, stream.length]) {
      const d = new FrameDecoder('response')
      const out: Uint8Array[] = []
      for (let i = 0; i < stream.length; i += size) {
        for (const e of d.push(stream.subarray(i, i + size)))
          if (e.kind === 'frame') out.push(e.frame)
      }
      expect(out.map(toHex)).toEqual(frames.map(toHex))
      expect(d.pending).toBe(0)
    }
  })

  it('skips garbage and a corrupt frame, then resynchronises', () => {
    const corrupt = encodeResponse(0x90, new Uint8Array(8))
    corrupt[10] = corrupt[10]! ^ 0xff
    const d = new FrameDecoder('response')
    const events = d.push(
      Uint8Array.from([0x01, 0xaa, 0x02, ...corrupt, 0xaa, 0xaa, ...frames[0]!]),
    )
    const good = events.filter((e) => e.kind === 'frame')
    const codes = events
      .filter((e) => e.kind === 'error')
      .map((e) => (e as { error: CounterError }).error.code)
    expect(good).toHaveLength(1)
    expect(codes).toContain('IDCARD_FRAME_BAD_PREAMBLE')
    expect(codes).toContain('IDCARD_FRAME_BAD_CHECKSUM')
  })

  it('keeps a preamble split across chunks', () => {
    const d = new FrameDecoder('response')
    const f = frames[0]!
    expect(d.push(f.subarray(0, 3))).toEqual([])
    const events = d.push(f.subarray(3))
    expect(events).toHaveLength(1)
    expect(events[0]!.kind).toBe('frame')
  })
})
