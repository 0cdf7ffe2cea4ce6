/**
 * A duplex byte pipe: a serial port, a USB HID pipe after de-packetising, or an in-memory link to
 * a simulator. Protocols sit on top of this and never know which one they have.
 */
export interface ByteStream {
  write(bytes: Uint8Array): Promise<void>
  /** Subscribes to incoming bytes; returns the unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void
  /** Called once when the other side goes away (unplugged, closed). */
  onClose(listener: (error?: Error) => void): () => void
  close(): Promise<void>
}

type Listener<T extends unknown[]> = (...args: T) => void

/** A tiny listener set, so byte streams need no EventEmitter. */
export class Listeners<T extends unknown[]> {
  private readonly set = new Set<Listener<T>>()
  add(listener: Listener<T>): () => void {
    this.set.add(listener)
    return () => this.set.delete(listener)
  }
  emit(...args: T): void {
    for (const l of [...this.set]) l(...args)
  }
  clear(): void {
    this.set.clear()
  }
}

/**
 * Two connected in-memory streams. Delivery is asynchronous, as it is on a real wire, so a
 * simulator on one end cannot re-enter the host's code.
 */
export function createMemoryLink(): { host: ByteStream; device: ByteStream } {
  const toHost = new Listeners<[Uint8Array]>()
  const toDevice = new Listeners<[Uint8Array]>()
  const closed = new Listeners<[Error?]>()
  let open = true
  const end = (inbox: Listeners<[Uint8Array]>, outbox: Listeners<[Uint8Array]>): ByteStream => ({
    async write(bytes) {
      if (!open) throw new Error('link closed')
      const copy = bytes.slice()
      setImmediate(() => open && outbox.emit(copy))
    },
    onData: (l) => inbox.add(l),
    onClose: (l) => closed.add(l),
    async close() {
      if (!open) return
      open = false
      closed.emit()
      toHost.clear()
      toDevice.clear()
    },
  })
  return { host: end(toHost, toDevice), device: end(toDevice, toHost) }
}
