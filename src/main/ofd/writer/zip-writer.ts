/**
 * Writes a package: deflated entries with a fixed timestamp, so the same content always gives
 * the same bytes (reproducible files, stable hashes in tests).
 */
import { zipSync, type Zippable } from 'fflate'

const FIXED_TIME = new Date(Date.UTC(2020, 0, 1, 0, 0, 0))

export function writeZip(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const tree: Zippable = {}
  for (const [name, data] of files) {
    // Already-compressed media gains nothing from deflate.
    const stored = /\.(png|jpe?g|gif|dat|esl)$/i.test(name)
    tree[name] = [data, { level: stored ? 0 : 6, mtime: FIXED_TIME }]
  }
  return zipSync(tree)
}
