/**
 * The timestamp a GB/T 38540 signature may carry over its signature value (`timeStamp [0]`): an
 * RFC 3161 TimeStampToken, a CMS SignedData whose content is a TSTInfo, from the PKCS #7 or the
 * GM/T 0010 (SM2) content types.
 *
 *   ContentInfo { contentType, content [0] EXPLICIT SignedData }
 *   SignedData  { version, digestAlgorithms SET, encapContentInfo { eContentType id-ct-TSTInfo,
 *                 eContent [0] EXPLICIT OCTET STRING }, certificates [0] IMPLICIT OPTIONAL,
 *                 crls [1] OPTIONAL, signerInfos SET OF SignerInfo }
 *   SignerInfo  { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
 *                 signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] OPTIONAL }
 *   TSTInfo     { version, policy, messageImprint { hashAlgorithm, hashedMessage }, serialNumber,
 *                 genTime GeneralizedTime, … }
 *
 * The token lies outside what the signer signed, so this module only says what the token proves:
 * `verified` (the TSA, chaining to a trusted root and in force then, signed a TSTInfo whose
 * imprint is the digest of this signature value: the signature existed at `genTime`), `invalid`
 * (it is malformed or its imprint or TSA signature is wrong: the signed value was tampered with),
 * or — proving nothing either way — `untrusted` (the TSA does not chain to a trusted root, or was
 * not in force) and `unsupported` (a TSA algorithm or imprint digest other than SM2/SM3, SHA-1/2).
 */
import { isCounterError } from '../../../shared/errors'
import { asOctets, asOid, asTime, decode, DerError, items, TAG, type Tlv } from './der'
import { digestByName } from './digests'
import { displayName, OID, parseCertificate, sameBytes, verifySm2, type Certificate } from './x509'

export type TimestampStatus = 'verified' | 'invalid' | 'untrusted' | 'unsupported'

export interface TimestampCheck {
  readonly status: TimestampStatus
  /** TSTInfo genTime, once the token has been read far enough to know it. */
  readonly genTime?: Date
  /** The TSA certificate's name, once found. */
  readonly tsa?: string
  /** Why, when not verified (for the log and the result's detail). */
  readonly detail?: string
}

const SIGNED_DATA = new Set(['1.2.840.113549.1.7.2', '1.2.156.10197.6.1.4.2.2'])
const TST_INFO = '1.2.840.113549.1.9.16.1.4'
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4'
/** SM2 with SM3, or plain SM2 (GM/T 0006) as some TSAs write it. */
const SM2_SIGNATURES = new Set([OID.sm2WithSm3, '1.2.156.10197.1.301.1'])
/** Certificates a token may carry that we try: a TSA sends its own and perhaps its CA's. */
const MAX_CERTIFICATES = 8

class Verdict extends Error {
  constructor(
    readonly status: Exclude<TimestampStatus, 'verified'>,
    readonly detail: string,
  ) {
    super(detail)
  }
}

const algorithmOid = (t: Tlv | undefined, what: string) =>
  asOid(items(t, TAG.SEQUENCE, what)[0], what)

interface Token {
  readonly tstInfo: Uint8Array
  readonly certificates: readonly Uint8Array[]
  readonly digestAlgorithm: string
  readonly signedAttrs?: Tlv
  readonly signatureAlgorithm: string
  readonly signature: Uint8Array
}

function parseToken(bytes: Uint8Array): Token {
  const [contentType, content] = items(decode(bytes), TAG.SEQUENCE)
  if (!SIGNED_DATA.has(asOid(contentType, '时间戳内容类型')))
    throw new DerError('时间戳不是 SignedData')
  if (content?.tag !== 0xa0) throw new DerError('时间戳缺少内容')
  const fields = items(items(content)[0], TAG.SEQUENCE, 'SignedData')
  const encap = items(fields[2], TAG.SEQUENCE, '封装内容')
  if (asOid(encap[0], '时间戳封装类型') !== TST_INFO) throw new DerError('时间戳内容不是 TSTInfo')
  if (encap[1]?.tag !== 0xa0) throw new DerError('时间戳缺少 TSTInfo')
  const tstInfo = asOctets(items(encap[1])[0], 'TSTInfo')
  let i = 3
  let certificates: Uint8Array[] = []
  if (fields[i]?.tag === 0xa0) certificates = items(fields[i++]).map((c) => c.raw)
  if (fields[i]?.tag === 0xa1) i++
  const signers = items(fields[i], TAG.SET, '签名者信息')
  if (signers.length !== 1) throw new DerError('时间戳应有且仅有一个签名者')
  const s = items(signers[0], TAG.SEQUENCE)
  let j = 3
  const signedAttrs = s[j]?.tag === 0xa0 ? s[j++] : undefined
  return {
    tstInfo,
    certificates: certificates.slice(0, MAX_CERTIFICATES),
    digestAlgorithm: algorithmOid(s[2], '时间戳摘要算法'),
    ...(signedAttrs ? { signedAttrs } : {}),
    signatureAlgorithm: algorithmOid(s[j], '时间戳签名算法'),
    signature: asOctets(s[j + 1], '时间戳签名值'),
  }
}

function parseTstInfo(bytes: Uint8Array) {
  const [, , imprint, , genTime] = items(decode(bytes), TAG.SEQUENCE)
  const [hashAlgorithm, hashedMessage] = items(imprint, TAG.SEQUENCE, '时间戳摘要')
  return {
    imprintAlgorithm: algorithmOid(hashAlgorithm, '时间戳摘要算法'),
    imprint: asOctets(hashedMessage, '时间戳摘要'),
    genTime: asTime(genTime, '时间戳时间'),
  }
}

/** What the TSA signed: the signed attributes re-tagged as a SET (RFC 5652 §5.4), or TSTInfo. */
function signedMessage(token: Token): Uint8Array {
  if (!token.signedAttrs) return token.tstInfo
  const digest = digestByName(token.digestAlgorithm)
  if (!digest) throw new Verdict('unsupported', `时间戳摘要算法 ${token.digestAlgorithm}`)
  const attrs = items(token.signedAttrs).map((a) => items(a, TAG.SEQUENCE))
  const md = attrs.find(([type]) => asOid(type, '属性类型') === MESSAGE_DIGEST)
  const value = md && items(md[1], TAG.SET, '消息摘要')[0]
  if (!value || !sameBytes(asOctets(value, '消息摘要'), digest(token.tstInfo)))
    throw new Verdict('invalid', '时间戳消息摘要与 TSTInfo 不符')
  const message = token.signedAttrs.raw.slice()
  message[0] = TAG.SET
  return message
}

export interface TimestampTrust {
  /** The chain from a certificate to a trusted anchor, each link checked; undefined when none. */
  readonly chainTo: (cert: Certificate) => readonly Certificate[] | undefined
  readonly anchors: readonly Certificate[]
}

/** Checks a timestamp token over `signatureValue` (the signature's bytes as stored). */
export function checkTimestamp(
  token: Uint8Array,
  signatureValue: Uint8Array,
  trust: TimestampTrust,
): TimestampCheck {
  let genTime: Date | undefined
  let tsa: Certificate | undefined
  const known = () => ({
    ...(genTime ? { genTime } : {}),
    ...(tsa ? { tsa: displayName(tsa.subject) } : {}),
  })
  try {
    const parsed = parseToken(token)
    const info = parseTstInfo(parsed.tstInfo)
    genTime = info.genTime
    const imprintDigest = digestByName(info.imprintAlgorithm)
    if (!imprintDigest) throw new Verdict('unsupported', `时间戳摘要算法 ${info.imprintAlgorithm}`)
    if (!sameBytes(imprintDigest(signatureValue), info.imprint))
      throw new Verdict('invalid', '时间戳不是对该签名值的时间戳')
    if (!SM2_SIGNATURES.has(parsed.signatureAlgorithm))
      throw new Verdict('unsupported', `时间戳签名算法 ${parsed.signatureAlgorithm}`)
    const message = signedMessage(parsed)
    // The TSA is whichever certificate — carried in the token or trusted — verifies the signature.
    const candidates = [
      ...parsed.certificates.flatMap((c) => {
        try {
          return [parseCertificate(c)]
        } catch (error) {
          if (isCounterError(error)) return []
          throw error
        }
      }),
      ...trust.anchors,
    ]
    tsa = candidates.find(
      (c) => c.sm2PublicKey && verifySm2(message, parsed.signature, c.sm2PublicKey),
    )
    if (!tsa) throw new Verdict('invalid', '时间戳签名无效')
    const chain = trust.chainTo(tsa)
    if (!chain) throw new Verdict('untrusted', '时间戳机构证书不是由受信任的机构签发')
    if (chain.some((c) => info.genTime < c.notBefore || info.genTime > c.notAfter))
      throw new Verdict('untrusted', '时间戳机构证书在时间戳时间不在有效期内')
    return { status: 'verified', ...known() }
  } catch (error) {
    if (error instanceof Verdict) return { status: error.status, detail: error.detail, ...known() }
    if (error instanceof DerError)
      return { status: 'invalid', detail: `时间戳格式错误：${error.message}`, ...known() }
    throw error
  }
}
