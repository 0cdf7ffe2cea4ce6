/**
 * Signatures by keys given as X.509 SubjectPublicKeyInfo: ECDSA on P-256 / P-384 and RSA PKCS#1
 * v1.5, through node:crypto (BoringSSL has both, so Electron behaves the same). SM2 is deliberately
 * absent: an SPKI on the SM2 curve goes to `sm.ts`, never to node:crypto, whose "ECDSA" on that
 * curve is not SM2.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto'

export type ShaName = 'sha1' | 'sha256' | 'sha384' | 'sha512'
export type SpkiAlgorithm = 'ecdsa' | 'rsa-pkcs1'

export function secureRandom(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length))
}

function publicKey(spki: Uint8Array): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })
  } catch {
    return undefined
  }
}

/**
 * Verifies a signature over `data` (hashed here with `hash`). ECDSA signatures are DER
 * `SEQUENCE {r, s}`. Anything malformed is simply not valid.
 */
export function spkiVerify(
  algorithm: SpkiAlgorithm,
  hash: ShaName,
  spki: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = publicKey(spki)
  if (!key) return false
  const type = key.asymmetricKeyType
  if (algorithm === 'ecdsa' && type !== 'ec') return false
  if (algorithm === 'rsa-pkcs1' && type !== 'rsa') return false
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    if (curve !== 'prime256v1' && curve !== 'secp384r1') return false
  }
  try {
    return nodeVerify(
      hash,
      data,
      algorithm === 'ecdsa' ? { key, dsaEncoding: 'der' } : key,
      signature,
    )
  } catch {
    return false
  }
}

/** A software signing key on P-256 / P-384 or RSA, for the training CA and the tests' tokens. */
export interface SoftwareSigningKey {
  readonly algorithm: SpkiAlgorithm
  /** PKCS#8 DER. */
  readonly privateKey: Uint8Array
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array
}

export function generateSigningKey(kind: 'P-256' | 'P-384' | 'RSA-2048'): SoftwareSigningKey {
  const pair =
    kind === 'RSA-2048'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: kind === 'P-256' ? 'prime256v1' : 'secp384r1' })
  return {
    algorithm: kind === 'RSA-2048' ? 'rsa-pkcs1' : 'ecdsa',
    privateKey: new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
    spki: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
  }
}

/** Signs `data` (hashed here); ECDSA signatures come out DER-encoded. */
export function softwareSign(key: SoftwareSigningKey, hash: ShaName, data: Uint8Array): Uint8Array {
  const k = createPrivateKey({ key: Buffer.from(key.privateKey), format: 'der', type: 'pkcs8' })
  return new Uint8Array(
    nodeSign(hash, data, key.algorithm === 'ecdsa' ? { key: k, dsaEncoding: 'der' } : k),
  )
}
