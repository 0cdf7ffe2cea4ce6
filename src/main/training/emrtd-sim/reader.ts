/**
 * The simulated contactless reader slot in process: a chip can be laid on it and lifted, and
 * its transport applies a latency model — per-APDU overhead plus the bytes at the RF bit rate —
 * either by waiting (training mode, "slow chip") or by accounting only (the benchmark).
 */
import { CounterError } from '../../../shared/errors'
import type { CardTransport } from '../../devices/emrtd'
import type { EmrtdChip } from './chip'

export interface LatencyModel {
  /** Fixed cost of one APDU round trip (reader, chip processing, frame waiting), ms. */
  readonly apduMs: number
  /** RF bit rate: 106 000, 212 000, 424 000 or 848 000 bit/s. */
  readonly bitRate: number
  /** `sleep` really waits; `account` only adds up the modeled time. */
  readonly mode: 'sleep' | 'account'
}

/** ISO 14443 sends each byte as 8 data bits plus parity/start/stop framing: about 10 bits. */
export const BITS_PER_BYTE = 10

export function rfMs(bytes: number, bitRate: number): number {
  return ((bytes * BITS_PER_BYTE) / bitRate) * 1000
}

export class SimulatedReader {
  private chip: EmrtdChip | undefined
  private readonly listeners = new Set<(present: boolean) => void>()
  /** Modeled link time, summed: per-APDU overhead and RF transfer. */
  modeledMs = 0
  rfOnlyMs = 0
  apdus = 0

  constructor(
    private latency: LatencyModel | undefined = undefined,
    readonly extendedApdu = true,
  ) {}

  get current(): EmrtdChip | undefined {
    return this.chip
  }

  setLatency(latency: LatencyModel | undefined): void {
    this.latency = latency
  }

  onChange(listener: (present: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  place(chip: EmrtdChip): void {
    chip.reset()
    this.chip = chip
    for (const l of [...this.listeners]) l(true)
  }

  remove(): void {
    if (!this.chip) return
    this.chip = undefined
    for (const l of [...this.listeners]) l(false)
  }

  resetCounters(): void {
    this.modeledMs = 0
    this.rfOnlyMs = 0
    this.apdus = 0
  }

  transport(): CardTransport {
    const chip = this.chip
    return {
      extendedApdu: this.extendedApdu,
      transmit: async (apdu, signal) => {
        if (signal?.aborted || !chip || this.chip !== chip)
          throw new CounterError('EMRTD_CARD_REMOVED')
        const response = chip.process(apdu)
        this.apdus++
        const latency = this.latency
        if (latency) {
          const rf = rfMs(apdu.length + response.length, latency.bitRate)
          const ms = latency.apduMs + rf
          this.modeledMs += ms
          this.rfOnlyMs += rf
          if (latency.mode === 'sleep') await new Promise((r) => setTimeout(r, ms))
        } else await new Promise<void>((r) => setImmediate(r))
        if (this.chip !== chip) throw new CounterError('EMRTD_CARD_REMOVED')
        return response
      },
    }
  }
}
