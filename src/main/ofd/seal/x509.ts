/**
 * The X.509 certificates inside seals, as seal verification sees them: names, validity, the SM2
 * public key and whether a certificate may issue others. Parsing and writing are the pki
 * domain's; this module only shapes its certificates for seals and keeps the SM2-only rule
 * (a seal chain with any other algorithm is not trusted here).
 */
import { createHash } from 'node:crypto'
import { CounterError, isCounterError } from '../../../shared/errors'
import { derToRawSignature, sm2IsValidPublicKey, sm2Verify } from '../../crypto'
import {
  issueCertificate,
  parseCertificate as parsePkiCertificate,
  sm2Signer,
  sm2Spki,
  type Certificate as PkiCertificate,
  type DistinguishedName,
} from '../../pki'

export const OID = {
  sm2: '1.2.156.10197.1.301',
  sm2WithSm3: '1.2.156.10197.1.501',
  sm3: '1.2.156.10197.1.401',
  ecPublicKey: '1.2.840.10045.2.1',
} as const

/** `[type, value]`: `CN`, `O`, `C`, … or the dotted OID when the attribute has no short name. */
export type NameAttr = readonly [string, string]

export interface Certificate {
  readonly raw: Uint8Array
  readonly tbs: Uint8Array
  readonly serial: string
  readonly issuer: readonly NameAttr[]
  readonly issuerRaw: Uint8Array
  readonly subject: readonly NameAttr[]
  readonly subjectRaw: Uint8Array
  readonly notBefore: Date
  readonly notAfter: Date
  /** 65-byte uncompressed SM2 point, when the key is on the SM2 curve. */
  readonly sm2PublicKey?: Uint8Array
  readonly keyAlgorithm: string
  readonly signatureAlgorithm: string
  readonly signature: Uint8Array
  readonly isCa?: boolean
}

const attrs = (name: DistinguishedName): NameAttr[] =>
  name.attributes.map((a) => [a.type, a.value] as const)

export function formatName(name: readonly NameAttr[]): string {
  return name.map(([k, v]) => `${k}=${v}`).join(', ')
}

/** The name a person reads: CN, else O, else the whole name. */
export function displayName(name: readonly NameAttr[]): string {
  return (
    name.find(([k]) => k === 'CN')?.[1] ?? name.find(([k]) => k === 'O')?.[1] ?? formatName(name)
  )
}

function forSeals(c: PkiCertificate): Certificate {
  const sm2PublicKey =
    c.publicKey.algorithm === 'sm2' && sm2IsValidPublicKey(c.publicKey.key)
      ? c.publicKey.key
      : undefined
  return {
    raw: c.der,
    tbs: c.tbs,
    serial: c.serialNumber,
    issuer: attrs(c.issuer),
    issuerRaw: c.issuer.der,
    subject: attrs(c.subject),
    subjectRaw: c.subject.der,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    ...(sm2PublicKey ? { sm2PublicKey } : {}),
    keyAlgorithm: c.publicKey.algorithm === 'sm2' ? 'sm2' : c.publicKey.algorithmOid,
    signatureAlgorithm: c.signatureAlgorithmOid,
    signature: c.signature,
    ...(c.basicConstraints ? { isCa: c.basicConstraints.ca } : {}),
  }
}

/** A seal's or signature's certificate (DER), or OFD_CERT_MALFORMED saying why not. */
export function parseCertificate(bytes: Uint8Array): Certificate {
  try {
    return forSeals(parsePkiCertificate(bytes))
  } catch (error) {
    if (!isCounterError(error) || error.code !== 'CERT_MALFORMED') throw error
    // The parser's own words are for the log; the clerk reads what happened.
    throw new CounterError('OFD_CERT_MALFORMED', {
      params: { reason: '证书结构无法解析' },
      ...(error.detail ? { detail: error.detail } : {}),
      cause: error,
    })
  }
}

/** An SM2 signature as seals and certificates carry it: DER SEQUENCE {r, s}, or raw r‖s. */
export function sm2SignatureBytes(value: Uint8Array): Uint8Array | undefined {
  if (value.length === 64 && value[0] !== 0x30) return value
  return derToRawSignature(value) ?? (value.length === 64 ? value : undefined)
}

export function verifySm2(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  const raw = sm2SignatureBytes(signature)
  return !!raw && sm2Verify(message, raw, publicKey)
}

const signedByCache = new Map<string, boolean>()
const SIGNED_BY_CACHE_LIMIT = 512

/**
 * Whether `cert` was signed by `issuer` (SM2-SM3; other algorithms are not trusted here).
 * Remembered per pair: a window checks licences from the same few issuers all day, and the
 * answer for two fixed certificates never changes.
 */
export function signedBy(cert: Certificate, issuer: Certificate): boolean {
  if (cert.signatureAlgorithm !== OID.sm2WithSm3 || !issuer.sm2PublicKey) return false
  const key = `${fingerprint(cert.raw)}:${fingerprint(issuer.raw)}`
  const known = signedByCache.get(key)
  if (known !== undefined) return known
  const ok = verifySm2(cert.tbs, cert.signature, issuer.sm2PublicKey)
  if (signedByCache.size >= SIGNED_BY_CACHE_LIMIT)
    signedByCache.delete(signedByCache.keys().next().value!)
  signedByCache.set(key, ok)
  return ok
}

/** SHA-256 of bytes, hex: a cache key, not a security boundary. */
export function fingerprint(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** What the training seal kit and tests need to issue an SM2 certificate. */
export interface CertificateSpec {
  readonly serial: Uint8Array
  readonly issuer: readonly NameAttr[]
  readonly subject: readonly NameAttr[]
  readonly notBefore: Date
  readonly notAfter: Date
  /** 65-byte uncompressed SM2 public key of the subject. */
  readonly publicKey: Uint8Array
  readonly ca: boolean
}

/** Issues an SM2 certificate signed by `issuerKey` (32 bytes); self-signed when spec.issuer is its subject. */
export function issueSm2Certificate(spec: CertificateSpec, issuerKey: Uint8Array): Uint8Array {
  return issueCertificate(
    {
      serial: BigInt(`0x${Buffer.from(spec.serial).toString('hex') || '0'}`),
      issuer: spec.issuer,
      subject: spec.subject,
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      spki: sm2Spki(spec.publicKey),
      ca: spec.ca,
    },
    sm2Signer(issuerKey),
  )
}
