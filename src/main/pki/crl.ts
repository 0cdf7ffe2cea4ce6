/**
 * Certificate revocation lists (RFC 5280 §5), imported offline: the office has no network to a
 * CA, so an administrator drops the CA's CRL files into a folder. Parsing is total (any input
 * either yields a CRL or CERT_CRL_INVALID) and bounded in size.
 */
import { CounterError } from '../../shared/errors'
import {
  bitStringBytes,
  children,
  decodeOid,
  decodeTime,
  expectTag,
  integerHex,
  isContext,
  readOne,
  Tag,
} from './asn1'
import { parseAlgorithmIdentifier, signatureAlgorithmOf, verifySignature } from './keys'
import { parseName, type DistinguishedName } from './name'
import { OID } from './oids'
import { readAuthorityKeyId, toDer, type Certificate } from './x509'

export interface Crl {
  readonly der: Uint8Array
  readonly tbs: Uint8Array
  readonly issuer: DistinguishedName
  readonly thisUpdate: Date
  readonly nextUpdate?: Date
  /** Revoked serial numbers (uppercase hex, no leading zeros) → revocation time. */
  readonly revoked: ReadonlyMap<string, Date>
  readonly signatureAlgorithmOid: string
  readonly signature: Uint8Array
  readonly crlNumber?: string
  readonly authorityKeyId?: string
}

/** Large CAs publish CRLs of several megabytes; anything past this is not a CRL we can use. */
export const MAX_CRL_BYTES = 32 * 1024 * 1024
const MAX_ENTRIES = 2_000_000

function parse(der: Uint8Array): Crl {
  const [tbsTlv, algTlv, sigTlv] = children(expectTag(readOne(der), Tag.SEQUENCE, 'CRL'), 3)
  const tbs = expectTag(tbsTlv, Tag.SEQUENCE, 'tbsCertList')
  const signatureAlgorithmOid = parseAlgorithmIdentifier(
    expectTag(algTlv, Tag.SEQUENCE, 'algorithm'),
  )
  const signature = bitStringBytes(expectTag(sigTlv, Tag.BIT_STRING, 'signature'))
  const fields = children(tbs, 8)
  let i = 0
  if (fields[i]?.tag === Tag.INTEGER) i++ // version
  parseAlgorithmIdentifier(expectTag(fields[i++], Tag.SEQUENCE, 'signature'))
  const issuer = parseName(fields[i++]!)
  const thisUpdate = decodeTime(fields[i++]!)
  let nextUpdate: Date | undefined
  const next = fields[i]
  if (next && (next.tag === Tag.UTC_TIME || next.tag === Tag.GENERALIZED_TIME)) {
    nextUpdate = decodeTime(next)
    i++
  }
  const revoked = new Map<string, Date>()
  if (fields[i]?.tag === Tag.SEQUENCE) {
    for (const entry of children(fields[i]!, MAX_ENTRIES)) {
      const [serial, date] = children(expectTag(entry, Tag.SEQUENCE, 'revoked entry'), 3)
      revoked.set(integerHex(expectTag(serial, Tag.INTEGER, 'serial')), decodeTime(date!))
    }
    i++
  }
  let crlNumber: string | undefined
  let authorityKeyId: string | undefined
  if (isContext(fields[i], 0)) {
    const exts = children(expectTag(children(fields[i]!, 1)[0], Tag.SEQUENCE, 'extensions'), 64)
    for (const ext of exts) {
      const parts = children(ext, 3)
      const id = parts[0]?.tag === Tag.OID ? decodeOid(parts[0]) : ''
      const value = parts[parts.length - 1]
      if (!value || value.tag !== Tag.OCTET_STRING) continue
      if (id === OID.crlNumber) crlNumber = integerHex(readOne(value.value))
      if (id === OID.authorityKeyIdentifier) authorityKeyId = readAuthorityKeyId(value.value)
    }
  }
  return {
    der,
    tbs: tbs.raw,
    issuer,
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    revoked,
    signatureAlgorithmOid,
    signature,
    ...(crlNumber ? { crlNumber } : {}),
    ...(authorityKeyId ? { authorityKeyId } : {}),
  }
}

/** DER or PEM (`X509 CRL`) → CRL, or CERT_CRL_INVALID. */
export function parseCrl(input: Uint8Array): Crl {
  if (input.length === 0 || input.length > MAX_CRL_BYTES)
    throw new CounterError('CERT_CRL_INVALID', { params: { reason: '文件大小不合理' } })
  const der = toDer(input, 'X509 CRL')
  try {
    return parse(new Uint8Array(der))
  } catch (error) {
    throw new CounterError('CERT_CRL_INVALID', {
      params: { reason: '格式错误' },
      detail: error instanceof Error ? error.message : String(error),
      cause: error,
    })
  }
}

/** Whether `issuer` signed this CRL. */
export function crlSignedBy(crl: Crl, issuer: Certificate): boolean {
  const alg = signatureAlgorithmOf(crl.signatureAlgorithmOid)
  return !!alg && verifySignature(alg, issuer.publicKey, crl.tbs, crl.signature)
}
