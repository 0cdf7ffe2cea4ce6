/**
 * GA 467 reader ↔ SAM frames: preamble `AA AA AA 96 69`, a big-endian length counting everything
 * after itself, the body, and an XOR checksum over every byte after the preamble.
 *
 *   request:  preamble · len · CMD · Para · Data · CHK
 *   response: preamble · len · SW1 · SW2 · SW3 · Data · CHK
 */
import { CounterError } from '../../../shared/errors'

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69)
export const HEADER_LENGTH = 7
/** The longest response in the protocol is 2321 bytes (text + photo + fingerprint). */
export const MAX_BODY_LENGTH = 2321 - HEADER_LENGTH
/**
 * Readers that decode the photo themselves put a BMP or JPEG where the WLT would be; the length
 * word still bounds the frame. Only such readers are decoded with this limit: a tight limit is
 * what lets the decoder reject a garbage length at once instead of waiting for bytes.
 */
export const MAX_IMAGE_BODY_LENGTH = 0xffff
const MIN_REQUEST_BODY = 3 // CMD Para CHK
const MIN_RESPONSE_BODY = 4 // SW1 SW2 SW3 CHK

export type FrameKind = 'request' | 'response'

export interface SamRequest {
  readonly cmd: number
  readonly para: number
  readonly data: Uint8Array
}

export interface SamResponse {
  readonly sw1: number
  readonly sw2: number
  readonly sw3: number
  readonly data: Uint8Array
}

function xorChecksum(bytes: Uint8Array, start: number, end: number): number {
  let x = 0
  for (let i = start; i < end; i++) x ^= bytes[i]!
  return x
}

function frame(body: Uint8Array): Uint8Array {
  const length = body.length + 1
  const out = new Uint8Array(HEADER_LENGTH + length)
  out.set(PREAMBLE, 0)
  out[5] = length >> 8
  out[6] = length & 0xff
  out.set(body, HEADER_LENGTH)
  out[out.length - 1] = xorChecksum(out, 5, out.length - 1)
  return out
}

export function encodeRequest(
  cmd: number,
  para: number,
  data: Uint8Array = new Uint8Array(),
): Uint8Array {
  const body = new Uint8Array(2 + data.length)
  body[0] = cmd
  body[1] = para
  body.set(data, 2)
  return frame(body)
}

export function encodeResponse(
  sw3: number,
  data: Uint8Array = new Uint8Array(),
  sw1 = 0,
  sw2 = 0,
): Uint8Array {
  const body = new Uint8Array(3 + data.length)
  body[0] = sw1
  body[1] = sw2
  body[2] = sw3
  body.set(data, 3)
  return frame(body)
}

function minBody(kind: FrameKind): number {
  return kind === 'request' ? MIN_REQUEST_BODY : MIN_RESPONSE_BODY
}

function hasPreambleAt(bytes: Uint8Array, at: number): boolean {
  for (let i = 0; i < PREAMBLE.length; i++) if (bytes[at + i] !== PREAMBLE[i]) return false
  return true
}

/** Checks one whole frame strictly: preamble, length, checksum. Returns its body without CHK. */
function checkWholeFrame(bytes: Uint8Array, kind: FrameKind, maxBody: number): Uint8Array {
  const preambleSeen = Math.min(bytes.length, PREAMBLE.length)
  for (let i = 0; i < preambleSeen; i++) {
    if (bytes[i] !== PREAMBLE[i]) throw new CounterError('IDCARD_FRAME_BAD_PREAMBLE')
  }
  if (bytes.length < HEADER_LENGTH) {
    throw new CounterError('IDCARD_FRAME_TRUNCATED', { detail: `${bytes.length} bytes` })
  }
  const length = (bytes[5]! << 8) | bytes[6]!
  if (length < minBody(kind) || length > maxBody) {
    throw new CounterError('IDCARD_FRAME_BAD_LENGTH', { params: { length } })
  }
  if (bytes.length < HEADER_LENGTH + length) {
    throw new CounterError('IDCARD_FRAME_TRUNCATED', {
      detail: `${bytes.length} of ${HEADER_LENGTH + length} bytes`,
    })
  }
  if (bytes.length > HEADER_LENGTH + length) {
    throw new CounterError('IDCARD_FRAME_BAD_LENGTH', {
      params: { length },
      detail: `${bytes.length - HEADER_LENGTH - length} trailing bytes`,
    })
  }
  const end = HEADER_LENGTH + length - 1
  if (xorChecksum(bytes, 5, end) !== bytes[end]) throw new CounterError('IDCARD_FRAME_BAD_CHECKSUM')
  return bytes.subarray(HEADER_LENGTH, end)
}

export function parseResponseFrame(
  bytes: Uint8Array,
  maxBodyLength: number = MAX_BODY_LENGTH,
): SamResponse {
  const body = checkWholeFrame(bytes, 'response', maxBodyLength)
  return { sw1: body[0]!, sw2: body[1]!, sw3: body[2]!, data: body.subarray(3) }
}

export function parseRequestFrame(bytes: Uint8Array): SamRequest {
  const body = checkWholeFrame(bytes, 'request', MAX_BODY_LENGTH)
  return { cmd: body[0]!, para: body[1]!, data: body.subarray(2) }
}

export type DecodeEvent =
  | { readonly kind: 'frame'; readonly frame: Uint8Array }
  | { readonly kind: 'error'; readonly error: CounterError; readonly skipped: number }

/**
 * Finds whole frames in a byte stream that arrives in arbitrary chunks. Garbage before a
 * preamble is skipped (and reported); a bad length or checksum is reported and the decoder
 * resynchronises on the next preamble. Memory is bounded by one maximal frame.
 */
export class FrameDecoder {
  /** Bytes not yet consumed are `buf[start..end)`; appends amortise, consumed bytes are skipped. */
  private buf = new Uint8Array(512)
  private start = 0
  private end = 0
  constructor(
    private readonly kind: FrameKind,
    private readonly maxBodyLength: number = MAX_BODY_LENGTH,
  ) {}

  /** Bytes held that do not yet make a whole frame. */
  get pending(): number {
    return this.end - this.start
  }

  reset(): void {
    this.start = this.end = 0
    if (this.buf.length > 8192) this.buf = new Uint8Array(512)
  }

  private append(chunk: Uint8Array): void {
    const held = this.end - this.start
    if (this.end + chunk.length > this.buf.length) {
      if (held + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end)
      } else {
        const grown = new Uint8Array(Math.max(this.buf.length * 2, held + chunk.length))
        grown.set(this.buf.subarray(this.start, this.end))
        this.buf = grown
      }
      this.start = 0
      this.end = held
    }
    this.buf.set(chunk, this.end)
    this.end += chunk.length
  }

  push(chunk: Uint8Array): DecodeEvent[] {
    if (chunk.length > 0) this.append(chunk)
    const events: DecodeEvent[] = []
    const buf = this.buf
    const end = this.end
    let pos = this.start
    while (pos < end) {
      const at = this.findPreamble(buf, pos, end)
      if (at < 0) {
        // Keep a tail that may be the start of a preamble split across chunks.
        const keepFrom = Math.max(pos, end - (PREAMBLE.length - 1))
        const tail = this.partialPreambleStart(buf, keepFrom, end)
        if (tail > pos) events.push(this.garbage(tail - pos))
        pos = tail
        break
      }
      if (at > pos) events.push(this.garbage(at - pos))
      pos = at
      if (end - pos < HEADER_LENGTH) break
      const length = (buf[pos + 5]! << 8) | buf[pos + 6]!
      if (length < minBody(this.kind) || length > this.maxBodyLength) {
        events.push({
          kind: 'error',
          error: new CounterError('IDCARD_FRAME_BAD_LENGTH', { params: { length } }),
          skipped: 1,
        })
        pos += 1
        continue
      }
      const total = HEADER_LENGTH + length
      if (end - pos < total) break
      const last = pos + total - 1
      if (xorChecksum(buf, pos + 5, last) !== buf[last]) {
        events.push({
          kind: 'error',
          error: new CounterError('IDCARD_FRAME_BAD_CHECKSUM'),
          skipped: 1,
        })
        pos += 1
        continue
      }
      events.push({ kind: 'frame', frame: buf.slice(pos, pos + total) })
      pos += total
    }
    this.start = pos
    if (this.start === this.end) this.start = this.end = 0
    return events
  }

  private findPreamble(buf: Uint8Array, from: number, end: number): number {
    for (let i = from; i + PREAMBLE.length <= end; i++) {
      if (buf[i] === 0xaa && hasPreambleAt(buf, i)) return i
    }
    return -1
  }

  /** The first index from which the rest of the bytes are a proper prefix of the preamble. */
  private partialPreambleStart(buf: Uint8Array, from: number, end: number): number {
    for (let i = from; i < end; i++) {
      let ok = true
      for (let j = 0; i + j < end; j++) {
        if (buf[i + j] !== PREAMBLE[j]) {
          ok = false
          break
        }
      }
      if (ok) return i
    }
    return end
  }

  private garbage(skipped: number): DecodeEvent {
    return {
      kind: 'error',
      error: new CounterError('IDCARD_FRAME_BAD_PREAMBLE', { detail: `${skipped} bytes skipped` }),
      skipped,
    }
  }
}
