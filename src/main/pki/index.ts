/**
 * Certificates: X.509 parsing (RSA, ECDSA, SM2), the holder's identity as Chinese CAs encode it,
 * validity, chains to configured roots, and revocation against CRLs imported offline.
 */
export { Asn1Error } from './asn1'
/** DER reading and writing helpers, for code that builds or inspects structures around certificates. */
export * as asn1 from './asn1'
export {
  buildChain,
  checkRevocation,
  checkValidityPeriod,
  DEFAULT_REVOCATION_POLICY,
  mayIssueCrls,
  signedBy,
  validateCertificate,
  type RevocationPolicy,
  type RevocationSource,
  type RevocationStatus,
  type TrustOptions,
  type ValidationResult,
} from './chain'
export { crlSignedBy, parseCrl, type Crl } from './crl'
export {
  DEFAULT_IDENTITY_MAPPING,
  DEFAULT_IDENTITY_RULES,
  extractIdentity,
  type HolderIdentity,
  type HolderOrganization,
  type IdentityMapping,
  type IdentityRule,
} from './identity'
export {
  issueCertificate,
  issueCrl,
  keyIdentifier,
  sm2Signer,
  softwareSigner,
  toPem,
  type CertificateSpec,
  type CrlSpec,
  type ExtensionSpec,
  type Signer,
} from './issue'
export {
  parsePublicKeyInfo,
  signatureAlgorithmOf,
  sm2Spki,
  verifySignature,
  type KeyAlgorithm,
  type PublicKeyInfo,
  type SignatureAlgorithm,
} from './keys'
export {
  encodeName,
  formatName,
  nameValues,
  sameName,
  type DistinguishedName,
  type NameAttribute,
  type NameSpecEntry,
} from './name'
export { ATTRIBUTE_NAMES, attributeOid, OID } from './oids'
export {
  loadCertificateFiles,
  readCertificates,
  TrustStore,
  type CrlImport,
  type TrustStoreOptions,
} from './trust'
export {
  describeCertificate,
  extension,
  parseCertificate,
  pemBlocks,
  toDer,
  type Certificate,
  type Extension,
} from './x509'
