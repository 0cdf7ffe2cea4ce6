/**
 * SM2 signatures with a deterministic nonce, for the training CA only: k is drawn as RFC 6979
 * §3.2 draws it (HMAC_DRBG seeded with the private key and the digest), with HMAC-SM3 in place
 * of HMAC-SHA-256. The same key and message then give the same signature, so the training
 * certificates — and their SHA-256 fingerprints, which a roster may pin — are byte for byte the
 * same on every start and in every process. Nothing with legal effect is signed this way: the
 * app's other SM2 signatures keep their random nonce.
 */
import {
  bigIntToBytes,
  bytesToBigInt,
  concatBytes,
  hmacSm3,
  modInverse,
  rawToDerSignature,
  sm2MessageDigest,
  sm2PublicKeyFromPrivate,
} from '../../crypto'

/** The order n of the SM2 curve's base point (GB/T 32918.5). */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n
const SIZE = 32

/** RFC 6979 §3.2 nonces for (key, digest): the first, then the next ones if one is unusable. */
export function* rfc6979Nonces(privateKey: Uint8Array, digest: Uint8Array): Generator<bigint> {
  const x = bigIntToBytes(bytesToBigInt(privateKey) % N, SIZE)
  const h = bigIntToBytes(bytesToBigInt(digest) % N, SIZE)
  let v: Uint8Array = new Uint8Array(SIZE).fill(0x01)
  let k: Uint8Array = new Uint8Array(SIZE)
  k = hmacSm3(k, concatBytes(v, Uint8Array.of(0x00), x, h))
  v = hmacSm3(k, v)
  k = hmacSm3(k, concatBytes(v, Uint8Array.of(0x01), x, h))
  v = hmacSm3(k, v)
  for (;;) {
    v = hmacSm3(k, v)
    const candidate = bytesToBigInt(v)
    if (candidate >= 1n && candidate < N) yield candidate
    k = hmacSm3(k, concatBytes(v, Uint8Array.of(0x00)))
    v = hmacSm3(k, v)
  }
}

/**
 * An SM2 signature (GB/T 32918.2 §6.1) with the default signer ID, r‖s, 64 bytes; the nonce
 * from `rfc6979Nonces` over e = SM3(Z_A ‖ M).
 */
export function deterministicSm2Sign(
  message: Uint8Array,
  privateKey: Uint8Array,
  publicKey: Uint8Array = sm2PublicKeyFromPrivate(privateKey),
): Uint8Array {
  const d = bytesToBigInt(privateKey)
  const digest = sm2MessageDigest(message, publicKey)
  const e = bytesToBigInt(digest)
  const inverse = modInverse(1n + d, N)
  for (const k of rfc6979Nonces(privateKey, digest)) {
    // (x1, y1) = [k]G: the "public key" of k.
    const x1 = bytesToBigInt(sm2PublicKeyFromPrivate(bigIntToBytes(k, SIZE)).subarray(1, 1 + SIZE))
    const r = (e + x1) % N
    if (r === 0n || r + k === N) continue
    const s = (((inverse * ((k - r * d) % N)) % N) + N) % N
    if (s === 0n) continue
    return concatBytes(bigIntToBytes(r, SIZE), bigIntToBytes(s, SIZE))
  }
  throw new Error('unreachable: the nonce generator never ends')
}

/** The same, DER-encoded as certificates and CRLs carry it. */
export const deterministicSm2SignDer = (
  message: Uint8Array,
  privateKey: Uint8Array,
  publicKey?: Uint8Array,
): Uint8Array => rawToDerSignature(deterministicSm2Sign(message, privateKey, publicKey))
