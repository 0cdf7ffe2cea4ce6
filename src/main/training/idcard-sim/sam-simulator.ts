/**
 * A resident ID card reader's SAM, seen from the device side: it reads request frames from its
 * end of a byte stream and answers with the bytes a real SAM sends, when a real SAM would send
 * them — after the request has crossed the wire, after the radio work, paced at the line speed.
 *
 * Its faults are the field's: no card, select or read failures, a card that hangs until the SAM
 * is reset, line noise, answers arriving in pieces, a slow radio, and the readers that refuse to
 * find a card again after reading it until it is lifted.
 */
import { performance } from 'node:perf_hooks'
import {
  APPENDED_ADDRESS_LENGTH,
  BAUD_RATES,
  Commands,
  encodeResponse,
  FrameDecoder,
  parseRequestFrame,
  Sw3,
  type SamRequest,
} from '../../devices/idcard'
import type { ByteStream } from '../../devices/transports'
import type { TrainingCard } from './cards'
import { trainingFace } from './faces'
import { encodeIdCardText } from './text-encoder'

/** Deterministic stand-in for the 1024-byte WLT (the real format is proprietary). */
export function syntheticWlt(seed: string): Uint8Array {
  const out = new Uint8Array(1024)
  let x = 2166136261
  for (const c of seed) x = Math.imul(x ^ c.charCodeAt(0), 16777619) >>> 0
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** A deterministic 512-byte fingerprint template stand-in. */
function syntheticFingerprint(seed: string, finger: number): Uint8Array {
  const out = syntheticWlt(`${seed}#fp${finger}`).slice(0, 512)
  out[0] = 0x43 // as templates begin in vendor dumps: a format byte, then data
  return out
}

/** `true`: always; a number: the next that many times; absent or 0: never. */
export type FaultCount = boolean | number

export interface SimFaults {
  /** find answers "no card" even with a card on the reader (a number: for the next that many finds). */
  noCard?: FaultCount
  /** select answers SW3 81. */
  selectFail?: FaultCount
  /** read answers SW3 41. */
  readFail?: FaultCount
  /** A read gets no answer, and nothing the card is asked answers, until the SAM is reset. */
  hang?: FaultCount
  /** Random bytes of line noise around the answers. */
  garbage?: boolean
  /** Answers arrive in small pieces with pauses between them. */
  splitFrames?: boolean
  /** Extra radio time for every read, in milliseconds (find and select stay quick). */
  slowRfMs?: number
}

export interface RfDelays {
  readonly findMs: number
  readonly selectMs: number
  readonly readMs: number
  readonly addressMs: number
}

export interface SimProfile {
  /** `bmp`: the reader decodes the photo itself and answers with a BMP instead of the WLT. */
  readonly photo: 'wlt' | 'bmp'
  /** `sticky`: after a successful read, find fails until the card is lifted. */
  readonly afterRead: 'refinds' | 'sticky'
  /** The SAM's line speed; when set, answers are paced at it (8N1: ten bits a byte). */
  readonly baudRate?: number
  readonly rf: RfDelays
}

const NO_RF_DELAY: RfDelays = { findMs: 0, selectMs: 0, readMs: 0, addressMs: 0 }

const DEFAULT_PROFILE: SimProfile = { photo: 'wlt', afterRead: 'refinds', rf: NO_RF_DELAY }

export interface SimOptions {
  readonly profile?: Partial<SimProfile>
  readonly faults?: SimFaults
  /** The host's line speed as the port shows it; a mismatch garbles every request. */
  readonly hostLineSpeed?: () => number | undefined
  /** For garbage and split frames; seeded so that a failing run can be repeated. */
  readonly seed?: number
}

export interface SimStats {
  find: number
  select: number
  /** Text-and-photo reads (`30 01`, `30 10`). */
  read: number
  /** Appended-address reads (`30 03`). */
  address: number
  reset: number
  other: number
  /** Requests dropped because the host's line speed did not match. */
  garbled: number
}

const is = (r: SamRequest, c: { cmd: number; para: number }) => r.cmd === c.cmd && r.para === c.para

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function withLengths(words: number[], blocks: Uint8Array[]): Uint8Array {
  const head = words.length * 2
  const out = new Uint8Array(head + blocks.reduce((n, b) => n + b.length, 0))
  words.forEach((w, i) => {
    out[i * 2] = w >> 8
    out[i * 2 + 1] = w & 0xff
  })
  let at = head
  for (const b of blocks) {
    out.set(b, at)
    at += b.length
  }
  return out
}

export class SamSimulator {
  private card: TrainingCard | undefined
  private selected = false
  private readDone = false
  private hung = false
  private baud: number | undefined
  private stream: ByteStream | undefined
  private unsubscribe: (() => void) | undefined
  private decoder = new FrameDecoder('request')
  private firstByteAt: number | undefined
  private queue: Promise<void> = Promise.resolve()
  private random: () => number
  private findsWithoutCard = 0
  private liftWaiters: { misses: number; resolve: () => void }[] = []
  private hostLineSpeed: (() => number | undefined) | undefined
  profile: SimProfile
  faults: SimFaults
  readonly stats: SimStats = {
    find: 0,
    select: 0,
    read: 0,
    address: 0,
    reset: 0,
    other: 0,
    garbled: 0,
  }

  constructor(stream?: ByteStream, options: SimOptions = {}) {
    this.profile = { ...DEFAULT_PROFILE, ...options.profile }
    this.faults = { ...options.faults }
    this.baud = this.profile.baudRate
    this.hostLineSpeed = options.hostLineSpeed
    let x = (options.seed ?? 0x5eed) >>> 0 || 1
    this.random = () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) / 4294967296
    }
    if (stream) this.attach(stream)
  }

  /**
   * Connects to (another) host link, as when the reader is plugged in again; optionally with a
   * way to hear the host's line speed on that link.
   */
  attach(stream: ByteStream, hostLineSpeed?: () => number | undefined): void {
    this.detach()
    if (hostLineSpeed) this.hostLineSpeed = hostLineSpeed
    this.stream = stream
    this.decoder = new FrameDecoder('request')
    this.unsubscribe = stream.onData((chunk) => this.receive(chunk))
  }

  detach(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.stream = undefined
  }

  /** The line speed the SAM is at now (it changes on a set-baud command). */
  get lineSpeed(): number | undefined {
    return this.baud
  }

  place(card: TrainingCard): void {
    this.card = card
    this.selected = false
    this.readDone = false
    this.hung = false
  }

  remove(): void {
    this.card = undefined
    this.selected = false
    this.readDone = false
    this.findsWithoutCard = 0
  }

  get current(): TrainingCard | undefined {
    return this.card
  }

  /**
   * Resolves once the host has asked for a card `misses` times since the card was lifted — when
   * it has had the chance to notice — or after `timeoutMs` at the latest.
   */
  whenLiftNoticed(misses: number, timeoutMs: number): Promise<void> {
    if (this.card === undefined && this.findsWithoutCard >= misses) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const waiter = {
        misses,
        resolve: () => {
          clearTimeout(timer)
          this.liftWaiters = this.liftWaiters.filter((w) => w !== waiter)
          resolve()
        },
      }
      const timer = setTimeout(waiter.resolve, timeoutMs)
      this.liftWaiters.push(waiter)
    })
  }

  private take(fault: 'noCard' | 'selectFail' | 'readFail' | 'hang'): boolean {
    const v = this.faults[fault]
    if (v === true) return true
    if (typeof v === 'number' && v > 0) {
      this.faults[fault] = v - 1
      return true
    }
    return false
  }

  /** What find would say now; only a find itself uses up a counted no-card fault. */
  private findAnswer(asking: 'find' | 'select'): number {
    if (!this.card) return Sw3.noCard
    if (asking === 'find' ? this.take('noCard') : this.faults.noCard === true) return Sw3.noCard
    if (this.readDone && this.profile.afterRead === 'sticky') return Sw3.noCard
    return Sw3.cardFound
  }

  private photoBlock(card: TrainingCard): Uint8Array {
    return this.profile.photo === 'bmp'
      ? trainingFace(card.id, { long: card.text.sex === 'female' })
      : syntheticWlt(card.id)
  }

  /** The answer to one request, or null when the SAM stays silent. */
  respond(request: SamRequest): Uint8Array | null {
    if (is(request, Commands.reset)) {
      this.stats.reset++
      this.hung = false
      this.selected = false
      return encodeResponse(Sw3.success)
    }
    if (is(request, Commands.status)) return this.other(encodeResponse(Sw3.success))
    if (is(request, Commands.samId)) {
      const id = new Uint8Array(16)
      const v = new DataView(id.buffer)
      v.setUint16(0, 5, true)
      v.setUint16(2, 1, true)
      v.setUint32(4, 20240115, true)
      v.setUint32(8, 410100, true)
      v.setUint32(12, 1234567, true)
      return this.other(encodeResponse(Sw3.success, id))
    }
    if (request.cmd === 0x60) {
      const baud = BAUD_RATES[request.para]
      return this.other(encodeResponse(baud === undefined ? 0x21 : Sw3.success))
    }
    if (request.cmd === 0x61 && request.para === 0xff && request.data.length === 1)
      return this.other(encodeResponse(Sw3.success))
    if (is(request, Commands.find)) {
      this.stats.find++
      if (this.hung) return null
      const sw3 = this.findAnswer('find')
      if (this.card === undefined && sw3 === Sw3.noCard) this.noticeMiss()
      return encodeResponse(sw3, new Uint8Array(4))
    }
    if (is(request, Commands.select)) {
      this.stats.select++
      if (this.hung) return null
      if (this.findAnswer('select') !== Sw3.cardFound || this.take('selectFail'))
        return encodeResponse(Sw3.selectFailed)
      this.selected = true
      return encodeResponse(Sw3.success, new Uint8Array(8))
    }
    if (is(request, Commands.readTextPhoto) || is(request, Commands.readWithFingerprint)) {
      this.stats.read++
      if (this.hung) return null
      if (this.take('hang')) {
        this.hung = true
        return null
      }
      const card = this.card
      if (!card || !this.selected || this.take('readFail')) return encodeResponse(Sw3.readFailed)
      const text = encodeIdCardText(card.text)
      const photo = this.photoBlock(card)
      this.readDone = true
      if (is(request, Commands.readTextPhoto))
        return encodeResponse(Sw3.success, withLengths([text.length, photo.length], [text, photo]))
      const prints = Array.from({ length: card.fingerprints ?? 0 }, (_, i) =>
        syntheticFingerprint(card.id, i),
      )
      const fp = withLengths([], prints)
      return encodeResponse(
        Sw3.success,
        withLengths([text.length, photo.length, fp.length], [text, photo, fp]),
      )
    }
    if (is(request, Commands.readAppendedAddress)) {
      this.stats.address++
      if (this.hung) return null
      const card = this.card
      if (!card || !this.selected) return encodeResponse(Sw3.readFailed)
      if (!card.appendedAddress) return encodeResponse(Sw3.noContent)
      const block = new Uint8Array(APPENDED_ADDRESS_LENGTH)
      for (let i = 0; i < block.length; i += 2) block[i] = 0x20
      block.set(Buffer.from(card.appendedAddress, 'utf16le').subarray(0, block.length))
      return encodeResponse(Sw3.success, block)
    }
    return this.other(encodeResponse(0x21)) // bad command
  }

  private other(answer: Uint8Array): Uint8Array {
    this.stats.other++
    return answer
  }

  private noticeMiss(): void {
    this.findsWithoutCard++
    for (const w of [...this.liftWaiters]) if (this.findsWithoutCard >= w.misses) w.resolve()
  }

  private rfDelay(request: SamRequest): number {
    const { rf } = this.profile
    const extra = this.faults.slowRfMs ?? 0
    if (is(request, Commands.find)) return rf.findMs
    if (is(request, Commands.select)) return rf.selectMs
    if (is(request, Commands.readAppendedAddress)) return rf.addressMs + extra
    if (request.cmd === 0x30) return rf.readMs + extra
    return 0
  }

  private receive(chunk: Uint8Array): void {
    const hostSpeed = this.hostLineSpeed?.()
    if (this.baud !== undefined && hostSpeed !== undefined && hostSpeed !== this.baud) {
      // At the wrong speed the UART sees framing errors and noise, never a request.
      this.stats.garbled++
      this.decoder.reset()
      return
    }
    if (this.decoder.pending === 0 && this.firstByteAt === undefined)
      this.firstByteAt = performance.now()
    for (const event of this.decoder.push(chunk)) {
      if (event.kind === 'frame') {
        const frame = event.frame
        const arrivedFrom = this.firstByteAt ?? performance.now()
        this.firstByteAt = undefined
        this.queue = this.queue.then(() => this.handle(frame, arrivedFrom)).catch(() => undefined)
      } else if (event.error.code === 'IDCARD_FRAME_BAD_CHECKSUM') {
        this.queue = this.queue.then(() => this.transmit(encodeResponse(0x10)))
      }
    }
    if (this.decoder.pending === 0) this.firstByteAt = undefined
  }

  private async handle(frame: Uint8Array, firstByteAt: number): Promise<void> {
    const request = parseRequestFrame(frame)
    if (this.baud !== undefined) {
      // The request is not whole until its last bit has crossed the wire.
      const wireMs = (frame.length * 10 * 1000) / this.baud
      const wait = firstByteAt + wireMs - performance.now()
      // Timers tick in whole milliseconds: round to the nearest, do not always round up.
      if (wait >= 1) await sleep(Math.round(wait))
    }
    const answer = this.respond(request)
    const rf = this.rfDelay(request)
    if (rf > 0) await sleep(rf)
    if (answer) await this.transmit(answer)
    if (request.cmd === 0x60 && answer && answer[9] === Sw3.success)
      this.baud = BAUD_RATES[request.para]
  }

  private garbage(): Uint8Array {
    const n = 1 + Math.floor(this.random() * 8)
    return Uint8Array.from({ length: n }, () => Math.floor(this.random() * 256))
  }

  private async transmit(bytes: Uint8Array): Promise<void> {
    const stream = this.stream
    if (!stream) return
    if (this.faults.garbage) await this.paced(stream, this.garbage())
    if (!this.faults.splitFrames) return this.paced(stream, bytes)
    for (let at = 0; at < bytes.length;) {
      const n = 1 + Math.floor(this.random() * 24)
      await this.paced(stream, bytes.subarray(at, at + n))
      at += n
      await sleep(1 + Math.floor(this.random() * 4))
    }
  }

  /**
   * Writes as a UART at the line speed would: byte k is whole at (k + 1) × 10 bits / baud. Timers
   * tick in whole milliseconds, so each byte goes out within half a millisecond of its time,
   * early or late, rather than always late.
   */
  private async paced(stream: ByteStream, bytes: Uint8Array): Promise<void> {
    const write = (b: Uint8Array) => stream.write(b).catch(() => undefined)
    if (this.baud === undefined) return write(bytes)
    const perMs = this.baud / 10 / 1000
    const start = performance.now()
    let sent = 0
    while (sent < bytes.length) {
      const elapsed = performance.now() - start
      const due = Math.min(bytes.length, Math.floor((elapsed + 0.5) * perMs))
      if (due > sent) {
        await write(bytes.slice(sent, due))
        sent = due
        continue
      }
      const target = Math.min(bytes.length, sent + 64)
      await sleep(Math.max(1, Math.round(target / perMs - elapsed)))
    }
  }
}
