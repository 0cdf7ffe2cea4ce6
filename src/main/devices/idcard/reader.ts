/** The reader's commands as calls: each one exchange, each SW3 turned into a result or an error. */
import { performance } from 'node:perf_hooks'
import { CounterError } from '../../../shared/errors'
import {
  Commands,
  encodeCommand,
  setBaudCommand,
  setRfBytesCommand,
  Sw3,
  type BaudRate,
  type SamCommand,
} from './commands'
import { HEADER_LENGTH, MAX_BODY_LENGTH, parseResponseFrame, type SamResponse } from './frame'
import type { PhotoFormat } from './photo/format'
import {
  parseAppendedAddress,
  parseTextPhoto,
  parseTextPhotoFingerprint,
  type CardReadData,
} from './read-response'
import type { SamTransport } from './sam-transport'
import { sw3Error } from './sw3'
import { parseIdCardText, type IdCardText } from './text'

export interface ReadOptions {
  /** Read with `30 10`, which also returns the fingerprint block. */
  readonly fingerprints?: boolean
  /** Also ask for the newest appended address (`30 03`). */
  readonly appendedAddress?: boolean
}

export interface IdCardRead {
  readonly text: IdCardText
  /** The WLT as the chip holds it, or the image a decoding reader returned. Memory only. */
  readonly photo: Uint8Array
  readonly photoFormat: PhotoFormat
  /** Whether fingerprints were asked for (`30 10`); only then is `fingerprint` meaningful. */
  readonly fingerprintsRead: boolean
  readonly fingerprint?: Uint8Array
  /** The newest appended address; null when the card has none; absent when not asked for. */
  readonly appendedAddress?: string | null
  /**
   * `performance.now()` instants: the find that saw the card, the start of select, and when the
   * last answer was parsed.
   */
  readonly timing: { readonly foundAt: number; readonly startedAt: number; readonly doneAt: number }
}

const SW3_AT = 9
const dataLength = (frame: Uint8Array) => frame.length - HEADER_LENGTH - 4
const sw3Of = (frame: Uint8Array) => frame[SW3_AT]

/**
 * Which frames can answer which command. A late answer to an earlier, timed-out command must not
 * be taken for this one's: a read answer is long, a find answer is the only one saying "found".
 */
function acceptFor(c: SamCommand): (frame: Uint8Array) => boolean {
  if (c.cmd === 0x20 && c.para === 0x01)
    return (f) => dataLength(f) <= 16 && sw3Of(f) !== Sw3.success
  if (c.cmd === 0x30)
    return (f) => sw3Of(f) !== Sw3.cardFound && (sw3Of(f) !== Sw3.success || dataLength(f) >= 4)
  return (f) => sw3Of(f) !== Sw3.cardFound && dataLength(f) <= 32
}

/** The SAM's 16-byte id as vendor tools print it, e.g. `05.01-20130516-0031234567-2147483647`. */
export function formatSamId(data: Uint8Array): string {
  if (data.length < 16) return Buffer.from(data).toString('hex').toUpperCase()
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const pad = (n: number, w: number) => String(n).padStart(w, '0')
  return [
    `${pad(v.getUint16(0, true), 2)}.${pad(v.getUint16(2, true), 2)}`,
    pad(v.getUint32(4, true), 8),
    pad(v.getUint32(8, true), 10),
    pad(v.getUint32(12, true), 10),
  ].join('-')
}

export class SamReader {
  constructor(
    private readonly transport: SamTransport,
    private readonly maxBodyLength: number = MAX_BODY_LENGTH,
  ) {}

  async command(c: SamCommand, signal?: AbortSignal): Promise<SamResponse> {
    const frame = await this.transport.exchange(encodeCommand(c), {
      timeoutMs: c.timeoutMs,
      accept: acceptFor(c),
      ...(signal ? { signal } : {}),
    })
    return parseResponseFrame(frame, this.maxBodyLength)
  }

  private async expectSuccess(c: SamCommand, signal?: AbortSignal): Promise<SamResponse> {
    const r = await this.command(c, signal)
    if (r.sw3 !== Sw3.success) throw sw3Error(r.sw3, c.name)
    return r
  }

  /** True when a card is in the field; false when there is none. */
  async find(signal?: AbortSignal): Promise<boolean> {
    const r = await this.command(Commands.find, signal)
    if (r.sw3 === Sw3.cardFound) return true
    if (r.sw3 === Sw3.noCard) return false
    throw sw3Error(r.sw3, 'find')
  }

  async select(signal?: AbortSignal): Promise<void> {
    await this.expectSuccess(Commands.select, signal)
  }

  async reset(signal?: AbortSignal): Promise<void> {
    await this.expectSuccess(Commands.reset, signal)
  }

  /** SAM status: the cheap question auto-detection asks every candidate port. */
  async status(signal?: AbortSignal): Promise<void> {
    await this.expectSuccess(Commands.status, signal)
  }

  async samId(signal?: AbortSignal): Promise<string> {
    return formatSamId((await this.expectSuccess(Commands.samId, signal)).data)
  }

  /** Asks the reader to change its line speed; the caller then changes the port's. */
  async setBaud(baud: BaudRate, signal?: AbortSignal): Promise<void> {
    await this.expectSuccess(setBaudCommand(baud), signal)
  }

  async setRfBytes(maxBytes: number, signal?: AbortSignal): Promise<void> {
    await this.expectSuccess(setRfBytesCommand(maxBytes), signal)
  }

  async readTextPhoto(signal?: AbortSignal): Promise<CardReadData> {
    return parseTextPhoto((await this.expectSuccess(Commands.readTextPhoto, signal)).data)
  }

  async readWithFingerprint(signal?: AbortSignal): Promise<CardReadData> {
    const r = await this.expectSuccess(Commands.readWithFingerprint, signal)
    return parseTextPhotoFingerprint(r.data)
  }

  /** The newest appended address, or null when the card has none (SW3 91). */
  async readAppendedAddress(signal?: AbortSignal): Promise<string | null> {
    const r = await this.command(Commands.readAppendedAddress, signal)
    if (r.sw3 === Sw3.noContent) return null
    if (r.sw3 !== Sw3.success) throw sw3Error(r.sw3, 'readAppendedAddress')
    return parseAppendedAddress(r.data)
  }

  /** select → read → parse (→ appended address), for a card that find has just seen. */
  async readCard(options: ReadOptions = {}, signal?: AbortSignal): Promise<IdCardRead> {
    const startedAt = performance.now()
    await this.select(signal)
    const fingerprints = options.fingerprints === true
    const data = fingerprints
      ? await this.readWithFingerprint(signal)
      : await this.readTextPhoto(signal)
    const text = parseIdCardText(data.text)
    let appendedAddress: string | null | undefined
    if (options.appendedAddress) appendedAddress = await this.readAppendedAddress(signal)
    return {
      text,
      photo: data.photo,
      photoFormat: data.photoFormat,
      fingerprintsRead: fingerprints,
      ...(data.fingerprint ? { fingerprint: data.fingerprint } : {}),
      ...(appendedAddress !== undefined ? { appendedAddress } : {}),
      timing: { foundAt: startedAt, startedAt, doneAt: performance.now() },
    }
  }
}

export function isTimeout(error: unknown): boolean {
  return (
    error instanceof CounterError &&
    (error.code === 'IDCARD_TIMEOUT' || error.code === 'IDCARD_FRAME_TRUNCATED')
  )
}
