/**
 * Active Authentication (Doc 9303 Part 11 §6.1): the chip signs a fresh challenge with the
 * private key whose public half is in DG15, proving it is not a copy. RSA signatures use
 * ISO/IEC 9796-2 scheme 1 (message recovery); ECDSA uses the hash DG14 names.
 */
import { randomBytes } from 'node:crypto'
import {
  bigIntToBytes,
  bytesToBigInt,
  derToRawSignature,
  digest,
  ecdsaSignatureLength,
  ecdsaVerifyDigest,
  HASH_LENGTH,
  rsaModulusLength,
  rsaPublicOp,
  type HashName,
  type RsaPublicKey,
} from '../../crypto'
import { SW, swHex } from './apdu'
import { concatBytes, equalBytes } from './bytes'
import type { ApduChannel } from './channel'
import { ECDSA_OIDS, ECDSA_PLAIN_OIDS } from './oids'
import type { ActiveAuthenticationInfo } from './security-infos'
import type { PublicKey } from './spki'

/** ISO/IEC 9796-2 trailers: 0xBC means SHA-1; 0x??CC names the hash. */
const TRAILER_HASH: Readonly<Record<number, HashName>> = {
  0x33: 'sha1',
  0x34: 'sha256',
  0x35: 'sha512',
  0x36: 'sha384',
  0x38: 'sha224',
}

/** Verifies an ISO 9796-2 scheme 1 signature over a message whose non-recoverable part is `m2`. */
export function verifyIso9796Signature(
  key: RsaPublicKey,
  m2: Uint8Array,
  signature: Uint8Array,
): boolean {
  let f = rsaPublicOp(key, signature)
  if (!f) return false
  // Some signers return n − s; the valid representative ends in nibble C.
  if ((f[f.length - 1]! & 0x0f) !== 0x0c) {
    const alt = key.n - bytesToBigInt(f)
    if (alt <= 0n) return false
    f = bigIntToBytes(alt, rsaModulusLength(key))
  }
  const k = f.length
  let hash: HashName
  let trailerLength: number
  if (f[k - 1] === 0xbc) {
    hash = 'sha1'
    trailerLength = 1
  } else if (f[k - 1] === 0xcc && TRAILER_HASH[f[k - 2]!]) {
    hash = TRAILER_HASH[f[k - 2]!]!
    trailerLength = 2
  } else return false
  const hLen = HASH_LENGTH[hash]
  // Leading zero bytes come from a modulus that is not a whole number of bytes.
  let start = 0
  while (start < k && f[start] === 0) start++
  if ((f[start]! & 0xc0) !== 0x40) return false
  // Partial recovery (bit 0x20 set): header 0x6A then M1.
  if ((f[start]! & 0x20) === 0) return false
  const m1 = f.subarray(start + 1, k - trailerLength - hLen)
  const h = f.subarray(k - trailerLength - hLen, k - trailerLength)
  return equalBytes(digest(hash, concatBytes(m1, m2)), h)
}

export type ActiveAuthenticationResult =
  | { readonly state: 'passed'; readonly algorithm: string }
  | { readonly state: 'failed'; readonly algorithm: string; readonly reason: string }
  | { readonly state: 'not-supported' }

export function verifyActiveAuthentication(
  key: PublicKey,
  info: ActiveAuthenticationInfo | undefined,
  challenge: Uint8Array,
  signature: Uint8Array,
): ActiveAuthenticationResult {
  if (key.kind === 'rsa') {
    const ok = verifyIso9796Signature(key.key, challenge, signature)
    return ok
      ? { state: 'passed', algorithm: 'RSA ISO 9796-2' }
      : { state: 'failed', algorithm: 'RSA ISO 9796-2', reason: 'signature' }
  }
  if (key.kind === 'ec') {
    const oid = info?.signatureAlgorithm
    const hash = (oid && (ECDSA_PLAIN_OIDS[oid] ?? ECDSA_OIDS[oid])) || 'sha256'
    const algorithm = `ECDSA-${hash.toUpperCase()}`
    const size = ecdsaSignatureLength(key.curve)
    const raw = signature.length === size ? signature : derToRawSignature(signature, size / 2)
    const ok = !!raw && ecdsaVerifyDigest(key.curve, key.point, digest(hash, challenge), raw)
    return ok ? { state: 'passed', algorithm } : { state: 'failed', algorithm, reason: 'signature' }
  }
  return { state: 'not-supported' }
}

/** INTERNAL AUTHENTICATE with an 8-byte challenge, then the check above. */
export async function performActiveAuthentication(
  channel: ApduChannel,
  key: PublicKey,
  info: ActiveAuthenticationInfo | undefined,
  challenge: Uint8Array = new Uint8Array(randomBytes(8)),
): Promise<ActiveAuthenticationResult> {
  const r = await channel.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 })
  if (r.sw !== SW.OK || r.data.length === 0)
    return {
      state: 'failed',
      algorithm: key.kind === 'rsa' ? 'RSA ISO 9796-2' : 'ECDSA',
      reason: `sw-${swHex(r.sw)}`,
    }
  return verifyActiveAuthentication(key, info, challenge, r.data)
}
