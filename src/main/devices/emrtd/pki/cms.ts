/**
 * CMS SignedData (RFC 5652) as EF.SOD and ICAO master lists use it: the encapsulated content,
 * the embedded certificates and the SignerInfo, and the check of its signed attributes and
 * signature. The signature algorithm comes from the SignerInfo, never from the certificate.
 */
import { CounterError } from '../../../../shared/errors'
import { digest, type HashName } from '../../../crypto'
import { Asn1, asn1Error, TAG } from '../asn1'
import { equalBytes, hex } from '../bytes'
import { HASH_OIDS, OID } from '../oids'
import { encodeTlv } from '../tlv'
import { describeAlgorithm, verifySignature } from './signature'
import {
  parseAlgorithm,
  parseCertificateNode,
  parseName,
  sameName,
  type AlgorithmId,
  type Certificate,
  type DistinguishedName,
} from './x509'

export type SignerId =
  | {
      readonly kind: 'issuer-serial'
      readonly issuer: DistinguishedName
      readonly serialNumber: string
    }
  | { readonly kind: 'key-id'; readonly keyId: Uint8Array }

export interface SignerInfo {
  readonly sid: SignerId
  readonly digestAlgorithm: HashName
  readonly signedAttributes: Asn1 | undefined
  readonly signatureAlgorithm: AlgorithmId
  readonly signature: Uint8Array
}

export interface SignedData {
  readonly contentType: string
  readonly content: Uint8Array
  readonly certificates: Certificate[]
  readonly signerInfos: SignerInfo[]
}

function hashOf(oid: string): HashName {
  const h = HASH_OIDS[oid]
  if (!h) throw new CounterError('EMRTD_UNSUPPORTED', { params: { what: `digest ${oid}` } })
  return h
}

function parseSignerInfo(node: Asn1): SignerInfo {
  node.expect(TAG.SEQUENCE, 'SignerInfo')
  const sidNode = node.at(1, 'sid')
  const sid: SignerId =
    sidNode.tag === 0x80
      ? { kind: 'key-id', keyId: sidNode.value }
      : {
          kind: 'issuer-serial',
          issuer: parseName(sidNode.at(0, 'issuer')),
          serialNumber: hex(
            sidNode.at(1, 'serialNumber').expect(TAG.INTEGER, 'serialNumber').value,
          ),
        }
  let i = 3
  const maybeAttrs = node.at(i, 'SignerInfo')
  const signedAttributes = maybeAttrs.tag === 0xa0 ? maybeAttrs : undefined
  if (signedAttributes) i++
  return {
    sid,
    digestAlgorithm: hashOf(parseAlgorithm(node.at(2, 'digestAlgorithm')).oid),
    signedAttributes,
    signatureAlgorithm: parseAlgorithm(node.at(i, 'signatureAlgorithm')),
    signature: node.at(i + 1, 'signature').octets('signature'),
  }
}

/** ContentInfo { signedData, [0] SignedData }. */
export function parseSignedData(bytes: Uint8Array): SignedData {
  const ci = Asn1.parsePrefix(bytes).expect(TAG.SEQUENCE, 'ContentInfo')
  if (ci.at(0, 'contentType').oid() !== OID.signedData) throw asn1Error('not CMS SignedData')
  const sd = ci
    .at(1, 'content')
    .expect(0xa0, 'content')
    .inner('SignedData')
    .expect(TAG.SEQUENCE, 'SignedData')
  const encap = sd.at(2, 'encapContentInfo').expect(TAG.SEQUENCE, 'encapContentInfo')
  const eContent = encap.at(1, 'eContent').expect(0xa0, 'eContent').inner('eContent')
  const fields = sd.children()
  const certs = fields.find((f) => f.tag === 0xa0)
  const signers = fields.at(-1)!.expect(TAG.SET, 'signerInfos')
  return {
    contentType: encap.at(0, 'eContentType').oid(),
    content: eContent.octets('eContent'),
    certificates: certs
      ? certs
          .children()
          .filter((c) => c.tag === TAG.SEQUENCE)
          .map(parseCertificateNode)
      : [],
    signerInfos: signers.children().map(parseSignerInfo),
  }
}

export function signerCertificate(sd: SignedData, signer: SignerInfo): Certificate | undefined {
  const sid = signer.sid
  return sd.certificates.find((c) =>
    sid.kind === 'key-id'
      ? !!c.subjectKeyId && equalBytes(c.subjectKeyId, sid.keyId)
      : c.serialNumber === sid.serialNumber && sameName(c.issuer, sid.issuer),
  )
}

function attribute(attrs: Asn1, oid: string): Asn1 | undefined {
  for (const a of attrs.children()) {
    if (a.at(0, 'attrType').oid() === oid)
      return a.at(1, 'attrValues').expect(TAG.SET, 'attrValues').at(0, 'attrValue')
  }
  return undefined
}

export type SignerCheck =
  | { readonly ok: true; readonly algorithm: string }
  | {
      readonly ok: false
      readonly reason: 'message-digest' | 'content-type' | 'signature'
      readonly algorithm: string
    }

/** Checks the signed attributes against the content and the signature against `cert`'s key. */
export function verifySigner(sd: SignedData, signer: SignerInfo, cert: Certificate): SignerCheck {
  const algorithm = describeAlgorithm(signer.signatureAlgorithm, signer.digestAlgorithm)
  let signed = sd.content
  if (signer.signedAttributes) {
    const md = attribute(signer.signedAttributes, OID.messageDigest)
    if (!md || !equalBytes(md.octets('messageDigest'), digest(signer.digestAlgorithm, sd.content)))
      return { ok: false, reason: 'message-digest', algorithm }
    const ct = attribute(signer.signedAttributes, OID.contentType)
    if (!ct || ct.oid() !== sd.contentType) return { ok: false, reason: 'content-type', algorithm }
    // The signature covers the attributes DER-encoded as a SET, not with their [0] tag.
    signed = encodeTlv(TAG.SET, signer.signedAttributes.value)
  }
  const ok = verifySignature(
    signer.signatureAlgorithm,
    cert.publicKey,
    signed,
    signer.signature,
    signer.digestAlgorithm,
  )
  return ok ? { ok: true, algorithm } : { ok: false, reason: 'signature', algorithm }
}
