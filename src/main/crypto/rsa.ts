/**
 * RSA signatures as ICAO security objects use them: PKCS#1 v1.5 and RSASSA-PSS with any MGF1
 * hash and salt length (the SignerInfo decides, not the certificate), and the raw public
 * operation Active Authentication's ISO 9796-2 recovery needs. Verification is BigInt arithmetic
 * over node:crypto digests, so it behaves the same under Electron.
 */
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { bigIntToBytes, byteLengthOf, bitLengthOf, bytesToBigInt, modPow } from './bigint'
import { concatBytes } from './bytes'
import { digest, HASH_LENGTH, type HashName } from './digest'

export interface RsaPublicKey {
  readonly n: bigint
  readonly e: bigint
}

export interface RsaPrivateKey extends RsaPublicKey {
  readonly d: bigint
  readonly p: bigint
  readonly q: bigint
  readonly dp: bigint
  readonly dq: bigint
  readonly qi: bigint
}

export function rsaModulusLength(key: RsaPublicKey): number {
  return byteLengthOf(key.n)
}

/** s^e mod n as k bytes; undefined when s is not a valid signature representative. */
export function rsaPublicOp(key: RsaPublicKey, signature: Uint8Array): Uint8Array | undefined {
  const k = rsaModulusLength(key)
  if (signature.length !== k) return undefined
  const s = bytesToBigInt(signature)
  if (s >= key.n) return undefined
  return bigIntToBytes(modPow(s, key.e, key.n), k)
}

/** m^d mod n with the CRT, as k bytes. */
export function rsaPrivateOp(key: RsaPrivateKey, message: Uint8Array): Uint8Array {
  const m = bytesToBigInt(message)
  if (m >= key.n) throw new RangeError('message representative out of range')
  const m1 = modPow(m, key.dp, key.p)
  const m2 = modPow(m, key.dq, key.q)
  const hh = (key.qi * (((m1 - m2) % key.p) + key.p)) % key.p
  return bigIntToBytes(m2 + hh * key.q, rsaModulusLength(key))
}

const DIGEST_INFO: Readonly<Record<HashName, string>> = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
}

function fromHex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'))
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The DER DigestInfo that PKCS#1 v1.5 signs (with the NULL parameters): what a token's raw
 * RSA PKCS#1 sign call (CKM_RSA_PKCS, SKF_RSASignData) is given.
 */
export function pkcs1DigestInfo(hash: HashName, hashValue: Uint8Array): Uint8Array {
  return concatBytes(fromHex(DIGEST_INFO[hash]), hashValue)
}

/** DigestInfo with, and (tolerated in old signers) without, the NULL parameters. */
function digestInfos(hash: HashName, hashValue: Uint8Array): Uint8Array[] {
  const withNull = fromHex(DIGEST_INFO[hash])
  const full = pkcs1DigestInfo(hash, hashValue)
  // Same prefix without `05 00`: outer and algorithm lengths shrink by two.
  const noNull = Uint8Array.from(
    withNull.filter((_, i) => i !== withNull.length - 4 && i !== withNull.length - 3),
  )
  noNull[1] = noNull[1]! - 2
  noNull[3] = noNull[3]! - 2
  return [full, concatBytes(noNull, hashValue)]
}

function pkcs1Encode(t: Uint8Array, k: number): Uint8Array | undefined {
  if (t.length + 11 > k) return undefined
  const em = new Uint8Array(k).fill(0xff)
  em[0] = 0
  em[1] = 1
  em[k - t.length - 1] = 0
  em.set(t, k - t.length)
  return em
}

export function rsaVerifyPkcs1v15(
  key: RsaPublicKey,
  hash: HashName,
  hashValue: Uint8Array,
  signature: Uint8Array,
): boolean {
  const em = rsaPublicOp(key, signature)
  if (!em) return false
  return digestInfos(hash, hashValue).some((t) => {
    const expected = pkcs1Encode(t, em.length)
    return !!expected && equal(expected, em)
  })
}

export function rsaSignPkcs1v15(
  key: RsaPrivateKey,
  hash: HashName,
  hashValue: Uint8Array,
): Uint8Array {
  const em = pkcs1Encode(digestInfos(hash, hashValue)[0]!, rsaModulusLength(key))
  if (!em) throw new RangeError('key too short for this digest')
  return rsaPrivateOp(key, em)
}

export function mgf1(hash: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  const counter = new Uint8Array(4)
  for (let i = 0, off = 0; off < length; i++) {
    new DataView(counter.buffer).setUint32(0, i)
    const block = digest(hash, seed, counter)
    out.set(block.subarray(0, Math.min(block.length, length - off)), off)
    off += block.length
  }
  return out
}

export interface PssParams {
  readonly hash: HashName
  readonly mgfHash: HashName
  /** The salt length the parameters state; ICAO's default is 20, signers commonly use the hash length. */
  readonly saltLength: number
}

export function rsaVerifyPss(
  key: RsaPublicKey,
  hashValue: Uint8Array,
  signature: Uint8Array,
  params: PssParams,
): boolean {
  const hLen = HASH_LENGTH[params.hash]
  if (hashValue.length !== hLen) return false
  const emBits = bitLengthOf(key.n) - 1
  const emLen = Math.ceil(emBits / 8)
  const raw = rsaPublicOp(key, signature)
  if (!raw) return false
  // EM is emLen bytes; a modulus of 8k+1 bits gives a leading zero byte to drop.
  if (raw.length > emLen && raw[0] !== 0) return false
  const em = raw.subarray(raw.length - emLen)
  const sLen = params.saltLength
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false
  const maskedDb = em.subarray(0, emLen - hLen - 1)
  const hh = em.subarray(emLen - hLen - 1, emLen - 1)
  const topBits = 8 * emLen - emBits
  if (topBits > 0 && maskedDb[0]! >> (8 - topBits) !== 0) return false
  const db = mgf1(params.mgfHash, hh, maskedDb.length)
  for (let i = 0; i < db.length; i++) db[i]! ^= maskedDb[i]!
  if (topBits > 0) db[0]! &= 0xff >> topBits
  const psLen = emLen - hLen - sLen - 2
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false
  if (db[psLen] !== 0x01) return false
  const salt = db.subarray(db.length - sLen)
  const mPrime = new Uint8Array(8 + hLen + sLen)
  mPrime.set(hashValue, 8)
  mPrime.set(salt, 8 + hLen)
  return equal(digest(params.hash, mPrime), hh)
}

export function rsaSignPss(key: RsaPrivateKey, hashValue: Uint8Array, params: PssParams) {
  const hLen = HASH_LENGTH[params.hash]
  const emBits = bitLengthOf(key.n) - 1
  const emLen = Math.ceil(emBits / 8)
  const salt = new Uint8Array(randomBytes(params.saltLength))
  const mPrime = new Uint8Array(8 + hLen + salt.length)
  mPrime.set(hashValue, 8)
  mPrime.set(salt, 8 + hLen)
  const hh = digest(params.hash, mPrime)
  const db = new Uint8Array(emLen - hLen - 1)
  db[db.length - salt.length - 1] = 0x01
  db.set(salt, db.length - salt.length)
  const mask = mgf1(params.mgfHash, hh, db.length)
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!
  db[0]! &= 0xff >> (8 * emLen - emBits)
  const em = new Uint8Array(rsaModulusLength(key))
  em.set(db, em.length - emLen)
  em.set(hh, em.length - hLen - 1)
  em[em.length - 1] = 0xbc
  return rsaPrivateOp(key, em)
}

const b64u = (s: string | undefined) =>
  bytesToBigInt(new Uint8Array(Buffer.from(s ?? '', 'base64url')))

/** A fresh key pair (the chip simulator's document signers and Active Authentication keys). */
export function rsaGenerateKey(bits: number, publicExponent = 65537): RsaPrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent })
  const jwk = privateKey.export({ format: 'jwk' })
  return {
    n: b64u(jwk.n),
    e: b64u(jwk.e),
    d: b64u(jwk.d),
    p: b64u(jwk.p),
    q: b64u(jwk.q),
    dp: b64u(jwk.dp),
    dq: b64u(jwk.dq),
    qi: b64u(jwk.qi),
  }
}
