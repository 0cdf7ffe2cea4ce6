/** Writes a file so that a reader never sees half of it: a temporary name, fsync, then rename. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

export function writeFileAtomic(file: string, chunks: Iterable<string | Uint8Array>): number {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  let bytes = 0
  const fd = openSync(tmp, 'w')
  try {
    for (const c of chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c, 'utf8') : c
      let off = 0
      while (off < buf.length) off += writeSync(fd, buf, off)
      bytes += buf.length
    }
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw error
  }
  closeSync(fd)
  renameSync(tmp, file)
  return bytes
}
