/**
 * Reading an LDS file. Two strategies:
 *  - `fixed`, the common library default and the benchmark's baseline: SELECT by FID, read 8
 *    bytes ahead to learn the length, then blocks of 0xDF (223) bytes;
 *  - `adaptive`: the first read goes by SFI (no SELECT) and asks for the largest block a short
 *    protected response can carry, which finishes small files at once; the rest comes in one or a
 *    few extended-length reads when reader and chip allow them, else in the largest short blocks.
 * Both fall back on 67xx (smaller blocks) and 6Cxx (the length the chip names), read past offset
 * 32767 with odd-INS READ BINARY (B1, offset in DO54, data in DO53), and retry transient failures
 * through a `recover` callback that re-establishes secure messaging and resumes at the same offset.
 */
import { CounterError } from '../../../shared/errors'
import { SW, swHex, type CommandApdu, type ResponseApdu } from './apdu'
import { concatBytes } from './bytes'
import type { ApduChannel } from './channel'
import type { LdsFile } from './lds/files'
import { maxPlainBlock } from './sm'
import { encodeTlv, readTlv, readTlvHeader } from './tlv'

export type ReadStrategy = 'fixed' | 'adaptive'

export interface FileProgress {
  readonly file: string
  readonly offset: number
  readonly length: number | undefined
}

export interface FileReaderOptions {
  readonly strategy: ReadStrategy
  /** Whether extended-length APDUs may be tried (reader and chip both; undefined: try once). */
  readonly extendedLength: boolean | undefined
  /** Attempts per block for transient failures. */
  readonly retries?: number
  /** Re-establishes the channel after a failure that broke secure messaging. */
  readonly recover?: () => Promise<void>
  readonly onProgress?: (p: FileProgress) => void
}

const FIXED_BLOCK = 0xdf
const MAX_FILE = 1 << 20
/** Protected responses must fit the 2-byte frame of transports like vpcd, with room for SW. */
const EXTENDED_RESPONSE_LIMIT = 0xfff0

const TRANSIENT = new Set([
  'EMRTD_TIMEOUT',
  'EMRTD_PCSC_ERROR',
  'EMRTD_SM_MAC_FAILED',
  'EMRTD_SM_MALFORMED',
])

function readFailed(file: string, sw: number): CounterError {
  if (sw === SW.FILE_NOT_FOUND)
    return new CounterError('EMRTD_FILE_NOT_FOUND', { params: { file } })
  return new CounterError('EMRTD_CARD_STATUS', {
    params: { command: `READ ${file}`, sw: swHex(sw) },
  })
}

export class FileReader {
  /** Learned across files: a chip that refused extended length once will not get it again. */
  private extended: boolean | undefined
  private shortBlock: number | undefined
  /** The chip's current EF as far as we know; a recovered session has none. */
  private selected: LdsFile | undefined
  private extendedBlock: number | undefined

  constructor(
    private readonly channel: ApduChannel,
    private readonly options: FileReaderOptions,
  ) {
    this.extended = options.extendedLength
  }

  get extendedLengthUsable(): boolean | undefined {
    return this.extended
  }

  /** Largest plain block a short protected response carries (231 with 3DES, 223 with AES). */
  private maxShort(): number {
    if (this.shortBlock !== undefined) return this.shortBlock
    const sm = this.channel.secureMessaging
    return sm ? maxPlainBlock(sm.cipher, 256) : 256
  }

  private maxExtended(): number {
    if (this.extendedBlock !== undefined) return this.extendedBlock
    const sm = this.channel.secureMessaging
    return sm ? maxPlainBlock(sm.cipher, EXTENDED_RESPONSE_LIMIT) : EXTENDED_RESPONSE_LIMIT
  }

  private async send(cmd: CommandApdu, extended: boolean): Promise<ResponseApdu> {
    return this.channel.send(cmd, { extended })
  }

  /** One READ BINARY at `offset`; `sfi` selects implicitly (first read only, offset < 256). */
  private async readBinary(
    offset: number,
    length: number,
    sfi: number | undefined,
  ): Promise<ResponseApdu> {
    const extended = length > 256
    if (sfi !== undefined)
      return this.send({ cla: 0, ins: 0xb0, p1: 0x80 | sfi, p2: offset, ne: length }, extended)
    if (offset <= 0x7fff)
      return this.send(
        { cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, ne: length },
        extended,
      )
    // Odd INS: the offset travels in DO54 and the data comes back wrapped in DO53.
    const off =
      offset > 0xffff
        ? Uint8Array.of(offset >> 16, (offset >> 8) & 0xff, offset & 0xff)
        : Uint8Array.of(offset >> 8, offset & 0xff)
    const r = await this.send(
      {
        cla: 0,
        ins: 0xb1,
        p1: 0,
        p2: 0,
        data: encodeTlv(0x54, off),
        ne: Math.min(65536, length + 4),
      },
      extended || length + 4 > 256,
    )
    if (r.data.length === 0) return r
    try {
      const { tlv } = readTlv(r.data, 0)
      if (tlv.tag !== 0x53) throw new Error('no DO53')
      return { data: tlv.value, sw: r.sw }
    } catch {
      throw new CounterError('EMRTD_TLV_MALFORMED', {
        params: { reason: 'odd-INS READ BINARY response' },
      })
    }
  }

  private async recover(): Promise<void> {
    this.selected = undefined
    await this.options.recover?.()
  }

  private async select(file: LdsFile): Promise<void> {
    const r = await this.send(
      {
        cla: 0,
        ins: 0xa4,
        p1: 0x02,
        p2: 0x0c,
        data: Uint8Array.of(file.fid >> 8, file.fid & 0xff),
      },
      false,
    )
    if (r.sw !== SW.OK) throw readFailed(file.name, r.sw)
    this.selected = file
  }

  /** A read with retries and length fallbacks. Returns the bytes (possibly fewer than asked). */
  private async block(
    file: LdsFile,
    offset: number,
    wanted: number,
    sfi: number | undefined,
  ): Promise<{ data: Uint8Array; eof: boolean }> {
    let length = wanted
    let attempts = 0
    const retries = this.options.retries ?? 2
    for (;;) {
      let r: ResponseApdu
      try {
        // After a recovery the chip has no current file: select it again (by SFI when we can).
        const useSfi = sfi ?? (this.selected !== file && offset < 256 ? file.sfi : undefined)
        if (useSfi === undefined && this.selected !== file) await this.select(file)
        r = await this.readBinary(offset, length, useSfi)
        if (useSfi !== undefined) this.selected = file
      } catch (error) {
        if (
          error instanceof CounterError &&
          TRANSIENT.has(error.code) &&
          attempts < retries &&
          this.options.recover
        ) {
          attempts++
          await this.recover()
          continue
        }
        throw error
      }
      const sw1 = r.sw >> 8
      if (r.sw === SW.OK) return { data: r.data, eof: false }
      if (r.sw === SW.END_OF_FILE) return { data: r.data, eof: true }
      if (sw1 === 0x6c && attempts < 4) {
        attempts++
        length = r.sw & 0xff || 256
        if (this.channel.sessionLost && this.options.recover) await this.recover()
        continue
      }
      if ((sw1 === 0x67 || r.sw === SW.SM_DATA_INCORRECT) && attempts < 4) {
        attempts++
        // Wrong length: extended length is not welcome here; then shrink the short block.
        if (length > 256) {
          this.extended = false
          length = Math.min(length, this.maxShort())
        } else if (length > FIXED_BLOCK) length = FIXED_BLOCK
        else if (length > 0x80) length = 0x80
        else throw readFailed(file.name, r.sw)
        if (length <= 256 && wanted <= 256) this.shortBlock = Math.min(this.maxShort(), length)
        if (this.channel.sessionLost && this.options.recover) await this.recover()
        continue
      }
      if (r.sw === SW.WRONG_P1P2 && offset > 0) return { data: new Uint8Array(0), eof: true }
      throw readFailed(file.name, r.sw)
    }
  }

  async read(file: LdsFile): Promise<Uint8Array> {
    const progress = (offset: number, length: number | undefined) =>
      this.options.onProgress?.({ file: file.name, offset, length })
    const fixed = this.options.strategy === 'fixed'
    let first: Uint8Array
    if (fixed) {
      await this.select(file)
      first = (await this.block(file, 0, 8, undefined)).data
    } else {
      first = (await this.block(file, 0, this.maxShort(), file.sfi)).data
    }
    if (first.length === 0)
      throw new CounterError('EMRTD_LDS_MALFORMED', {
        params: { file: file.name, reason: 'empty' },
      })
    let total: number
    try {
      const h = readTlvHeader(first, 0)
      total = h.headerLength + h.length
    } catch {
      throw new CounterError('EMRTD_LDS_MALFORMED', {
        params: { file: file.name, reason: 'header' },
      })
    }
    if (total > MAX_FILE)
      throw new CounterError('EMRTD_LDS_MALFORMED', {
        params: { file: file.name, reason: 'too large' },
      })
    const parts: Uint8Array[] = [first.subarray(0, total)]
    let offset = Math.min(first.length, total)
    progress(offset, total)
    while (offset < total) {
      const remaining = total - offset
      let size: number
      if (fixed) size = Math.min(remaining, FIXED_BLOCK)
      else if (
        remaining > this.maxShort() &&
        this.extended !== false &&
        this.channel.readerExtended !== false
      )
        size = Math.min(remaining, this.maxExtended())
      else size = Math.min(remaining, this.maxShort())
      const { data, eof } = await this.block(file, offset, size, undefined)
      if (data.length === 0)
        throw new CounterError('EMRTD_LDS_MALFORMED', {
          params: { file: file.name, reason: `truncated at ${offset} of ${total}` },
        })
      const take = data.subarray(0, Math.min(data.length, total - offset))
      parts.push(take)
      offset += take.length
      // A chip that answers with less than asked has shown its buffer size.
      if (!fixed && !eof && take.length < size) {
        if (size <= 256) this.shortBlock = take.length
        else this.extendedBlock = take.length
      }
      progress(offset, total)
    }
    return concatBytes(...parts)
  }
}
