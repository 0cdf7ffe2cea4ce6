/**
 * SecurityInfos (BSI TR-03110 / Doc 9303 Part 11 §9.2), as EF.CardAccess and DG14 carry them:
 * PACE, Chip Authentication and Active Authentication parameters. Unknown entries are kept
 * by OID so that a newer chip does not break reading.
 */
import { Asn1, asn1Error, TAG } from './asn1'
import type { CipherSuite } from './kdf'
import { OID } from './oids'
import { parseSpki, type PublicKey } from './spki'

export type KeyAgreement = 'DH' | 'ECDH'
export type PaceMapping = 'GM' | 'IM' | 'CAM'

export interface PaceInfo {
  readonly kind: 'pace'
  readonly oid: string
  readonly version: number
  readonly agreement: KeyAgreement
  readonly mapping: PaceMapping
  readonly cipher: CipherSuite
  readonly parameterId: number | undefined
}

export interface PaceDomainParameterInfo {
  readonly kind: 'pace-domain'
  readonly oid: string
  readonly parameters: Asn1
  readonly parameterId: number | undefined
}

export interface ChipAuthenticationInfo {
  readonly kind: 'ca'
  readonly oid: string
  readonly version: number
  readonly agreement: KeyAgreement
  readonly cipher: CipherSuite
  readonly keyId: number | undefined
}

export interface ChipAuthenticationPublicKeyInfo {
  readonly kind: 'ca-key'
  readonly oid: string
  readonly publicKey: PublicKey
  readonly keyId: number | undefined
}

export interface ActiveAuthenticationInfo {
  readonly kind: 'aa'
  readonly version: number
  readonly signatureAlgorithm: string
}

export interface UnknownSecurityInfo {
  readonly kind: 'unknown'
  readonly oid: string
}

export type SecurityInfo =
  | PaceInfo
  | PaceDomainParameterInfo
  | ChipAuthenticationInfo
  | ChipAuthenticationPublicKeyInfo
  | ActiveAuthenticationInfo
  | UnknownSecurityInfo

const CIPHERS: Readonly<Record<string, CipherSuite>> = {
  '1': '3DES',
  '2': 'AES-128',
  '3': 'AES-192',
  '4': 'AES-256',
}

const PACE_KINDS: Readonly<Record<string, [KeyAgreement, PaceMapping]>> = {
  '1': ['DH', 'GM'],
  '2': ['ECDH', 'GM'],
  '3': ['DH', 'IM'],
  '4': ['ECDH', 'IM'],
  '6': ['ECDH', 'CAM'],
}

/** Splits a PACE protocol OID into key agreement, mapping and cipher. */
export function parsePaceOid(
  oid: string,
): { agreement: KeyAgreement; mapping: PaceMapping; cipher: CipherSuite } | undefined {
  if (!oid.startsWith(OID.pace + '.')) return undefined
  const [kind, cipher, ...rest] = oid.slice(OID.pace.length + 1).split('.')
  const k = PACE_KINDS[kind ?? '']
  const c = CIPHERS[cipher ?? '']
  if (!k || !c || rest.length > 0) return undefined
  return { agreement: k[0], mapping: k[1], cipher: c }
}

export function paceOid(
  agreement: KeyAgreement,
  mapping: PaceMapping,
  cipher: CipherSuite,
): string {
  const kind = Object.entries(PACE_KINDS).find(
    ([, v]) => v[0] === agreement && v[1] === mapping,
  )![0]
  const c = Object.entries(CIPHERS).find(([, v]) => v === cipher)![0]
  return `${OID.pace}.${kind}.${c}`
}

export function parseCaOid(
  oid: string,
): { agreement: KeyAgreement; cipher: CipherSuite } | undefined {
  if (!oid.startsWith(OID.ca + '.')) return undefined
  const [kind, cipher, ...rest] = oid.slice(OID.ca.length + 1).split('.')
  const c = CIPHERS[cipher ?? '']
  if ((kind !== '1' && kind !== '2') || !c || rest.length > 0) return undefined
  return { agreement: kind === '1' ? 'DH' : 'ECDH', cipher: c }
}

export function caOid(agreement: KeyAgreement, cipher: CipherSuite): string {
  const c = Object.entries(CIPHERS).find(([, v]) => v === cipher)![0]
  return `${OID.ca}.${agreement === 'DH' ? 1 : 2}.${c}`
}

function optionalInt(node: Asn1 | undefined): number | undefined {
  return node && node.tag === TAG.INTEGER ? node.int() : undefined
}

function parseOne(info: Asn1): SecurityInfo {
  info.expect(TAG.SEQUENCE, 'SecurityInfo')
  const oid = info.at(0, 'protocol').oid()
  const required = info.children()[1]
  const optional = info.children()[2]
  const pace = parsePaceOid(oid)
  if (pace) {
    if (!required) throw asn1Error('PACEInfo without version')
    return {
      kind: 'pace',
      oid,
      version: required.int('PACE version'),
      ...pace,
      parameterId: optionalInt(optional),
    }
  }
  if (oid.startsWith(OID.pace + '.') && oid.split('.').length === OID.pace.split('.').length + 1) {
    if (!required) throw asn1Error('PACEDomainParameterInfo without parameters')
    return { kind: 'pace-domain', oid, parameters: required, parameterId: optionalInt(optional) }
  }
  const ca = parseCaOid(oid)
  if (ca) {
    if (!required) throw asn1Error('ChipAuthenticationInfo without version')
    return {
      kind: 'ca',
      oid,
      version: required.int('CA version'),
      ...ca,
      keyId: optionalInt(optional),
    }
  }
  if (oid === OID.pkDh || oid === OID.pkEcdh) {
    if (!required) throw asn1Error('ChipAuthenticationPublicKeyInfo without key')
    return { kind: 'ca-key', oid, publicKey: parseSpki(required), keyId: optionalInt(optional) }
  }
  if (oid === OID.activeAuthentication) {
    if (!required || !optional) throw asn1Error('ActiveAuthenticationInfo incomplete')
    return { kind: 'aa', version: required.int('AA version'), signatureAlgorithm: optional.oid() }
  }
  return { kind: 'unknown', oid }
}

/** Parses a DER SET OF SecurityInfo (the content of EF.CardAccess, or DG14 inside its tag). */
export function parseSecurityInfos(bytes: Uint8Array): SecurityInfo[] {
  const set = Asn1.parse(bytes).expect(TAG.SET, 'SecurityInfos')
  return set.children().map(parseOne)
}

/** EF.CardAccess may be padded by the chip after the SET. */
export function parseCardAccess(bytes: Uint8Array): SecurityInfo[] {
  const set = Asn1.parsePrefix(bytes).expect(TAG.SET, 'SecurityInfos')
  return set.children().map(parseOne)
}
