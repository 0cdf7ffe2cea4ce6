/**
 * Which keys are in, as a provider learns it: by looking at its library's list now and then
 * (PKCS#11 always; SKF when its library cannot wait for events) and, for SKF, from single
 * insert/remove events. Each id that appears is reported inserted and each that goes away
 * removed, once — whichever way the provider found out.
 */
import type { Logger } from '../../log'
import type { TokenEvent } from './types'

export interface PresenceOptions {
  /** Called before a removal is reported (the provider drops its handles). */
  readonly onRemoved?: (tokenId: string) => void
  readonly logger?: Logger | undefined
  /** Names the provider in the log. */
  readonly what: string
}

export class Presence {
  private readonly known = new Set<string>()
  private looking = false

  constructor(
    private readonly report: (event: TokenEvent) => void,
    private readonly options: PresenceOptions,
  ) {}

  inserted(tokenId: string): void {
    this.known.add(tokenId)
    this.report({ type: 'inserted', tokenId })
  }

  removed(tokenId: string): void {
    this.known.delete(tokenId)
    this.options.onRemoved?.(tokenId)
    this.report({ type: 'removed', tokenId })
  }

  /**
   * Compares the list with what was known and reports the difference. One look at a time: a slow
   * library is not asked again while it still answers. A failing look changes nothing.
   */
  async look(list: () => Promise<Iterable<string>>): Promise<void> {
    if (this.looking) return
    this.looking = true
    try {
      const ids = new Set(await list())
      for (const id of ids) if (!this.known.has(id)) this.inserted(id)
      for (const id of [...this.known]) if (!ids.has(id)) this.removed(id)
    } catch (error) {
      this.options.logger?.debug(`${this.options.what} poll failed`, { error: String(error) })
    } finally {
      this.looking = false
    }
  }

  /** Looks now and every `intervalMs` until the returned function is called. */
  poll(list: () => Promise<Iterable<string>>, intervalMs: number): () => void {
    void this.look(list)
    const timer = setInterval(() => void this.look(list), intervalMs)
    timer.unref?.()
    return () => clearInterval(timer)
  }
}
