/**
 * X.509 certificates as the ICAO PKI uses them (CSCA, link and document signer certificates):
 * the fields chain building and signature checks need, parsed strictly. Brainpool keys, explicit
 * EC parameters and RSASSA-PSS signatures are ordinary here.
 */
import { CounterError } from '../../../../shared/errors'
import { Asn1, TAG } from '../asn1'
import { hex } from '../bytes'
import { DN_NAMES, OID } from '../oids'
import { parseSpki, type PublicKey } from '../spki'

export interface AlgorithmId {
  readonly oid: string
  readonly params: Asn1 | undefined
}

export interface DistinguishedName {
  readonly raw: Uint8Array
  /** `C=CN, O=…, CN=…` in the order the name holds them. */
  readonly text: string
  readonly country: string | undefined
}

export interface Certificate {
  readonly raw: Uint8Array
  readonly tbs: Uint8Array
  readonly serialNumber: string
  readonly signatureAlgorithm: AlgorithmId
  readonly signature: Uint8Array
  readonly issuer: DistinguishedName
  readonly subject: DistinguishedName
  readonly notBefore: Date
  readonly notAfter: Date
  readonly publicKey: PublicKey
  readonly subjectKeyId: Uint8Array | undefined
  readonly authorityKeyId: Uint8Array | undefined
  readonly isCa: boolean | undefined
}

export function parseAlgorithm(node: Asn1): AlgorithmId {
  node.expect(TAG.SEQUENCE, 'AlgorithmIdentifier')
  const params = node.children()[1]
  return {
    oid: node.at(0, 'algorithm').oid(),
    params: params && params.tag !== TAG.NULL ? params : undefined,
  }
}

export function parseName(node: Asn1): DistinguishedName {
  node.expect(TAG.SEQUENCE, 'Name')
  const parts: string[] = []
  let country: string | undefined
  for (const rdn of node.children()) {
    rdn.expect(TAG.SET, 'RelativeDistinguishedName')
    for (const atv of rdn.children()) {
      const oid = atv.at(0, 'attribute type').oid()
      let value: string
      try {
        value = atv.at(1, 'attribute value').string()
      } catch {
        value = '#' + hex(atv.at(1, 'attribute value').raw)
      }
      const key = DN_NAMES[oid] ?? oid
      if (key === 'C') country = value.toUpperCase()
      parts.push(`${key}=${value}`)
    }
  }
  return { raw: node.raw, text: parts.join(', '), country }
}

function parseExtensions(node: Asn1 | undefined) {
  let subjectKeyId: Uint8Array | undefined
  let authorityKeyId: Uint8Array | undefined
  let isCa: boolean | undefined
  if (!node) return { subjectKeyId, authorityKeyId, isCa }
  for (const ext of node.inner('extensions').expect(TAG.SEQUENCE, 'Extensions').children()) {
    const oid = ext.at(0, 'extnID').oid()
    const valueNode = ext.children().at(-1)!
    const value = Asn1.parse(valueNode.octets('extnValue'))
    if (oid === OID.subjectKeyIdentifier) subjectKeyId = value.octets('subjectKeyIdentifier')
    else if (oid === OID.authorityKeyIdentifier) {
      const keyId = value.children().find((c) => c.tag === 0x80)
      if (keyId) authorityKeyId = keyId.value
    } else if (oid === OID.basicConstraints) {
      const first = value.children()[0]
      isCa = first?.tag === TAG.BOOLEAN ? first.boolean() : false
    }
  }
  return { subjectKeyId, authorityKeyId, isCa }
}

function parseSerial(node: Asn1): string {
  node.expect(TAG.INTEGER, 'serialNumber')
  return hex(node.value)
}

export function parseCertificateNode(node: Asn1): Certificate {
  node.expect(TAG.SEQUENCE, 'Certificate')
  const tbs = node.at(0, 'tbsCertificate').expect(TAG.SEQUENCE, 'tbsCertificate')
  const fields = tbs.children()
  let i = 0
  if (fields[0]?.tag === 0xa0) i++ // version
  const serialNumber = parseSerial(tbs.at(i++, 'serialNumber'))
  i++ // inner signature algorithm, must equal the outer one; the outer one is used
  const issuer = parseName(tbs.at(i++, 'issuer'))
  const validity = tbs.at(i++, 'validity').expect(TAG.SEQUENCE, 'validity')
  const subject = parseName(tbs.at(i++, 'subject'))
  const spki = tbs.at(i++, 'subjectPublicKeyInfo')
  const extensions = fields.slice(i).find((f) => f.tag === 0xa3)
  return {
    raw: node.raw,
    tbs: tbs.raw,
    serialNumber,
    signatureAlgorithm: parseAlgorithm(node.at(1, 'signatureAlgorithm')),
    signature: node.at(2, 'signatureValue').bits(),
    issuer,
    subject,
    notBefore: validity.at(0, 'notBefore').time(),
    notAfter: validity.at(1, 'notAfter').time(),
    publicKey: parseSpki(spki),
    ...parseExtensions(extensions),
  }
}

export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return parseCertificateNode(Asn1.parse(der))
  } catch (error) {
    if (error instanceof CounterError && error.code === 'EMRTD_ASN1_MALFORMED')
      throw new CounterError('EMRTD_CERT_INVALID', {
        params: { reason: String(error.params?.reason ?? '') },
      })
    throw error
  }
}

/** One or more certificates from PEM text or a single DER certificate. */
export function certificatesFromFile(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4 << 20))).toString('latin1')
  if (text.includes('-----BEGIN')) {
    const out: Uint8Array[] = []
    for (const m of text.matchAll(
      /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g,
    )) {
      out.push(Uint8Array.from(Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')))
    }
    if (out.length === 0)
      throw new CounterError('EMRTD_CERT_INVALID', { params: { reason: 'PEM 文件中没有证书' } })
    return out
  }
  return [bytes]
}

export function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  if (a.raw.length === b.raw.length && a.raw.every((v, i) => v === b.raw[i])) return true
  return a.text.toUpperCase() === b.text.toUpperCase()
}
