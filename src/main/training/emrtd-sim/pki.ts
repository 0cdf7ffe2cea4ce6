/**
 * The simulator's own PKI: a test CSCA, document signers and the certificates between them, in
 * real DER with real signatures (ECDSA on brainpool, RSA PKCS#1 v1.5 and RSASSA-PSS), so that
 * Passive Authentication is exercised exactly as with a genuine document.
 */
import {
  curveByName,
  digest,
  ecdsaSignDigest,
  multiply,
  rawToDerSignature,
  rsaGenerateKey,
  rsaSignPkcs1v15,
  rsaSignPss,
  bytesToBigInt,
  type EcCurve,
  type EcPoint,
  type HashName,
  type RsaPrivateKey,
} from '../../crypto'
import { der, ecSpki, hashOid, OID, rsaSpki } from '../../devices/emrtd'

export type SimKey =
  | { readonly kind: 'ec'; readonly curve: EcCurve; readonly d: bigint; readonly point: EcPoint }
  | { readonly kind: 'rsa'; readonly key: RsaPrivateKey }

export type SignatureScheme = 'ecdsa' | 'rsa-pkcs1' | 'rsa-pss'

/** A deterministic EC key from a label: the training CSCA stays the same across runs. */
export function ecKeyFromSeed(curveName: string, seed: string): SimKey {
  const curve = curveByName(curveName)!
  const d = (bytesToBigInt(digest('sha512', new TextEncoder().encode(seed))) % (curve.n - 1n)) + 1n
  return { kind: 'ec', curve, d, point: multiply(curve, d) }
}

export function rsaKey(bits: number): SimKey {
  return { kind: 'rsa', key: rsaGenerateKey(bits) }
}

export function spkiOf(key: SimKey, explicit = false): Uint8Array {
  return key.kind === 'ec' ? ecSpki(key.curve, key.point, { explicit }) : rsaSpki(key.key)
}

const ECDSA_WITH: Record<HashName, string> = {
  sha1: '1.2.840.10045.4.1',
  sha224: '1.2.840.10045.4.3.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
}
const RSA_WITH: Record<HashName, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha224: '1.2.840.113549.1.1.14',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
}

/** The AlgorithmIdentifier DER for a scheme; PSS with MGF1 of the same hash and salt = hash length. */
export function algorithmIdentifier(
  key: SimKey,
  scheme: SignatureScheme,
  hash: HashName,
): Uint8Array {
  if (key.kind === 'ec') return der.seq(der.oid(ECDSA_WITH[hash]))
  if (scheme === 'rsa-pss') {
    const h = der.seq(der.oid(hashOid(hash)), der.nul())
    return der.seq(
      der.oid(OID.rsaPss),
      der.seq(
        der.explicit(0, h),
        der.explicit(1, der.seq(der.oid(OID.mgf1), h)),
        der.explicit(2, der.int(digest(hash, new Uint8Array(0)).length)),
      ),
    )
  }
  return der.seq(der.oid(RSA_WITH[hash]), der.nul())
}

export function sign(
  key: SimKey,
  scheme: SignatureScheme,
  hash: HashName,
  data: Uint8Array,
): Uint8Array {
  const h = digest(hash, data)
  if (key.kind === 'ec') {
    const raw = ecdsaSignDigest(key.curve, key.d, h)
    return rawToDerSignature(raw)
  }
  if (scheme === 'rsa-pss')
    return rsaSignPss(key.key, h, { hash, mgfHash: hash, saltLength: h.length })
  return rsaSignPkcs1v15(key.key, hash, h)
}

export interface NameParts {
  readonly C: string
  readonly O: string
  readonly OU?: string
  readonly CN: string
}

export function name(parts: NameParts): Uint8Array {
  const rdn = (oid: string, v: Uint8Array) => der.set(der.seq(der.oid(oid), v))
  return der.seq(
    rdn('2.5.4.6', der.printable(parts.C)),
    rdn('2.5.4.10', der.utf8(parts.O)),
    ...(parts.OU ? [rdn('2.5.4.11', der.utf8(parts.OU))] : []),
    rdn('2.5.4.3', der.utf8(parts.CN)),
  )
}

export function keyId(key: SimKey): Uint8Array {
  return digest('sha1', spkiOf(key)).subarray(0, 20)
}

export interface CertificateSpec {
  readonly serial: bigint
  readonly issuer: NameParts
  readonly subject: NameParts
  readonly notBefore: Date
  readonly notAfter: Date
  readonly subjectKey: SimKey
  readonly issuerKey: SimKey
  readonly scheme: SignatureScheme
  readonly hash: HashName
  readonly ca: boolean
  /** Write EC parameters out in full, as many CSCAs do. */
  readonly explicitParameters?: boolean
}

export function certificate(spec: CertificateSpec): Uint8Array {
  const alg = algorithmIdentifier(spec.issuerKey, spec.scheme, spec.hash)
  const ext = (oid: string, critical: boolean, value: Uint8Array) =>
    der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value))
  const extensions = der.seq(
    ext(OID.subjectKeyIdentifier, false, der.octets(keyId(spec.subjectKey))),
    ext(OID.authorityKeyIdentifier, false, der.seq(der.implicit(0, keyId(spec.issuerKey)))),
    ext(OID.keyUsage, true, der.bits(Uint8Array.of(spec.ca ? 0x06 : 0x80))),
    ...(spec.ca ? [ext(OID.basicConstraints, true, der.seq(der.bool(true), der.int(0)))] : []),
  )
  const tbs = der.seq(
    der.explicit(0, der.int(2)),
    der.int(spec.serial),
    alg,
    name(spec.issuer),
    der.seq(der.time(spec.notBefore), der.time(spec.notAfter)),
    name(spec.subject),
    spkiOf(spec.subjectKey, spec.explicitParameters ?? false),
    der.explicit(3, extensions),
  )
  return der.seq(tbs, alg, der.bits(sign(spec.issuerKey, spec.scheme, spec.hash, tbs)))
}

export function pem(derBytes: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(derBytes)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`
}

/** CMS SignedData with signed attributes (content type, signing time, message digest). */
export function signedData(options: {
  readonly contentType: string
  readonly content: Uint8Array
  readonly signerCertificate: Uint8Array
  readonly signerIssuer: NameParts
  readonly signerSerial: bigint
  readonly signerKey: SimKey
  readonly scheme: SignatureScheme
  readonly hash: HashName
  readonly signingTime: Date
  readonly extraCertificates?: readonly Uint8Array[]
}): Uint8Array {
  const o = options
  const attrs = [
    der.seq(der.oid(OID.contentType), der.set(der.oid(o.contentType))),
    der.seq(der.oid(OID.signingTime), der.set(der.time(o.signingTime))),
    der.seq(der.oid(OID.messageDigest), der.set(der.octets(digest(o.hash, o.content)))),
  ]
  const signedAttrsSet = der.set(...attrs)
  const signature = sign(o.signerKey, o.scheme, o.hash, signedAttrsSet)
  // In the SignerInfo the same attributes carry tag [0] instead of SET.
  const signedAttrs = Uint8Array.from(signedAttrsSet)
  signedAttrs[0] = 0xa0
  const sigAlg =
    o.signerKey.kind === 'rsa' && o.scheme === 'rsa-pkcs1'
      ? der.seq(der.oid(OID.rsaEncryption), der.nul())
      : algorithmIdentifier(o.signerKey, o.scheme, o.hash)
  const digestAlg = der.seq(der.oid(hashOid(o.hash)), der.nul())
  const signerInfo = der.seq(
    der.int(1),
    der.seq(name(o.signerIssuer), der.int(o.signerSerial)),
    digestAlg,
    signedAttrs,
    sigAlg,
    der.octets(signature),
  )
  const sd = der.seq(
    der.int(3),
    der.set(digestAlg),
    der.seq(der.oid(o.contentType), der.explicit(0, der.octets(o.content))),
    der.implicitConstructed(0, o.signerCertificate, ...(o.extraCertificates ?? [])),
    der.set(signerInfo),
  )
  return der.seq(der.oid(OID.signedData), der.explicit(0, sd))
}
