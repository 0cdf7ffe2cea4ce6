/**
 * The ID card parsers under random and mutated input: whole response frames (through the same
 * decode a live read uses), the streaming frame decoder fed in random chunks, the text block in
 * all four layouts, and the appended address. Every input must end in a result or a CounterError
 * — nothing else may escape — quickly, and without the decoder holding more than one frame.
 */
import { performance } from 'node:perf_hooks'
import {
  decodeReadResponseFrame,
  encodeResponse,
  FrameDecoder,
  MAX_IMAGE_BODY_LENGTH,
  parseAppendedAddress,
  parseIdCardText,
} from '../../src/main/devices/idcard'
import {
  encodeIdCardText,
  syntheticWlt,
  TRAINING_CARDS,
  trainingFace,
} from '../../src/main/training'
import { CounterError } from '../../src/shared/errors'

export interface FuzzStats {
  iterations: number
  /** Inputs that decoded to a card. */
  decoded: number
  /** Typed errors by code. */
  errors: Record<string, number>
  /** Whole frames the streaming decoder found. */
  streamedFrames: number
  /** The slowest single input, in milliseconds. */
  maxMs: number
  /** Most bytes the streaming decoder held at once. */
  maxPending: number
  /** Anything that was not a CounterError: must stay empty. */
  escaped: { iteration: number; error: string }[]
}

export function emptyFuzzStats(): FuzzStats {
  return {
    iterations: 0,
    decoded: 0,
    errors: {},
    streamedFrames: 0,
    maxMs: 0,
    maxPending: 0,
    escaped: [],
  }
}

/** xorshift32: small, fast and reproducible from a seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x >>> 0
  }
}

const PREAMBLE = [0xaa, 0xaa, 0xaa, 0x96, 0x69]

function validReadFrame(r: () => number): Uint8Array {
  const card = TRAINING_CARDS[r() % TRAINING_CARDS.length]!
  const text = encodeIdCardText(card.text)
  const photo = r() % 16 === 0 ? trainingFace(card.id) : syntheticWlt(`${r()}`)
  const fp = r() % 3 === 0 ? new Uint8Array(512 * (r() % 3)) : undefined
  const words = fp ? [text.length, photo.length, fp.length] : [text.length, photo.length]
  const data = new Uint8Array(words.length * 2 + text.length + photo.length + (fp?.length ?? 0))
  words.forEach((w, i) => data.set([w >> 8, w & 0xff], i * 2))
  data.set(text, words.length * 2)
  data.set(photo, words.length * 2 + text.length)
  if (fp) data.set(fp, words.length * 2 + text.length + photo.length)
  return encodeResponse(0x90, data)
}

/** Sets length and checksum right again, so that a mutation reaches the parsers behind them. */
function refit(frame: Uint8Array): Uint8Array {
  if (frame.length < 8) return frame
  const out = frame.slice()
  out.set(PREAMBLE, 0)
  const length = out.length - 7
  out[5] = (length >> 8) & 0xff
  out[6] = length & 0xff
  let x = 0
  for (let i = 5; i < out.length - 1; i++) x ^= out[i]!
  out[out.length - 1] = x
  return out
}

function mutate(frame: Uint8Array, r: () => number): Uint8Array {
  let out = frame
  const rounds = 1 + (r() % 6)
  for (let k = 0; k < rounds; k++) {
    const at = out.length ? r() % out.length : 0
    switch (r() % 9) {
      case 0: // flip bits
        out = out.slice()
        out[at] = out[at]! ^ (1 << (r() % 8))
        break
      case 1: // random byte
        out = out.slice()
        out[at] = r() & 0xff
        break
      case 2: // truncate
        out = out.slice(0, at)
        break
      case 3: {
        // insert random bytes
        const n = 1 + (r() % 8)
        const next = new Uint8Array(out.length + n)
        next.set(out.subarray(0, at), 0)
        for (let i = 0; i < n; i++) next[at + i] = r() & 0xff
        next.set(out.subarray(at), at + n)
        out = next
        break
      }
      case 4: {
        // delete a run
        const cut = Math.min(out.length - at, 1 + (r() % 16))
        const next = new Uint8Array(out.length - cut)
        next.set(out.subarray(0, at), 0)
        next.set(out.subarray(at + cut), at)
        out = next
        break
      }
      case 5: // a lone surrogate or odd character in the text block
        if (out.length > 14 + 256) {
          out = out.slice()
          const pos = 14 + 2 * (r() % 128)
          out[pos] = r() & 0xff
          out[pos + 1] = [0xd8, 0xdc, 0xdf, 0x00, 0xff, 0x4e][r() % 6]!
        }
        break
      case 6: // another type flag
        if (out.length > 14 + 250) {
          out = out.slice()
          out[14 + 248] = [0x20, 0x4a, 0x49, 0x59, 0x51, 0x00, r() & 0xff][r() % 7]!
          out[14 + 249] = r() % 4 === 0 ? r() & 0xff : 0
        }
        break
      case 7: // a wrong length word inside the data
        if (out.length > 14) {
          out = out.slice()
          out[10 + (r() % 6)] = r() & 0xff
        }
        break
      case 8: // a wrong frame length
        if (out.length > 7) {
          out = out.slice()
          out[5 + (r() % 2)] = r() & 0xff
        }
        break
    }
  }
  return r() % 2 === 0 ? refit(out) : out
}

function randomBytes(r: () => number): Uint8Array {
  const n = r() % 2400
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = r() & 0xff
  if (n > 10 && r() % 2 === 0) out.set(PREAMBLE, r() % (n - 5))
  return r() % 3 === 0 ? refit(out) : out
}

export function fuzzIdCard(iterations: number, seed = 1): FuzzStats {
  const r = rng(seed)
  const stats = emptyFuzzStats()
  const decoder = new FrameDecoder('response', MAX_IMAGE_BODY_LENGTH)
  const valid = Array.from({ length: 32 }, () => validReadFrame(r))
  const guard = (i: number, f: () => void) => {
    try {
      f()
    } catch (error) {
      if (error instanceof CounterError)
        stats.errors[error.code] = (stats.errors[error.code] ?? 0) + 1
      else stats.escaped.push({ iteration: i, error: String((error as Error)?.stack ?? error) })
    }
  }
  for (let i = 0; i < iterations; i++) {
    const kind = r() % 10
    const input =
      kind < 6
        ? mutate(valid[r() % valid.length]!, r)
        : kind < 9
          ? randomBytes(r)
          : valid[r() % valid.length]!
    const t0 = performance.now()
    guard(i, () => {
      decodeReadResponseFrame(input)
      stats.decoded++
    })
    // The same bytes as a stream in random chunks, after whatever the previous input left.
    guard(i, () => {
      for (let at = 0; at < input.length;) {
        const n = 1 + (r() % 700)
        for (const e of decoder.push(input.subarray(at, at + n)))
          if (e.kind === 'frame') stats.streamedFrames++
        stats.maxPending = Math.max(stats.maxPending, decoder.pending)
        at += n
      }
    })
    if (input.length >= 14 + 256) guard(i, () => void parseIdCardText(input.subarray(14, 14 + 256)))
    if (input.length >= 80) guard(i, () => void parseAppendedAddress(input.subarray(10, 80)))
    stats.maxMs = Math.max(stats.maxMs, performance.now() - t0)
    stats.iterations++
  }
  return stats
}
