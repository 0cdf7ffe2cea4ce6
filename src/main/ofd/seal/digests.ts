/**
 * Digest algorithms as seals and Signature.xml name them: by OID, or by name in any case
 * (`SM3`, `sha-256`). An unknown name is undefined — never a guess: a certificate digest or a
 * reference checked with the wrong algorithm would pass or fail for the wrong reason.
 */
import { createHash } from 'node:crypto'
import { sm3 } from '../../crypto'

export type Digest = (data: Uint8Array) => Uint8Array

const sha256: Digest = (d) => createHash('sha256').update(d).digest()
const sha1: Digest = (d) => createHash('sha1').update(d).digest()

const DIGESTS: Record<string, Digest> = {
  '1.2.156.10197.1.401': sm3,
  sm3,
  '2.16.840.1.101.3.4.2.1': sha256,
  sha256,
  'sha-256': sha256,
  '1.3.14.3.2.26': sha1,
  sha1,
  'sha-1': sha1,
}

export function digestByName(name: string): Digest | undefined {
  return DIGESTS[name.trim().toLowerCase()]
}
