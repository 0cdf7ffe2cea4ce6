/**
 * A small PC/SC client on top of the FFI declarations: contexts, reader lists, waiting for
 * insertion and removal with SCardGetStatusChange, connecting, and transmitting APDUs with
 * extended length where the reader takes it. Return codes become typed errors.
 */
import { CounterError } from '../../../../shared/errors'
import { call, pcscLibrary, type Handle, type PcscLibrary, type ReaderStateIn } from './library'

const SCARD = {
  S_SUCCESS: 0,
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_INSUFFICIENT_BUFFER: 0x80100008,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_NO_SMARTCARD: 0x8010000c,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
  E_INVALID_PARAMETER: 0x80100004,
} as const

export const STATE = {
  UNAWARE: 0,
  IGNORE: 0x1,
  CHANGED: 0x2,
  UNKNOWN: 0x4,
  UNAVAILABLE: 0x8,
  EMPTY: 0x10,
  PRESENT: 0x20,
  MUTE: 0x200,
} as const

const SCOPE_SYSTEM = 2
const SHARE_SHARED = 2
const LEAVE_CARD = 0
const RESET_CARD = 1

function pcscError(code: number, what: string): CounterError {
  const hex = code.toString(16).toUpperCase().padStart(8, '0')
  switch (code) {
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
      return new CounterError('EMRTD_PCSC_UNAVAILABLE', { detail: `${what}: ${hex}` })
    case SCARD.W_REMOVED_CARD:
    case SCARD.E_NO_SMARTCARD:
    case SCARD.W_RESET_CARD:
    case SCARD.W_UNPOWERED_CARD:
      return new CounterError('EMRTD_CARD_REMOVED', { detail: `${what}: ${hex}` })
    case SCARD.W_UNRESPONSIVE_CARD:
      return new CounterError('EMRTD_TIMEOUT', { detail: `${what}: ${hex}` })
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
    case SCARD.E_NO_READERS_AVAILABLE:
      return new CounterError('EMRTD_NO_READER', { detail: `${what}: ${hex}` })
    default:
      return new CounterError('EMRTD_PCSC_ERROR', { params: { code: hex }, detail: what })
  }
}

export interface ReaderState {
  readonly reader: string
  readonly state: number
  readonly atr: Uint8Array
}

export function cardPresent(state: number): boolean {
  return (state & STATE.PRESENT) !== 0 && (state & STATE.MUTE) === 0
}

/** One PC/SC context. Calls on it are serialised by the caller (one waiter at a time). */
export class PcscContext {
  private constructor(
    private readonly lib: PcscLibrary,
    private handle: Handle | undefined,
  ) {}

  static async establish(): Promise<PcscContext> {
    let lib: PcscLibrary
    try {
      lib = pcscLibrary()
    } catch (cause) {
      throw new CounterError('EMRTD_PCSC_UNAVAILABLE', {
        cause,
        detail: 'PC/SC library not loadable',
      })
    }
    const out: Handle[] = [0]
    const rc = await call(lib.establishContext, SCOPE_SYSTEM, null, null, out)
    if (rc !== SCARD.S_SUCCESS) throw pcscError(rc, 'SCardEstablishContext')
    return new PcscContext(lib, out[0]!)
  }

  private get ctx(): Handle {
    if (this.handle === undefined)
      throw new CounterError('EMRTD_PCSC_ERROR', { params: { code: 'released' } })
    return this.handle
  }

  async readers(): Promise<string[]> {
    const len = [0]
    let rc = await call(this.lib.listReaders, this.ctx, null, null, len)
    if (rc === SCARD.E_NO_READERS_AVAILABLE) return []
    if (rc !== SCARD.S_SUCCESS) throw pcscError(rc, 'SCardListReaders')
    const buf = new Uint8Array(Math.max(len[0]!, 2))
    len[0] = buf.length
    rc = await call(this.lib.listReaders, this.ctx, null, buf, len)
    if (rc === SCARD.E_NO_READERS_AVAILABLE) return []
    if (rc !== SCARD.S_SUCCESS) throw pcscError(rc, 'SCardListReaders')
    return Buffer.from(buf.subarray(0, len[0]))
      .toString('latin1')
      .split('\0')
      .filter((s) => s.length > 0)
  }

  /**
   * Waits until one of the readers differs from `known` (state per reader as last seen), or the
   * timeout passes (resolves with the same states), or `cancel()` is called.
   */
  async waitForChange(
    known: readonly ReaderState[],
    timeoutMs: number,
  ): Promise<{ states: ReaderState[]; timedOut: boolean }> {
    const states: ReaderStateIn[] = known.map((k) => ({
      szReader: k.reader,
      pvUserData: null,
      dwCurrentState: k.state & ~STATE.CHANGED,
      dwEventState: 0,
      cbAtr: 0,
      rgbAtr: new Array(this.lib.maxAtr).fill(0),
    }))
    const rc = await call(this.lib.getStatusChange, this.ctx, timeoutMs, states, states.length)
    if (rc === SCARD.E_TIMEOUT) return { states: [...known], timedOut: true }
    if (rc === SCARD.E_CANCELLED) return { states: [...known], timedOut: true }
    if (rc !== SCARD.S_SUCCESS) throw pcscError(rc, 'SCardGetStatusChange')
    return {
      states: states.map((s) => ({
        reader: s.szReader,
        state: s.dwEventState & ~STATE.CHANGED,
        atr: Uint8Array.from(s.rgbAtr.slice(0, Math.min(s.cbAtr, this.lib.maxAtr))),
      })),
      timedOut: false,
    }
  }

  /** Interrupts a pending waitForChange. */
  async cancel(): Promise<void> {
    if (this.handle !== undefined) await call(this.lib.cancel, this.handle).catch(() => 0)
  }

  async connect(reader: string): Promise<PcscCard> {
    const card: Handle[] = [0]
    const protocol = [0]
    const rc = await call(
      this.lib.connect,
      this.ctx,
      reader,
      SHARE_SHARED,
      this.lib.protocolT0 | this.lib.protocolT1,
      card,
      protocol,
    )
    if (rc !== SCARD.S_SUCCESS) throw pcscError(rc, 'SCardConnect')
    const c = new PcscCard(this.lib, card[0]!, protocol[0]!, reader)
    await c.readAtr()
    return c
  }

  async release(): Promise<void> {
    const h = this.handle
    this.handle = undefined
    if (h !== undefined) await call(this.lib.releaseContext, h).catch(() => 0)
  }
}

const RESPONSE_BUFFER = 65536 + 2

/** A connected card. `transmit` sends one APDU and returns the response with its status word. */
export class PcscCard {
  atr: Uint8Array = new Uint8Array(0)
  /** False once the reader refused an extended APDU; undefined until then. */
  extendedApdu: boolean | undefined
  private readonly buffer = new Uint8Array(RESPONSE_BUFFER)
  private busy: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly lib: PcscLibrary,
    private handle: Handle,
    private protocol: number,
    readonly reader: string,
  ) {}

  async readAtr(): Promise<void> {
    const nameLen = [256]
    const name = new Uint8Array(256)
    const state = [0]
    const proto = [0]
    const atr = new Uint8Array(this.lib.maxAtr)
    const atrLen = [atr.length]
    const rc = await call(this.lib.status, this.handle, name, nameLen, state, proto, atr, atrLen)
    if (rc !== SCARD.S_SUCCESS) throw pcscError(rc, 'SCardStatus')
    this.atr = atr.slice(0, atrLen[0])
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const run = this.busy.then(() => this.transmitNow(apdu))
    this.busy = run.catch(() => undefined)
    return run
  }

  private async transmitNow(apdu: Uint8Array): Promise<Uint8Array> {
    const len = [this.buffer.length]
    const rc = await call(
      this.lib.transmit,
      this.handle,
      { dwProtocol: this.protocol, cbPciLength: this.lib.pciLength },
      apdu,
      apdu.length,
      null,
      this.buffer,
      len,
    )
    const extended = apdu.length > 261 || (apdu.length > 4 && apdu[4] === 0 && apdu.length >= 7)
    if (rc !== SCARD.S_SUCCESS) {
      if (
        extended &&
        (rc === SCARD.E_INSUFFICIENT_BUFFER ||
          rc === SCARD.E_NOT_TRANSACTED ||
          rc === SCARD.E_INVALID_PARAMETER)
      ) {
        // The reader does not carry extended APDUs: answer as a card would, "wrong length".
        this.extendedApdu = false
        return Uint8Array.of(0x67, 0x00)
      }
      throw pcscError(rc, 'SCardTransmit')
    }
    if (extended) this.extendedApdu = true
    return this.buffer.slice(0, len[0])
  }

  /** Resets the card (a fresh start after a broken secure-messaging session). */
  async reset(): Promise<void> {
    const proto = [0]
    const rc = await call(
      this.lib.reconnect,
      this.handle,
      SHARE_SHARED,
      this.lib.protocolT0 | this.lib.protocolT1,
      RESET_CARD,
      proto,
    )
    if (rc !== SCARD.S_SUCCESS) throw pcscError(rc, 'SCardReconnect')
    this.protocol = proto[0]!
  }

  async disconnect(reset = false): Promise<void> {
    await call(this.lib.disconnect, this.handle, reset ? RESET_CARD : LEAVE_CARD).catch(() => 0)
  }
}
