/**
 * Public keys in certificates and the signatures they verify: SM2 (with SM3 and the default
 * signer ID) on the pure-JS backend, ECDSA and RSA through node:crypto. An SM2-curve key is only
 * ever used for SM2, whatever algorithm a certificate claims.
 */
import {
  derToRawSignature,
  sm2IsValidPublicKey,
  sm2Verify,
  spkiVerify,
  type ShaName,
} from '../crypto'
import {
  bitString,
  bitStringBytes,
  children,
  decodeOid,
  expectTag,
  oid,
  readOne,
  seq,
  Tag,
  type Tlv,
} from './asn1'
import { OID } from './oids'

export type KeyAlgorithm = 'sm2' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa' | 'unsupported'

export interface PublicKeyInfo {
  readonly algorithm: KeyAlgorithm
  /** The whole SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array
  /** The key itself: the uncompressed EC point, or the RSA public key DER. */
  readonly key: Uint8Array
  /** Key size in bits (RSA modulus, or the curve's field). */
  readonly bits: number
  readonly algorithmOid: string
}

function rsaBits(key: Uint8Array): number {
  try {
    const [n] = children(readOne(key), 2)
    let m = expectTag(n, Tag.INTEGER, 'modulus').value
    while (m.length > 1 && m[0] === 0) m = m.subarray(1)
    return m.length * 8
  } catch {
    return 0
  }
}

export function parsePublicKeyInfo(tlv: Tlv): PublicKeyInfo {
  const [algTlv, keyTlv] = children(expectTag(tlv, Tag.SEQUENCE, 'public key info'), 3)
  const [algOidTlv, paramsTlv] = children(expectTag(algTlv, Tag.SEQUENCE, 'key algorithm'), 3)
  const algorithmOid = decodeOid(expectTag(algOidTlv, Tag.OID, 'key algorithm'))
  const key = bitStringBytes(expectTag(keyTlv, Tag.BIT_STRING, 'public key'))
  const curve = paramsTlv?.tag === Tag.OID ? decodeOid(paramsTlv) : undefined
  let algorithm: KeyAlgorithm = 'unsupported'
  let bits = 0
  if (algorithmOid === OID.rsaEncryption) {
    algorithm = 'rsa'
    bits = rsaBits(key)
  } else if (algorithmOid === OID.sm2 || (algorithmOid === OID.ecPublicKey && curve === OID.sm2)) {
    algorithm = 'sm2'
    bits = 256
  } else if (algorithmOid === OID.ecPublicKey && curve === OID.prime256v1) {
    algorithm = 'ecdsa-p256'
    bits = 256
  } else if (algorithmOid === OID.ecPublicKey && curve === OID.secp384r1) {
    algorithm = 'ecdsa-p384'
    bits = 384
  }
  return { algorithm, spki: tlv.raw, key, bits, algorithmOid }
}

/** An SM2 public key (65-byte uncompressed point) as SubjectPublicKeyInfo. */
export function sm2Spki(point: Uint8Array): Uint8Array {
  return seq(seq(oid(OID.ecPublicKey), oid(OID.sm2)), bitString(point))
}

export type SignatureAlgorithm =
  | 'sm2-sm3'
  | 'ecdsa-sha256'
  | 'ecdsa-sha384'
  | 'rsa-sha1'
  | 'rsa-sha256'
  | 'rsa-sha384'
  | 'rsa-sha512'

const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  [OID.sm2WithSm3]: 'sm2-sm3',
  [OID.ecdsaWithSha256]: 'ecdsa-sha256',
  [OID.ecdsaWithSha384]: 'ecdsa-sha384',
  [OID.sha1WithRsa]: 'rsa-sha1',
  [OID.sha256WithRsa]: 'rsa-sha256',
  [OID.sha384WithRsa]: 'rsa-sha384',
  [OID.sha512WithRsa]: 'rsa-sha512',
}

export const SIGNATURE_ALGORITHM_OIDS: Readonly<Record<SignatureAlgorithm, string>> = {
  'sm2-sm3': OID.sm2WithSm3,
  'ecdsa-sha256': OID.ecdsaWithSha256,
  'ecdsa-sha384': OID.ecdsaWithSha384,
  'rsa-sha1': OID.sha1WithRsa,
  'rsa-sha256': OID.sha256WithRsa,
  'rsa-sha384': OID.sha384WithRsa,
  'rsa-sha512': OID.sha512WithRsa,
}

export function signatureAlgorithmOf(oidValue: string): SignatureAlgorithm | undefined {
  return SIGNATURE_ALGORITHMS[oidValue]
}

/** The AlgorithmIdentifier's OID; parameters are ignored (NULL for RSA, absent otherwise). */
export function parseAlgorithmIdentifier(tlv: Tlv): string {
  const [id] = children(expectTag(tlv, Tag.SEQUENCE, 'algorithm'), 3)
  return decodeOid(expectTag(id, Tag.OID, 'algorithm'))
}

/** The AlgorithmIdentifier to write for a signature algorithm. */
export function algorithmIdentifier(alg: SignatureAlgorithm): Uint8Array {
  const id = oid(SIGNATURE_ALGORITHM_OIDS[alg])
  return alg.startsWith('rsa') ? seq(id, Uint8Array.of(Tag.NULL, 0)) : seq(id)
}

/**
 * Verifies `signature` (as a certificate or CRL carries it: DER for ECDSA/SM2) over `data` with
 * the key. False for any mismatch of algorithm and key, or malformed input; never throws.
 */
export function verifySignature(
  alg: SignatureAlgorithm,
  key: PublicKeyInfo,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  switch (alg) {
    case 'sm2-sm3': {
      if (key.algorithm !== 'sm2' || !sm2IsValidPublicKey(key.key)) return false
      const raw = derToRawSignature(signature, 32)
      return !!raw && sm2Verify(data, raw, key.key)
    }
    case 'ecdsa-sha256':
    case 'ecdsa-sha384':
      if (key.algorithm !== 'ecdsa-p256' && key.algorithm !== 'ecdsa-p384') return false
      return spkiVerify(
        'ecdsa',
        alg === 'ecdsa-sha256' ? 'sha256' : 'sha384',
        key.spki,
        data,
        signature,
      )
    default: {
      if (key.algorithm !== 'rsa') return false
      const hash = alg.slice(4) as ShaName
      return spkiVerify('rsa-pkcs1', hash, key.spki, data, signature)
    }
  }
}
