/**
 * Electronic seals and seal signatures: GB/T 38540 (version 4) and GM/T 0031 (version 1),
 * read strictly and written in the version 4 form.
 *
 *   v4  SES_Signature { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OID,
 *                       signature BIT STRING, timeStamp [0] BIT STRING OPTIONAL }
 *       TBS_Sign      { version INTEGER, eseal SESeal, timeInfo GeneralizedTime,
 *                       dataHash BIT STRING, propertyInfo IA5String, extDatas [0] OPTIONAL }
 *       SESeal        { esealInfo SES_SealInfo, cert OCTET STRING, signAlgID OID, signedValue BIT STRING }
 *   v1  SES_Signature { toSign TBS_Sign, signature BIT STRING }
 *       TBS_Sign      { version, eseal SESeal, timeInfo BIT STRING, dataHash BIT STRING,
 *                       propertyInfo IA5String, cert OCTET STRING, signatureAlgorithm OID }
 *       SESeal        { esealInfo SES_SealInfo, signInfo { cert, signatureAlgorithm, signData } }
 *   both SES_SealInfo { header { ID "ES", version, Vid }, esID IA5String, property, picture
 *                       { type IA5String, data OCTET STRING, width, height }, extDatas OPTIONAL }
 */
import {
  asBits,
  asInteger,
  asOctets,
  asOid,
  asSmallInt,
  asString,
  asTime,
  decode,
  der,
  derGuard,
  DerError,
  items,
  need,
  parseTimeString,
  TAG,
  type Tlv,
} from './der'

export interface SealPicture {
  /** As written: PNG, BMP, JPG, GIF, OFD … */
  readonly type: string
  readonly data: Uint8Array
  /** Millimetres. */
  readonly width: number
  readonly height: number
}

export interface SesSeal {
  readonly version: 4 | 1
  readonly raw: Uint8Array
  readonly sealInfoRaw: Uint8Array
  readonly headerId: string
  readonly headerVersion: number
  readonly vendorId: string
  readonly esId: string
  /** 1 organisation seal, 2 personal seal (others exist in the wild). */
  readonly type: number
  readonly name: string
  /** 1: certificates; 2: certificate digests (v4 only). */
  readonly certListType: number
  readonly certs: readonly Uint8Array[]
  readonly certDigests: readonly { readonly type: string; readonly value: Uint8Array }[]
  readonly createDate: Date
  readonly validStart: Date
  readonly validEnd: Date
  readonly picture: SealPicture
  /** The seal maker's (制章者) certificate and signature over the seal information. */
  readonly makerCert: Uint8Array
  readonly makerSignAlg: string
  readonly makerSignature: Uint8Array
}

export interface SesSignature {
  readonly version: 4 | 1
  /** DER of TBS_Sign as found: what the signer signed. */
  readonly tbsRaw: Uint8Array
  readonly seal: SesSeal
  readonly timeInfo?: Date
  readonly dataHash: Uint8Array
  readonly propertyInfo: string
  readonly signerCert: Uint8Array
  readonly signatureAlg: string
  readonly signature: Uint8Array
  readonly timeStamp?: Uint8Array
}

function parseHeader(t: Tlv | undefined) {
  const [id, version, vid] = items(t, TAG.SEQUENCE, '印章头')
  return {
    headerId: asString(id, '印章头标识'),
    headerVersion: asSmallInt(version, '印章版本'),
    vendorId: asString(vid, '厂商标识'),
  }
}

function parsePicture(t: Tlv | undefined): SealPicture {
  const [type, data, width, height] = items(t, TAG.SEQUENCE, '印章图像')
  return {
    type: asString(type, '图像类型'),
    data: asOctets(data, '图像数据'),
    width: asSmallInt(width, '图像宽度'),
    height: asSmallInt(height, '图像高度'),
  }
}

function parseSealInfo(t: Tlv, version: 4 | 1) {
  const [header, esId, property, picture] = items(t, TAG.SEQUENCE)
  if (!header || !esId || !property || !picture) throw new DerError('印章信息不完整')
  const p = items(property, TAG.SEQUENCE)
  let certListType = 1
  let certs: Uint8Array[] = []
  let certDigests: { type: string; value: Uint8Array }[] = []
  let rest: Tlv[]
  if (version === 4) {
    certListType = asSmallInt(p[2], '证书列表类型')
    const list = p[3]
    if (!list) throw new DerError('缺少证书列表')
    if (certListType === 2) {
      certDigests = items(list, TAG.SEQUENCE).map((d) => {
        const [type, value] = items(d, TAG.SEQUENCE)
        return { type: asString(type, '摘要算法'), value: asOctets(value, '证书摘要') }
      })
    } else certs = items(list, TAG.SEQUENCE).map((c) => asOctets(c, '签章人证书'))
    rest = p.slice(4)
  } else {
    certs = items(p[2], TAG.SEQUENCE, '证书列表').map((c) => asOctets(c, '签章人证书'))
    rest = p.slice(3)
  }
  return {
    sealInfoRaw: t.raw,
    ...parseHeader(header),
    esId: asString(esId, '印章标识'),
    type: asSmallInt(p[0], '印章类型'),
    name: asString(p[1], '印章名称'),
    certListType,
    certs,
    certDigests,
    // GeneralizedTime (v4) or UTCTime (v1): producers mix them, and asTime reads either.
    createDate: asTime(rest[0], '制作日期'),
    validStart: asTime(rest[1], '有效起始日期'),
    validEnd: asTime(rest[2], '有效终止日期'),
    picture: parsePicture(picture),
  }
}

function parseSealTlv(element: Tlv | undefined): SesSeal {
  const t = need(element, '电子印章')
  const parts = items(t, TAG.SEQUENCE)
  if (parts.length === 4) {
    const [info, cert, alg, signed] = parts
    return {
      version: 4,
      raw: t.raw,
      ...parseSealInfo(info!, 4),
      makerCert: asOctets(cert, '制章者证书'),
      makerSignAlg: asOid(alg, '制章签名算法'),
      makerSignature: asBits(signed, '制章签名'),
    }
  }
  if (parts.length === 2) {
    const [info, signInfo] = parts
    const [cert, alg, signed] = items(signInfo, TAG.SEQUENCE, '制章签名信息')
    return {
      version: 1,
      raw: t.raw,
      ...parseSealInfo(info!, 1),
      makerCert: asOctets(cert, '制章者证书'),
      makerSignAlg: asOid(alg, '制章签名算法'),
      makerSignature: asBits(signed, '制章签名'),
    }
  }
  throw new DerError('电子印章结构无法识别')
}

/** An electronic seal file (.esl), either version. */
export function parseSeal(bytes: Uint8Array): SesSeal {
  return derGuard(() => parseSealTlv(decode(bytes)))
}

/**
 * A signing time written as text: ASN.1 digits (`20240501093000Z`, `240501093000Z`) or
 * `yyyy-MM-dd HH:mm:ss` (ofdrw and the producers following it; `T` and a zone allowed, as in
 * Signature.xml's SignatureDateTime). Text without a zone is Beijing time: these producers are
 * Chinese systems writing their local clock, and reading it in the verifying machine's zone would
 * move the signing time by hours depending on where the check runs.
 */
export function parseSigningTimeText(text: string): Date | undefined {
  const s = text.trim()
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      s,
    )
  if (iso) {
    const [, y, mo, d, h, mi, sec, zone] = iso
    return parseTimeString(
      `${y}${mo}${d}${h}${mi}${sec ?? '00'}${(zone ?? '+0800').replace(':', '')}`,
      false,
    )
  }
  const zoned = /(Z|[+-]\d{4})$/.test(s) ? s : `${s}+0800`
  return parseTimeString(zoned, s.length <= 13)
}

/** v1 timeInfo is a BIT STRING holding a time: a DER UTCTime/GeneralizedTime, or text. */
function v1Time(bits: Uint8Array): Date | undefined {
  try {
    if (bits[0] === TAG.UTCTime || bits[0] === TAG.GeneralizedTime) return asTime(decode(bits))
  } catch {
    // not DER: fall through to text
  }
  return parseSigningTimeText(new TextDecoder('latin1').decode(bits))
}

/** SignedValue.dat: v4 first, then v1. */
export function parseSesSignature(bytes: Uint8Array): SesSignature {
  return derGuard(() => {
    const root = decode(bytes)
    const parts = items(root, TAG.SEQUENCE)
    if (parts.length >= 4 && parts[1]?.tag === TAG.OCTET_STRING) {
      const [tbs, cert, alg, sig, ts] = parts
      const t = items(tbs, TAG.SEQUENCE)
      asSmallInt(t[0], '签章版本')
      if (parts.length > 5 || (ts && ts.tag !== 0xa0)) throw new DerError('签章结构多余字段')
      return {
        version: 4,
        tbsRaw: tbs!.raw,
        seal: parseSealTlv(t[1]),
        timeInfo: asTime(t[2], '签章时间'),
        dataHash: asBits(t[3], '原文杂凑值'),
        propertyInfo: asString(t[4], '原文属性'),
        signerCert: asOctets(cert, '签章者证书'),
        signatureAlg: asOid(alg, '签名算法'),
        signature: asBits(sig, '签名值'),
        ...(ts ? { timeStamp: asBits(items(ts)[0], '时间戳') } : {}),
      }
    }
    if (parts.length === 2) {
      const [tbs, sig] = parts
      const t = items(tbs, TAG.SEQUENCE)
      if (t.length < 7) throw new DerError('签章信息不完整')
      asInteger(t[0], '签章版本')
      // Some producers put OCTET STRING where GM/T 0031 says BIT STRING.
      const bitsOrOctets = (x: Tlv | undefined, what: string) =>
        x?.tag === TAG.OCTET_STRING ? asOctets(x, what) : asBits(x, what)
      const time = v1Time(bitsOrOctets(t[2], '签章时间'))
      return {
        version: 1,
        tbsRaw: tbs!.raw,
        seal: parseSealTlv(t[1]),
        ...(time ? { timeInfo: time } : {}),
        dataHash: bitsOrOctets(t[3], '原文杂凑值'),
        propertyInfo: asString(t[4], '原文属性'),
        signerCert: asOctets(t[5], '签章者证书'),
        signatureAlg: asOid(t[6], '签名算法'),
        signature: asBits(sig, '签名值'),
      }
    }
    throw new DerError('签章数据结构无法识别')
  })
}

// ——— writing ———

export interface SealSpec {
  readonly esId: string
  readonly vendorId: string
  readonly type: number
  readonly name: string
  /** DER certificates of the signers allowed to use the seal. */
  readonly signerCerts: readonly Uint8Array[]
  readonly createDate: Date
  readonly validStart: Date
  readonly validEnd: Date
  readonly picture: SealPicture
}

/** DER of a v4 SES_SealInfo: what the seal maker signs. */
export function sealInfoV4(spec: SealSpec): Uint8Array {
  return der.seq(
    der.seq(der.ia5('ES'), der.int(4), der.ia5(spec.vendorId)),
    der.ia5(spec.esId),
    der.seq(
      der.int(spec.type),
      der.utf8(spec.name),
      der.int(1),
      der.seq(...spec.signerCerts.map((c) => der.octets(c))),
      der.generalizedTime(spec.createDate),
      der.generalizedTime(spec.validStart),
      der.generalizedTime(spec.validEnd),
    ),
    der.seq(
      der.ia5(spec.picture.type),
      der.octets(spec.picture.data),
      der.int(spec.picture.width),
      der.int(spec.picture.height),
    ),
  )
}

export function sealV4(
  sealInfo: Uint8Array,
  makerCert: Uint8Array,
  algorithm: string,
  signature: Uint8Array,
): Uint8Array {
  return der.seq(sealInfo, der.octets(makerCert), der.oid(algorithm), der.bits(signature))
}

export function tbsSignV4(
  seal: Uint8Array,
  time: Date,
  dataHash: Uint8Array,
  propertyInfo: string,
): Uint8Array {
  return der.seq(
    der.int(4),
    seal,
    der.generalizedTime(time),
    der.bits(dataHash),
    der.ia5(propertyInfo),
  )
}

export function sesSignatureV4(
  tbs: Uint8Array,
  signerCert: Uint8Array,
  algorithm: string,
  signature: Uint8Array,
): Uint8Array {
  return der.seq(tbs, der.octets(signerCert), der.oid(algorithm), der.bits(signature))
}

/** GM/T 0031 structures, for tests and fixtures: documents sealed by older systems use them. */
export function sealInfoV1(spec: SealSpec): Uint8Array {
  return der.seq(
    der.seq(der.ia5('ES'), der.int(1), der.ia5(spec.vendorId)),
    der.ia5(spec.esId),
    der.seq(
      der.int(spec.type),
      der.utf8(spec.name),
      der.seq(...spec.signerCerts.map((c) => der.octets(c))),
      der.utcTime(spec.createDate),
      der.utcTime(spec.validStart),
      der.utcTime(spec.validEnd),
    ),
    der.seq(
      der.ia5(spec.picture.type),
      der.octets(spec.picture.data),
      der.int(spec.picture.width),
      der.int(spec.picture.height),
    ),
  )
}

export function sealV1(
  sealInfo: Uint8Array,
  makerCert: Uint8Array,
  algorithm: string,
  signature: Uint8Array,
): Uint8Array {
  return der.seq(sealInfo, der.seq(der.octets(makerCert), der.oid(algorithm), der.bits(signature)))
}

export function tbsSignV1(
  seal: Uint8Array,
  time: Date,
  dataHash: Uint8Array,
  propertyInfo: string,
  signerCert: Uint8Array,
  algorithm: string,
): Uint8Array {
  return der.seq(
    der.int(1),
    seal,
    der.bits(der.utcTime(time)),
    der.bits(dataHash),
    der.ia5(propertyInfo),
    der.octets(signerCert),
    der.oid(algorithm),
  )
}

export function sesSignatureV1(tbs: Uint8Array, signature: Uint8Array): Uint8Array {
  return der.seq(tbs, der.bits(signature))
}
