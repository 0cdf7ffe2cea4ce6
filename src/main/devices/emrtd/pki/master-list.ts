/**
 * ICAO CSCA master lists (Doc 9303 Part 12 §9): CMS SignedData whose content is CscaMasterList
 * { version, SET OF Certificate }. The list's own signature is checked, and its signer must be
 * certified by one of the CSCAs the list itself carries, so a corrupted or re-signed file is
 * refused rather than trusted.
 */
import { CounterError } from '../../../../shared/errors'
import { Asn1, TAG } from '../asn1'
import { OID } from '../oids'
import { parseSignedData, signerCertificate, verifySigner } from './cms'
import { verifySignature } from './signature'
import { parseCertificateNode, sameName, type Certificate } from './x509'

function invalid(reason: string): CounterError {
  return new CounterError('EMRTD_MASTER_LIST_INVALID', { params: { reason } })
}

export interface MasterList {
  readonly certificates: Certificate[]
  readonly signer: Certificate
}

export function parseMasterList(bytes: Uint8Array): MasterList {
  let sd
  try {
    sd = parseSignedData(bytes)
  } catch (error) {
    throw invalid(
      error instanceof CounterError ? String(error.params?.reason ?? error.code) : '无法解析',
    )
  }
  if (sd.contentType !== OID.cscaMasterList) throw invalid('内容不是 CSCA 主列表')
  let certificates: Certificate[]
  try {
    const list = Asn1.parse(sd.content).expect(TAG.SEQUENCE, 'CscaMasterList')
    certificates = list
      .at(1, 'certList')
      .expect(TAG.SET, 'certList')
      .children()
      .map(parseCertificateNode)
  } catch (error) {
    throw invalid(
      error instanceof CounterError
        ? String(error.params?.reason ?? error.code)
        : '证书列表无法解析',
    )
  }
  const signerInfo = sd.signerInfos[0]
  if (!signerInfo) throw invalid('没有签名者')
  const signer = signerCertificate(sd, signerInfo)
  if (!signer) throw invalid('缺少主列表签名证书')
  if (!verifySigner(sd, signerInfo, signer).ok) throw invalid('主列表签名无效')
  const issuer = [...certificates, ...sd.certificates].find(
    (c) =>
      sameName(c.subject, signer.issuer) &&
      verifySignature(signer.signatureAlgorithm, c.publicKey, signer.tbs, signer.signature),
  )
  if (!issuer) throw invalid('主列表签名证书不是由列表中的 CSCA 签发的')
  return { certificates, signer }
}
