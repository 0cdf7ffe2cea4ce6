/**
 * The SHA family by name, as ICAO security objects and signature algorithms name them. node:crypto
 * hashes exist in BoringSSL too, so this is safe in Electron.
 */
import { createHash } from 'node:crypto'

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512'

export const HASH_LENGTH: Readonly<Record<HashName, number>> = {
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
}

export function digest(name: HashName, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash(name)
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}
