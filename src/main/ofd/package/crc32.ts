/**
 * CRC-32 (IEEE 802.3, as zip and PNG use it), from zlib: native in Node and in Electron alike, and
 * many times faster than a table walk in JavaScript over every inflated byte of a package.
 */
import { crc32 as zlibCrc32 } from 'node:zlib'

export function crc32(data: Uint8Array, seed = 0): number {
  return zlibCrc32(data, seed) >>> 0
}
