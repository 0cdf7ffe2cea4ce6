/**
 * SM2 signatures and SM3 digests (GM/T 0003, 0004; GB/T 32918, 32905) on a pure-JS backend,
 * because Electron's BoringSSL has neither and Node's `crypto.sign` with an SM2-curve key is plain
 * ECDSA, not SM2. Signatures are 64 bytes r‖s here; `der.ts` converts to and from ASN.1.
 */
import { sm2, sm3 as sm3Hex } from 'sm-crypto-v2'

/** The signer ID that GM/T 0009 makes the default. */
export const SM2_DEFAULT_USER_ID = '1234567812345678'

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'))

export interface Sm2KeyPair {
  /** 32 bytes. */
  readonly privateKey: Uint8Array
  /** 65 bytes, uncompressed (04‖x‖y). */
  readonly publicKey: Uint8Array
}

export function sm3(data: Uint8Array): Uint8Array {
  return fromHex(sm3Hex(data))
}

/** HMAC (RFC 2104) over SM3, as sm-crypto-v2 computes it (a key of any length). */
export function hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array {
  return fromHex(sm3Hex(data, { key, mode: 'hmac' }))
}

export function sm2GenerateKeyPair(): Sm2KeyPair {
  const k = sm2.generateKeyPairHex()
  return { privateKey: fromHex(k.privateKey.padStart(64, '0')), publicKey: fromHex(k.publicKey) }
}

export function sm2PublicKeyFromPrivate(privateKey: Uint8Array): Uint8Array {
  return fromHex(sm2.getPublicKeyFromPrivateKey(toHex(privateKey)))
}

export function sm2IsValidPublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return false
  try {
    return sm2.verifyPublicKey(toHex(publicKey))
  } catch {
    return false
  }
}

/** e = SM3(Z_A ‖ M): what a token's "sign digest" call (e.g. SKF_ECCSignData) is given. */
export function sm2MessageDigest(
  message: Uint8Array,
  publicKey: Uint8Array,
  userId = SM2_DEFAULT_USER_ID,
): Uint8Array {
  return fromHex(sm2.getHash(message, toHex(publicKey), userId))
}

function splitSignature(hex: string): Uint8Array {
  const sig = fromHex(hex.padStart(128, '0'))
  if (sig.length !== 64) throw new RangeError('SM2 signature must be 64 bytes')
  return sig
}

/** Signs a message: Z_A is computed from the public key and user ID, then SM3, then SM2. */
export function sm2Sign(
  message: Uint8Array,
  keys: Sm2KeyPair,
  userId = SM2_DEFAULT_USER_ID,
): Uint8Array {
  return splitSignature(
    sm2.doSignature(message, toHex(keys.privateKey), {
      hash: true,
      publicKey: toHex(keys.publicKey),
      userId,
    }),
  )
}

/** Signs a ready digest e (32 bytes), as tokens do. */
export function sm2SignDigest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  if (digest.length !== 32) throw new RangeError('SM2 digest must be 32 bytes')
  return splitSignature(sm2.doSignature(digest, toHex(privateKey), { hash: false }))
}
