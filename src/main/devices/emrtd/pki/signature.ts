/**
 * Signature verification by algorithm identifier, for SignerInfos and certificates: RSA PKCS#1
 * v1.5 (named with its hash, or plain rsaEncryption with the SignerInfo's digest), RSASSA-PSS with
 * its own parameters, and ECDSA (X9.62 DER, or BSI plain r‖s) on any curve the key names.
 */
import { CounterError } from '../../../../shared/errors'
import {
  derToRawSignature,
  digest,
  ecdsaSignatureLength,
  ecdsaVerifyDigest,
  rsaVerifyPkcs1v15,
  rsaVerifyPss,
  type HashName,
} from '../../../crypto'
import { TAG } from '../asn1'
import { ECDSA_OIDS, ECDSA_PLAIN_OIDS, HASH_OIDS, OID, RSA_PKCS1_OIDS } from '../oids'
import type { PublicKey } from '../spki'
import { parseAlgorithm, type AlgorithmId } from './x509'

export interface PssParameters {
  readonly hash: HashName
  readonly mgfHash: HashName
  readonly saltLength: number
}

function hashFromOid(oid: string): HashName {
  const h = HASH_OIDS[oid]
  if (!h) throw new CounterError('EMRTD_UNSUPPORTED', { params: { what: `hash ${oid}` } })
  return h
}

/** RSASSA-PSS-params with RFC 4055 defaults (SHA-1, MGF1-SHA-1, salt 20). */
export function parsePssParams(alg: AlgorithmId): PssParameters {
  let hash: HashName = 'sha1'
  let mgfHash: HashName = 'sha1'
  let saltLength = 20
  const p = alg.params
  if (p && p.tag === TAG.SEQUENCE) {
    for (const field of p.children()) {
      const inner = field.inner('RSASSA-PSS parameter')
      if (field.tag === 0xa0) hash = hashFromOid(parseAlgorithm(inner).oid)
      else if (field.tag === 0xa1) {
        const mgf = parseAlgorithm(inner)
        if (mgf.oid !== OID.mgf1 || !mgf.params)
          throw new CounterError('EMRTD_UNSUPPORTED', { params: { what: 'PSS mask generation' } })
        mgfHash = hashFromOid(parseAlgorithm(mgf.params).oid)
      } else if (field.tag === 0xa2) saltLength = inner.int('saltLength')
    }
  }
  return { hash, mgfHash, saltLength }
}

/**
 * Human-readable algorithm name for the verification report. Never throws: it names what a
 * report shows even when the parameters are unusable (verifying them is verifySignature's job).
 */
export function describeAlgorithm(alg: AlgorithmId, digestHint?: HashName): string {
  if (RSA_PKCS1_OIDS[alg.oid]) return `RSA-${RSA_PKCS1_OIDS[alg.oid]!.toUpperCase()}`
  if (alg.oid === OID.rsaEncryption) return `RSA-${(digestHint ?? 'sha256').toUpperCase()}`
  if (alg.oid === OID.rsaPss) {
    try {
      return `RSASSA-PSS-${parsePssParams(alg).hash.toUpperCase()}`
    } catch (error) {
      if (error instanceof CounterError) return 'RSASSA-PSS (unsupported parameters)'
      throw error
    }
  }
  const ec = ECDSA_OIDS[alg.oid] ?? ECDSA_PLAIN_OIDS[alg.oid]
  if (ec) return `ECDSA-${ec.toUpperCase()}`
  if (alg.oid === OID.ecPublicKey) return `ECDSA-${(digestHint ?? 'sha256').toUpperCase()}`
  return alg.oid
}

/**
 * Verifies `signature` over `data`. `digestHint` is the SignerInfo's digest algorithm, used when
 * the signature algorithm does not name a hash (rsaEncryption, ecPublicKey). Returns false for a
 * wrong signature or a key of the wrong kind; throws EMRTD_UNSUPPORTED for unknown algorithms.
 */
export function verifySignature(
  alg: AlgorithmId,
  key: PublicKey,
  data: Uint8Array,
  signature: Uint8Array,
  digestHint?: HashName,
): boolean {
  const pkcs1 =
    RSA_PKCS1_OIDS[alg.oid] ??
    (alg.oid === OID.rsaEncryption ? (digestHint ?? 'sha256') : undefined)
  if (pkcs1) {
    if (key.kind !== 'rsa') return false
    return rsaVerifyPkcs1v15(key.key, pkcs1, digest(pkcs1, data), signature)
  }
  if (alg.oid === OID.rsaPss) {
    if (key.kind !== 'rsa') return false
    const p = parsePssParams(alg)
    return rsaVerifyPss(key.key, digest(p.hash, data), signature, p)
  }
  const ecDer =
    ECDSA_OIDS[alg.oid] ?? (alg.oid === OID.ecPublicKey ? (digestHint ?? 'sha256') : undefined)
  const ecPlain = ECDSA_PLAIN_OIDS[alg.oid]
  if (ecDer || ecPlain) {
    if (key.kind !== 'ec') return false
    const size = ecdsaSignatureLength(key.curve) / 2
    const raw = ecPlain ? signature : derToRawSignature(signature, size)
    if (!raw) return false
    return ecdsaVerifyDigest(key.curve, key.point, digest((ecDer ?? ecPlain)!, data), raw)
  }
  throw new CounterError('EMRTD_UNSUPPORTED', { params: { what: `signature ${alg.oid}` } })
}
