/**
 * X.509 v1–v3 certificates with RSA, ECDSA and SM2 keys. Parsing is total: any input either
 * yields a certificate or a CERT_MALFORMED error, never an exception of another kind, and it
 * reads only inside the bytes it was given.
 */
import { CounterError } from '../../shared/errors'
import { digest } from '../crypto'
import {
  bitStringBytes,
  bitStringFlags,
  children,
  decodeBoolean,
  decodeOid,
  decodeTime,
  expectTag,
  integerHex,
  integerNumber,
  isContext,
  readOne,
  Tag,
  type Tlv,
} from './asn1'
import { parsePublicKeyInfo, parseAlgorithmIdentifier, type PublicKeyInfo } from './keys'
import { formatName, parseName, type DistinguishedName } from './name'
import { OID } from './oids'

export interface Extension {
  readonly oid: string
  readonly critical: boolean
  /** The extnValue OCTET STRING's contents. */
  readonly value: Uint8Array
}

export interface Certificate {
  readonly der: Uint8Array
  /** The signed part, exactly as in the input. */
  readonly tbs: Uint8Array
  readonly version: number
  /** Uppercase hex without leading zeros. */
  readonly serialNumber: string
  readonly signatureAlgorithmOid: string
  readonly issuer: DistinguishedName
  readonly subject: DistinguishedName
  readonly notBefore: Date
  readonly notAfter: Date
  readonly publicKey: PublicKeyInfo
  readonly extensions: readonly Extension[]
  readonly signature: Uint8Array
  /** SHA-256 of the DER, lowercase hex: the certificate's identity for bindings. */
  readonly sha256: string
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number }
  /** digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign. */
  readonly keyUsage?: readonly string[]
  readonly subjectKeyId?: string
  readonly authorityKeyId?: string
}

const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const

const MAX_CERTIFICATE_BYTES = 64 * 1024

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** PEM (one or more blocks) or DER → DER blobs of the given label. */
export function pemBlocks(text: string, label = 'CERTIFICATE'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g')
  return [...text.matchAll(re)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')),
  )
}

/** Bytes that may be DER or PEM text → DER. */
export function toDer(input: Uint8Array, label = 'CERTIFICATE'): Uint8Array {
  if (input[0] === 0x30) return input
  const text = Buffer.from(input.subarray(0, 1024 * 1024)).toString('latin1')
  const blocks = pemBlocks(text, label)
  if (blocks[0]) return blocks[0]
  // Bare base64 (some CA tools export it without the armour).
  const compact = text.replace(/\s+/g, '')
  if (/^[A-Za-z0-9+/]+=*$/.test(compact) && compact.length >= 64) {
    const bytes = new Uint8Array(Buffer.from(compact, 'base64'))
    if (bytes[0] === 0x30) return bytes
  }
  return input
}

function parseExtensions(tlv: Tlv): Extension[] {
  const seqTlv = children(tlv, 1)[0]
  const out: Extension[] = []
  for (const ext of children(expectTag(seqTlv, Tag.SEQUENCE, 'extensions'), 200)) {
    const parts = children(expectTag(ext, Tag.SEQUENCE, 'extension'), 3)
    const id = decodeOid(expectTag(parts[0], Tag.OID, 'extension id'))
    let critical = false
    let valueTlv = parts[1]
    if (valueTlv?.tag === Tag.BOOLEAN) {
      critical = decodeBoolean(valueTlv)
      valueTlv = parts[2]
    }
    out.push({
      oid: id,
      critical,
      value: expectTag(valueTlv, Tag.OCTET_STRING, 'extension value').value,
    })
  }
  return out
}

function readSubjectKeyId(value: Uint8Array): string {
  return hex(expectTag(readOne(value), Tag.OCTET_STRING, 'key id').value)
}

/** The AuthorityKeyIdentifier extension's keyIdentifier [0], as certificates and CRLs carry it. */
export function readAuthorityKeyId(value: Uint8Array): string | undefined {
  const first = children(expectTag(readOne(value), Tag.SEQUENCE, 'authority key id'))[0]
  return first && isContext(first, 0) ? hex(first.value) : undefined
}

function parseBasicConstraints(value: Uint8Array): { ca: boolean; pathLength?: number } {
  const parts = children(expectTag(readOne(value), Tag.SEQUENCE, 'basic constraints'), 2)
  let ca = false
  let pathLength: number | undefined
  for (const p of parts) {
    if (p.tag === Tag.BOOLEAN) ca = decodeBoolean(p)
    else if (p.tag === Tag.INTEGER) pathLength = integerNumber(p)
  }
  return pathLength === undefined ? { ca } : { ca, pathLength }
}

function parseKeyUsage(value: Uint8Array): string[] {
  const flags = bitStringFlags(expectTag(readOne(value), Tag.BIT_STRING, 'key usage'))
  return KEY_USAGE_NAMES.filter((_, i) => flags[i])
}

function parse(der: Uint8Array): Certificate {
  const top = readOne(der)
  const [tbsTlv, sigAlgTlv, sigTlv] = children(expectTag(top, Tag.SEQUENCE, 'certificate'), 3)
  const tbs = expectTag(tbsTlv, Tag.SEQUENCE, 'tbsCertificate')
  const signatureAlgorithmOid = parseAlgorithmIdentifier(
    expectTag(sigAlgTlv, Tag.SEQUENCE, 'signature algorithm'),
  )
  const signature = bitStringBytes(expectTag(sigTlv, Tag.BIT_STRING, 'signature'))

  const fields = children(tbs, 12)
  let i = 0
  let version = 1
  if (isContext(fields[0], 0)) {
    version = integerNumber(expectTag(children(fields[0]!, 1)[0], Tag.INTEGER, 'version')) + 1
    i++
  }
  const serialNumber = integerHex(expectTag(fields[i++], Tag.INTEGER, 'serial number'))
  const innerAlg = parseAlgorithmIdentifier(expectTag(fields[i++], Tag.SEQUENCE, 'signature'))
  if (innerAlg !== signatureAlgorithmOid) throw new Error('signature algorithms disagree')
  const issuer = parseName(fields[i++]!)
  const validity = children(expectTag(fields[i++], Tag.SEQUENCE, 'validity'), 2)
  if (validity.length !== 2) throw new Error('validity must hold two times')
  const notBefore = decodeTime(validity[0]!)
  const notAfter = decodeTime(validity[1]!)
  const subject = parseName(fields[i++]!)
  const publicKey = parsePublicKeyInfo(fields[i++]!)
  let extensions: Extension[] = []
  for (; i < fields.length; i++) {
    if (isContext(fields[i], 3)) extensions = parseExtensions(fields[i]!)
  }

  let basicConstraints: Certificate['basicConstraints']
  let keyUsage: string[] | undefined
  let subjectKeyId: string | undefined
  let authorityKeyId: string | undefined
  for (const ext of extensions) {
    if (ext.oid === OID.basicConstraints) basicConstraints = parseBasicConstraints(ext.value)
    else if (ext.oid === OID.keyUsage) keyUsage = parseKeyUsage(ext.value)
    else if (ext.oid === OID.subjectKeyIdentifier) subjectKeyId = readSubjectKeyId(ext.value)
    else if (ext.oid === OID.authorityKeyIdentifier) authorityKeyId = readAuthorityKeyId(ext.value)
  }

  return {
    der,
    tbs: tbs.raw,
    version,
    serialNumber,
    signatureAlgorithmOid,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey,
    extensions,
    signature,
    sha256: hex(digest('sha256', der)),
    ...(basicConstraints ? { basicConstraints } : {}),
    ...(keyUsage ? { keyUsage } : {}),
    ...(subjectKeyId ? { subjectKeyId } : {}),
    ...(authorityKeyId ? { authorityKeyId } : {}),
  }
}

/** DER or PEM → certificate, or CERT_MALFORMED. */
export function parseCertificate(input: Uint8Array): Certificate {
  if (input.length === 0 || input.length > MAX_CERTIFICATE_BYTES * 4)
    throw new CounterError('CERT_MALFORMED', { detail: `size ${input.length}` })
  const der = toDer(input)
  if (der.length > MAX_CERTIFICATE_BYTES)
    throw new CounterError('CERT_MALFORMED', { detail: `size ${der.length}` })
  try {
    // A private copy: callers' buffers (FFI output, file reads) may be reused after we return.
    return parse(new Uint8Array(der))
  } catch (error) {
    throw new CounterError('CERT_MALFORMED', {
      detail: error instanceof Error ? error.message : String(error),
      cause: error,
    })
  }
}

export function extension(cert: Certificate, oid: string): Extension | undefined {
  return cert.extensions.find((e) => e.oid === oid)
}

export function describeCertificate(cert: Certificate): {
  subject: string
  issuer: string
  serialNumber: string
  notBefore: string
  notAfter: string
  keyAlgorithm: string
  sha256: string
} {
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    keyAlgorithm: cert.publicKey.algorithm,
    sha256: cert.sha256,
  }
}
