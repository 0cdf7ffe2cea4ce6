/** Object identifiers the certificate code reads or writes. */

export const OID = {
  // Public keys
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  /** The SM2 curve (GM/T 0006); some CAs also use it as the key algorithm itself. */
  sm2: '1.2.156.10197.1.301',

  // Signatures
  sm2WithSm3: '1.2.156.10197.1.501',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',

  // Name attributes
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  province: '2.5.4.8',
  street: '2.5.4.9',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  title: '2.5.4.12',
  description: '2.5.4.13',
  givenName: '2.5.4.42',
  organizationIdentifier: '2.5.4.97',
  uid: '0.9.2342.19200300.100.1.1',
  email: '1.2.840.113549.1.9.1',

  // Extensions
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',

  /**
   * GB/T 20518 (GM/T 0015) private extensions: 个人身份标识码 (IdentifyCode, a CHOICE whose [0]
   * is the resident ID number), 个人社会保险号, 企业工商注册号, 企业组织机构代码 (since the
   * 2015 reform often holding the USCC), 企业税号.
   */
  cnIdentifyCode: '1.2.156.10260.4.1.1',
  cnInsuranceNumber: '1.2.156.10260.4.1.2',
  cnIcRegistrationNumber: '1.2.156.10260.4.1.3',
  cnOrganizationCode: '1.2.156.10260.4.1.4',
  cnTaxationNumber: '1.2.156.10260.4.1.5',
} as const

/** Short names for name attributes, as they are written in configuration and shown. */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  [OID.commonName]: 'CN',
  [OID.surname]: 'SN',
  [OID.serialNumber]: 'serialNumber',
  [OID.country]: 'C',
  [OID.locality]: 'L',
  [OID.province]: 'ST',
  [OID.street]: 'street',
  [OID.organization]: 'O',
  [OID.organizationalUnit]: 'OU',
  [OID.title]: 'title',
  [OID.description]: 'description',
  [OID.givenName]: 'GN',
  [OID.organizationIdentifier]: 'organizationIdentifier',
  [OID.uid]: 'UID',
  [OID.email]: 'E',
}

const BY_SHORT_NAME: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ATTRIBUTE_NAMES).map(([oid, name]) => [name.toLowerCase(), oid]),
)

/** `CN`, `serialNumber`, … or a dotted OID → the dotted OID; undefined when neither. */
export function attributeOid(nameOrOid: string): string | undefined {
  if (/^\d+(\.\d+)+$/.test(nameOrOid)) return nameOrOid
  return BY_SHORT_NAME[nameOrOid.toLowerCase()]
}
