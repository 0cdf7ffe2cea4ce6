/**
 * A slice of `npm run fuzz:idcard` (which runs a million frames): random and mutated frames
 * through every ID card parser. Only typed errors may come out, and the stream decoder never
 * holds more than one frame's worth of bytes.
 */
import { describe, expect, it } from 'vitest'
import { fuzzIdCard } from '../../../../fuzz/idcard'

describe('ID card parsers under random and mutated frames', () => {
  it('turn 10,000 hostile inputs into results or typed errors, nothing else', () => {
    const stats = fuzzIdCard(10_000, 20_240_115)
    expect(stats.escaped).toEqual([])
    expect(stats.iterations).toBe(10_000)
    // The mutations reach every layer: frames, the status, length words, the text block.
    for (const code of [
      'IDCARD_FRAME_BAD_CHECKSUM',
      'IDCARD_FRAME_TRUNCATED',
      'IDCARD_FRAME_BAD_LENGTH',
      'IDCARD_FRAME_BAD_PREAMBLE',
      'IDCARD_RESPONSE_UNEXPECTED',
      'IDCARD_TEXT_UNKNOWN_TYPE',
      'IDCARD_TEXT_INVALID',
    ])
      expect(stats.errors[code] ?? 0).toBeGreaterThan(0)
    expect(stats.decoded).toBeGreaterThan(500)
    expect(stats.streamedFrames).toBeGreaterThan(500)
    expect(stats.maxPending).toBeLessThanOrEqual(65_535 + 7 + 700)
  }, 120_000)
})
