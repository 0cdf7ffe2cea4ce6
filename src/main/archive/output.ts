/**
 * Writes a PDF whole or not at all: into a temporary file beside the target, synced to disk, then
 * renamed. A crash or a cancel leaves no half-written copy under a real name.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import {
  closeSync,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { Transform } from 'node:stream'

export class AtomicOutput {
  private readonly tmp: string
  private readonly stream
  private readonly hash = createHash('sha256')
  private failure: Error | undefined
  private aborted = false
  /** What the producer writes into. */
  readonly sink: Transform

  /** `target` is the default final name; `commit` may give another in the same folder. */
  constructor(private readonly target: string) {
    mkdirSync(dirname(target), { recursive: true })
    this.tmp = `${target}.${process.pid}.tmp`
    this.stream = createWriteStream(this.tmp)
    this.sink = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.hash.update(chunk)
        cb(null, chunk)
      },
    })
    this.sink.pipe(this.stream)
    // A cancelled producer may still write into the destroyed sink; that error is the cancel
    // itself, not news. A real write failure is kept and reported by `commit`.
    const keep = (error: Error) => (this.failure ??= error)
    this.sink.on('error', keep)
    this.stream.on('error', keep)
  }

  /** After the producer has ended `sink`: syncs, renames, and reports the digest and size. */
  async commit(path = this.target): Promise<{ sha256: string; bytes: number }> {
    if (!this.stream.closed) await once(this.stream, 'close')
    if (this.failure) throw this.failure
    const fd = openSync(this.tmp, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(this.tmp, path)
    return { sha256: this.hash.digest('hex'), bytes: statSync(path).size }
  }

  abort(): void {
    if (this.aborted) return
    this.aborted = true
    this.sink.unpipe(this.stream)
    this.sink.destroy()
    this.stream.destroy()
    rmSync(this.tmp, { force: true })
  }
}
