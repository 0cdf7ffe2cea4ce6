/** Object identifiers of ICAO 9303, BSI TR-03110, PKCS and X.509 that the chip code meets. */
import type { HashName } from '../../crypto'

const BSI = '0.4.0.127.0.7'

export const OID = {
  ldsSecurityObject: '2.23.136.1.1.1',
  cscaMasterList: '2.23.136.1.1.2',
  activeAuthentication: '2.23.136.1.1.5',

  pkDh: `${BSI}.2.2.1.1`,
  pkEcdh: `${BSI}.2.2.1.2`,
  ca: `${BSI}.2.2.3`,
  pace: `${BSI}.2.2.4`,

  ecdsaPlain: `${BSI}.1.1.4.1`,

  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  primeField: '1.2.840.10045.1.1',
  dhPublicNumber: '1.2.840.10046.2.1',

  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',

  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
} as const

export const HASH_OIDS: Readonly<Record<string, HashName>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}

export function hashOid(name: HashName): string {
  return Object.entries(HASH_OIDS).find(([, n]) => n === name)![0]
}

export const RSA_PKCS1_OIDS: Readonly<Record<string, HashName>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
}

export const ECDSA_OIDS: Readonly<Record<string, HashName>> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
}

/** BSI TR-03111 ECDSA with plain r‖s signatures (Active Authentication). */
export const ECDSA_PLAIN_OIDS: Readonly<Record<string, HashName>> = {
  [`${BSI}.1.1.4.1.1`]: 'sha1',
  [`${BSI}.1.1.4.1.2`]: 'sha224',
  [`${BSI}.1.1.4.1.3`]: 'sha256',
  [`${BSI}.1.1.4.1.4`]: 'sha384',
  [`${BSI}.1.1.4.1.5`]: 'sha512',
}

export const DN_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
}
