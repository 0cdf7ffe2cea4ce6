/**
 * Every configured CA-key library behind one service: which keys are in, what they hold, and a
 * stream of insertions and removals. Each library is also a device in the status bar: ready once
 * its library is loaded (keys come and go; that is no fault), error when it will not load.
 */
import { CounterError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { DeviceDriver, DeviceReporter } from '../manager'
import type { PinStatus, TokenInfo, TokenKey, TokenProvider, TokenSession } from './types'

export interface CaKeyEvent {
  readonly type: 'inserted' | 'removed'
  readonly token: TokenInfo
}

export type CaKeyListener = (event: CaKeyEvent) => void

export class CaKeyService {
  private readonly present = new Map<string, { info: TokenInfo; provider: TokenProvider }>()
  private readonly listeners = new Set<CaKeyListener>()
  private readonly opened = new Set<TokenProvider>()

  constructor(
    readonly providers: readonly TokenProvider[],
    private readonly logger: Logger,
  ) {}

  on(listener: CaKeyListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(event: CaKeyEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event)
      } catch (error) {
        this.logger.error('CA key listener failed', { error })
      }
    }
  }

  /** The keys in right now. */
  tokens(): TokenInfo[] {
    return [...this.present.values()].map((p) => p.info)
  }

  token(tokenId: string): TokenInfo | undefined {
    return this.present.get(tokenId)?.info
  }

  private provider(tokenId: string): TokenProvider {
    const entry = this.present.get(tokenId)
    if (entry) return entry.provider
    const byPrefix = this.providers.find(
      (p) => this.opened.has(p) && tokenId.startsWith(p.id + '/'),
    )
    if (!byPrefix) throw new CounterError('CAKEY_TOKEN_NOT_FOUND', { params: { id: tokenId } })
    return byPrefix
  }

  keys(tokenId: string): Promise<TokenKey[]> {
    return this.provider(tokenId).keys(tokenId)
  }

  pinStatus(tokenId: string, keyRef: string): Promise<PinStatus> {
    return this.provider(tokenId).pinStatus(tokenId, keyRef)
  }

  login(tokenId: string, keyRef: string, pin: string): Promise<TokenSession> {
    return this.provider(tokenId).login(tokenId, keyRef, pin)
  }

  /** Re-reads every open library's keys (after a missed event, or on demand). */
  async refresh(): Promise<TokenInfo[]> {
    for (const provider of this.opened) await this.resync(provider)
    return this.tokens()
  }

  private async resync(provider: TokenProvider): Promise<void> {
    let infos: TokenInfo[]
    try {
      infos = await provider.tokens()
    } catch (error) {
      this.logger.warn('CA key enumeration failed', {
        provider: provider.id,
        code: error instanceof CounterError ? error.code : String(error),
      })
      return
    }
    const ids = new Set(infos.map((i) => i.id))
    for (const [id, entry] of [...this.present]) {
      if (entry.provider === provider && !ids.has(id)) {
        this.present.delete(id)
        this.emit({ type: 'removed', token: entry.info })
      }
    }
    for (const info of infos) {
      if (!this.present.has(info.id)) {
        this.present.set(info.id, { info, provider })
        this.emit({ type: 'inserted', token: info })
      }
    }
  }

  /** One status-bar device per library. */
  drivers(): DeviceDriver[] {
    return this.providers.map((provider) => ({
      id: `cakey-${provider.id}`,
      kind: 'cakey' as const,
      label: provider.simulated ? 'CA 证书（模拟）' : `CA 证书（${provider.label}）`,
      simulated: provider.simulated,
      start: async (report: DeviceReporter) => {
        try {
          await provider.open()
        } catch (error) {
          const code = error instanceof CounterError ? error.code : 'CAKEY_LIBRARY_LOAD_FAILED'
          report.state('error', code)
          if (error instanceof CounterError) report.notice(error)
          return { stop: async () => {} }
        }
        this.opened.add(provider)
        report.state('ready')
        await this.resync(provider)
        const unwatch = provider.watch((event) => {
          if (event.type === 'removed') {
            const entry = this.present.get(event.tokenId)
            if (entry) {
              this.present.delete(event.tokenId)
              this.emit({ type: 'removed', token: entry.info })
            }
          } else {
            void this.resync(provider)
          }
        })
        return {
          stop: async () => {
            unwatch()
            this.opened.delete(provider)
            for (const [id, entry] of [...this.present])
              if (entry.provider === provider) this.present.delete(id)
            await provider.close().catch(() => undefined)
          },
        }
      },
    }))
  }
}
