/**
 * One call at a time into a vendor library. Token middleware is rarely thread-safe, and FFI calls
 * run on worker threads, so every call waits for the one before it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task)
    this.tail = next.catch(() => undefined)
    return next
  }
}
