/**
 * The APDU channel to one chip: encodes commands, sends them over a card transport, and applies
 * secure messaging once access control has established it. Counts every APDU (the benchmark's
 * figure) and can hand each exchange to an observer (transcripts).
 */
import { CounterError } from '../../../shared/errors'
import {
  encodeCommand,
  needsExtended,
  parseResponse,
  type CommandApdu,
  type ResponseApdu,
} from './apdu'
import type { SecureMessaging } from './sm'

/** Moves APDUs to and from a chip: a PC/SC card handle, or the simulator in process. */
export interface CardTransport {
  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>
  /** Whether the reader carries extended-length APDUs (undefined: not known). */
  readonly extendedApdu?: boolean | undefined
}

export type AccessControl = 'none' | 'BAC' | 'PACE'

export interface ChannelObserver {
  exchange(command: Uint8Array, response: Uint8Array): void
}

export class ApduChannel {
  private sm: SecureMessaging | undefined
  private access: AccessControl = 'none'
  /**
   * Set when, under secure messaging, the chip answered with a bare status word: chips do that
   * when they abandon the session, so the next command needs access control again.
   */
  sessionLost = false
  apduCount = 0
  bytesSent = 0
  bytesReceived = 0

  constructor(
    private readonly transport: CardTransport,
    private readonly signal?: AbortSignal,
    private readonly observer?: ChannelObserver,
  ) {}

  get secureMessaging(): SecureMessaging | undefined {
    return this.sm
  }

  get accessControl(): AccessControl {
    return this.access
  }

  get readerExtended(): boolean | undefined {
    return this.transport.extendedApdu
  }

  startSecureMessaging(sm: SecureMessaging, access?: AccessControl): void {
    this.sm = sm
    this.sessionLost = false
    if (access) this.access = access
  }

  stopSecureMessaging(): void {
    this.sm = undefined
    this.access = 'none'
  }

  /** Sends without secure messaging even when it is active (never needed by ICAO; for tests). */
  async sendRaw(bytes: Uint8Array): Promise<Uint8Array> {
    if (this.signal?.aborted) throw new CounterError('EMRTD_CARD_REMOVED', { detail: 'aborted' })
    this.apduCount++
    this.bytesSent += bytes.length
    const response = await this.transport.transmit(bytes, this.signal)
    this.bytesReceived += response.length
    this.observer?.exchange(bytes, response)
    return response
  }

  /** One command; `extended` forces the extended encoding of the (protected) APDU. */
  async send(cmd: CommandApdu, options: { extended?: boolean } = {}): Promise<ResponseApdu> {
    const extended = options.extended ?? needsExtended(cmd)
    const sm = this.sm
    const wire = sm ? sm.wrap(cmd, extended) : cmd
    let response = parseResponse(await this.sendRaw(encodeCommand(wire, extended && !!sm)))
    if (!sm) {
      // T=0 readers hand long answers over in pieces.
      let guard = 0
      while (response.sw >> 8 === 0x61 && guard++ < 256) {
        const more = parseResponse(
          await this.sendRaw(
            encodeCommand({ cla: 0, ins: 0xc0, p1: 0, p2: 0, ne: response.sw & 0xff || 256 }),
          ),
        )
        const joined = new Uint8Array(response.data.length + more.data.length)
        joined.set(response.data)
        joined.set(more.data, response.data.length)
        response = { data: joined, sw: more.sw }
      }
      return response
    }
    const plain = sm.unwrap(response)
    if (response.data.length === 0 && response.sw !== 0x9000) {
      this.sessionLost = true
      this.sm = undefined
    }
    return plain
  }
}
