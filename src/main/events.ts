/** The core's one event stream: the contract's events, typed, to any number of listeners. */
import type { EventName, EventPayload } from '../shared/api'

export type CoreListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export class CoreEvents {
  private readonly listeners = new Set<CoreListener>()

  on(listener: CoreListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, payload)
      } catch {
        // One broken listener (a closed window) must not starve the others.
      }
    }
  }
}
