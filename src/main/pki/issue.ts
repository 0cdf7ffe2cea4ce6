/**
 * Writing certificates and CRLs: the training CA issues the simulated tokens' certificates with
 * this, and the tests build the odd ones (expired, revoked, unknown issuer, every name encoding).
 * Never used to issue anything with legal effect.
 */
import {
  digest,
  rawToDerSignature,
  sm2PublicKeyFromPrivate,
  sm2Sign,
  softwareSign,
  type SoftwareSigningKey,
} from '../crypto'
import {
  bitString,
  bitStringBytes,
  bool,
  children,
  der,
  explicit,
  integer,
  octets,
  oid,
  readOne,
  seq,
  time,
} from './asn1'
import { algorithmIdentifier, sm2Spki, type SignatureAlgorithm } from './keys'
import { encodeName, type NameSpecEntry } from './name'
import { OID } from './oids'

export interface Signer {
  readonly algorithm: SignatureAlgorithm
  /** The signer's SubjectPublicKeyInfo (for key identifiers). */
  readonly spki: Uint8Array
  /** The signature as certificates carry it (DER for SM2 and ECDSA). */
  sign(data: Uint8Array): Uint8Array
}

export function sm2Signer(privateKey: Uint8Array): Signer {
  const publicKey = sm2PublicKeyFromPrivate(privateKey)
  return {
    algorithm: 'sm2-sm3',
    spki: sm2Spki(publicKey),
    sign: (data) => rawToDerSignature(sm2Sign(data, { privateKey, publicKey })),
  }
}

export function softwareSigner(key: SoftwareSigningKey): Signer {
  const algorithm: SignatureAlgorithm = key.algorithm === 'ecdsa' ? 'ecdsa-sha256' : 'rsa-sha256'
  return { algorithm, spki: key.spki, sign: (data) => softwareSign(key, 'sha256', data) }
}

export interface ExtensionSpec {
  readonly oid: string
  readonly critical?: boolean
  /** The extnValue contents (DER of the extension's own structure). */
  readonly value: Uint8Array
}

export interface CertificateSpec {
  readonly serial: bigint
  /** The issuer's name, as entries or as the DER of its certificate's subject. */
  readonly issuer: readonly NameSpecEntry[] | Uint8Array
  readonly subject: readonly NameSpecEntry[]
  readonly notBefore: Date
  readonly notAfter: Date
  /** The subject's SubjectPublicKeyInfo. */
  readonly spki: Uint8Array
  readonly ca?: boolean
  /** A CA's pathLenConstraint: how many intermediate CAs may follow it. */
  readonly pathLength?: number
  readonly keyUsage?: readonly (
    'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'keyCertSign' | 'cRLSign'
  )[]
  readonly extensions?: readonly ExtensionSpec[]
}

const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits, as OpenSSL and most CAs write it. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const key = children(readOne(spki))[1]
  return digest('sha1', key ? bitStringBytes(key) : spki)
}

function keyUsageValue(usages: readonly (keyof typeof KEY_USAGE_BITS)[]): Uint8Array {
  let bits = 0
  let highest = 0
  for (const u of usages) {
    bits |= 0x80 >> KEY_USAGE_BITS[u]
    highest = Math.max(highest, KEY_USAGE_BITS[u])
  }
  return bitString(Uint8Array.of(bits), 7 - highest)
}

const ext = (e: ExtensionSpec) =>
  e.critical ? seq(oid(e.oid), bool(true), octets(e.value)) : seq(oid(e.oid), octets(e.value))

export function issueCertificate(spec: CertificateSpec, signer: Signer): Uint8Array {
  const extensions: ExtensionSpec[] = [
    { oid: OID.subjectKeyIdentifier, value: octets(keyIdentifier(spec.spki)) },
    { oid: OID.authorityKeyIdentifier, value: seq(der(0x80, keyIdentifier(signer.spki))) },
  ]
  if (spec.ca)
    extensions.push({
      oid: OID.basicConstraints,
      critical: true,
      value:
        spec.pathLength === undefined ? seq(bool(true)) : seq(bool(true), integer(spec.pathLength)),
    })
  const usage =
    spec.keyUsage ?? (spec.ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation'])
  extensions.push({ oid: OID.keyUsage, critical: true, value: keyUsageValue(usage) })
  extensions.push(...(spec.extensions ?? []))
  const issuer = spec.issuer instanceof Uint8Array ? spec.issuer : encodeName(spec.issuer)
  const tbs = seq(
    explicit(0, integer(2)),
    integer(spec.serial),
    algorithmIdentifier(signer.algorithm),
    issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    encodeName(spec.subject),
    spec.spki,
    explicit(3, seq(...extensions.map(ext))),
  )
  return seq(tbs, algorithmIdentifier(signer.algorithm), bitString(signer.sign(tbs)))
}

export interface CrlSpec {
  /** The DER of the issuing CA's subject name. */
  readonly issuer: Uint8Array
  readonly thisUpdate: Date
  readonly nextUpdate: Date
  readonly revoked: readonly { readonly serial: bigint; readonly date: Date }[]
  readonly crlNumber: bigint
}

export function issueCrl(spec: CrlSpec, signer: Signer): Uint8Array {
  const entries = spec.revoked.map((r) => seq(integer(r.serial), time(r.date)))
  const tbs = seq(
    integer(1),
    algorithmIdentifier(signer.algorithm),
    spec.issuer,
    time(spec.thisUpdate),
    time(spec.nextUpdate),
    ...(entries.length ? [seq(...entries)] : []),
    explicit(
      0,
      seq(
        seq(oid(OID.authorityKeyIdentifier), octets(seq(der(0x80, keyIdentifier(signer.spki))))),
        seq(oid(OID.crlNumber), octets(integer(spec.crlNumber))),
      ),
    ),
  )
  return seq(tbs, algorithmIdentifier(signer.algorithm), bitString(signer.sign(tbs)))
}

/** DER → PEM text. */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64')
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`
}
