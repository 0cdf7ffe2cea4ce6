/**
 * The card side of vsmartcard's vpcd: a TCP client that connects to the virtual reader
 * (localhost:35963 by default) and answers its messages — 2-byte big-endian length, then either a
 * one-byte control (0 power off, 1 power on, 2 reset, 4 get ATR) or a C-APDU. Connecting means
 * "card placed" to pcscd; closing means "card removed".
 */
import { connect, type Socket } from 'node:net'
import type { EmrtdChip } from './chip'

export interface VpcdCardOptions {
  readonly host?: string
  readonly port?: number
  /** Added before each answer, to model a slow chip (ms). */
  readonly delayMs?: number
}

export class VpcdCard {
  private socket: Socket | undefined
  private buffer = Buffer.alloc(0)
  private queue: Promise<void> = Promise.resolve()
  apdus = 0

  constructor(
    private readonly chip: EmrtdChip,
    private readonly options: VpcdCardOptions = {},
  ) {}

  get connected(): boolean {
    return !!this.socket && !this.socket.destroyed
  }

  /** Places the card on the virtual reader. Resolves once connected. */
  insert(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.options.port ?? 35963, this.options.host ?? '127.0.0.1')
      socket.setNoDelay(true)
      socket.once('connect', () => {
        this.socket = socket
        resolve()
      })
      socket.once('error', (error) => {
        if (!this.socket) reject(error)
      })
      socket.on('data', (chunk) => this.receive(chunk))
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined
      })
    })
  }

  /** Lifts the card. */
  async remove(): Promise<void> {
    const s = this.socket
    this.socket = undefined
    if (!s) return
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve())
      s.end()
      setTimeout(() => {
        s.destroy()
        resolve()
      }, 500).unref()
    })
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk])
    while (this.buffer.length >= 2) {
      const n = this.buffer.readUInt16BE(0)
      if (this.buffer.length < 2 + n) return
      const message = Uint8Array.from(this.buffer.subarray(2, 2 + n))
      this.buffer = this.buffer.subarray(2 + n)
      this.queue = this.queue.then(() => this.handle(message)).catch(() => undefined)
    }
  }

  private async handle(message: Uint8Array): Promise<void> {
    if (message.length === 1) {
      switch (message[0]) {
        case 0: // power off
        case 1: // power on
        case 2: // reset
          this.chip.reset()
          return
        case 4:
          this.send(this.chip.atr())
          return
        default:
          return
      }
    }
    this.apdus++
    const response = this.chip.process(message)
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs))
    this.send(response)
  }

  private send(payload: Uint8Array): void {
    const s = this.socket
    if (!s) return
    const header = Buffer.alloc(2)
    header.writeUInt16BE(payload.length)
    s.write(Buffer.concat([header, payload]))
  }
}
