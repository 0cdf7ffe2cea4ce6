/**
 * Seal verification: one result per Signature in Signatures.xml. The checks run in the order a
 * failure is most useful to report — a changed file first (the document was altered), then the
 * signature and seal themselves, then whether the certificates are trusted and were in force —
 * and the first that fails decides the result. The rule for documents with several signatures
 * is in ../README.md ("Several signatures").
 */
import { sm3 } from '../../crypto'
import type { SealResult, SealStatus, SealVerification } from '../../../shared/domain'
import { isCounterError } from '../../../shared/errors'
import type { OfdDocument } from '../document'
import type { SignatureEntry, SignatureFile } from '../model'
import { dirOf } from '../package/ofd-package'
import type { VerifyOptions } from '../types'
import { der } from './der'
import { digestByName, type Digest } from './digests'
import { parseSesSignature, parseSigningTimeText, type SesSignature } from './ses'
import { checkTimestamp, type TimestampCheck } from './timestamp'
import {
  displayName,
  fingerprint,
  formatName,
  OID,
  parseCertificate,
  sameBytes,
  signedBy,
  verifySm2,
  type Certificate,
} from './x509'

export type SealReason =
  | 'ok'
  | 'signature-list-missing'
  | 'signature-list-malformed'
  | 'signature-file-unreadable'
  | 'signed-value-missing'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unsupported-digest'
  | 'reference-missing'
  | 'reference-mismatch'
  | 'unprotected-content'
  | 'data-hash-mismatch'
  | 'certificate-malformed'
  | 'signature-mismatch'
  | 'seal-signature-invalid'
  | 'signer-not-in-seal'
  | 'certificate-untrusted'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'seal-maker-untrusted'
  | 'seal-expired'
  | 'seal-not-yet-valid'
  | 'timestamp-invalid'

const STATUS: Record<SealReason, SealStatus> = {
  ok: 'valid',
  // OFD.xml says the document is signed, but the list of its signatures is gone or damaged:
  // whatever was signed can no longer be checked, so the document is not as it was signed.
  'signature-list-missing': 'document-altered',
  'signature-list-malformed': 'document-altered',
  'signature-file-unreadable': 'signature-invalid',
  'signed-value-missing': 'signature-invalid',
  malformed: 'signature-invalid',
  'unsupported-algorithm': 'signature-invalid',
  'unsupported-digest': 'signature-invalid',
  'reference-missing': 'document-altered',
  'reference-mismatch': 'document-altered',
  'unprotected-content': 'document-altered',
  'data-hash-mismatch': 'document-altered',
  'certificate-malformed': 'signature-invalid',
  'signature-mismatch': 'signature-invalid',
  'seal-signature-invalid': 'signature-invalid',
  'signer-not-in-seal': 'signature-invalid',
  'certificate-untrusted': 'certificate-untrusted',
  'certificate-expired': 'certificate-untrusted',
  'certificate-not-yet-valid': 'certificate-untrusted',
  'seal-maker-untrusted': 'certificate-untrusted',
  'seal-expired': 'certificate-untrusted',
  'seal-not-yet-valid': 'certificate-untrusted',
  'timestamp-invalid': 'signature-invalid',
}

const MESSAGES: Record<SealReason, string> = {
  ok: '签章有效，文件自签章后未被修改',
  'signature-list-missing': '文件声明含有电子签章，但签名列表已缺失，签章无法核验',
  'signature-list-malformed': '文件的签名列表已损坏，签章无法核验',
  'signature-file-unreadable': '签章描述文件无法读取',
  'signed-value-missing': '签章缺少签名值',
  malformed: '签章数据格式错误',
  'unsupported-algorithm': '签章使用了不支持的签名算法',
  'unsupported-digest': '签章使用了不支持的摘要算法',
  'reference-missing': '签章保护的文件已被删除',
  'reference-mismatch': '文件在签章后被修改',
  'unprotected-content': '文件含有签章未保护的内容（可能在签章后被加入）',
  'data-hash-mismatch': '签章描述文件在签章后被修改',
  'certificate-malformed': '签章人证书格式错误',
  'signature-mismatch': '签名值验证失败',
  'seal-signature-invalid': '电子印章的制章签名无效',
  'signer-not-in-seal': '签章人证书不属于该电子印章',
  'certificate-untrusted': '签章人证书不是由受信任的机构签发',
  'certificate-expired': '签章时签章人证书已过期',
  'certificate-not-yet-valid': '签章时签章人证书尚未生效',
  'seal-maker-untrusted': '制章者证书不是由受信任的机构签发',
  'seal-expired': '签章时电子印章已过有效期',
  'seal-not-yet-valid': '签章时电子印章尚未生效',
  'timestamp-invalid': '签章所附时间戳无效（签名值可能被篡改）',
}

class Fail extends Error {
  constructor(
    readonly reason: SealReason,
    readonly detail?: string,
  ) {
    super(reason)
  }
}

function digestFor(method: string | undefined): Digest {
  const fn = digestByName(method ?? '1.2.156.10197.1.401')
  if (!fn) throw new Fail('unsupported-digest', method)
  return fn
}

const SM2_NAMES = new Set([OID.sm2WithSm3, 'sm2', 'sm2-sm3', 'sm3withsm2', '1.2.156.10197.1.501'])

function base64(s: string): Uint8Array | undefined {
  const clean = s.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined
  return new Uint8Array(Buffer.from(clean, 'base64'))
}

interface Trust {
  readonly anchors: readonly Certificate[]
}

/** The chain from `leaf` to an anchor, each link checked by signature; undefined when none. */
function chainTo(leaf: Certificate, trust: Trust): Certificate[] | undefined {
  const chain = [leaf]
  let current = leaf
  for (let depth = 0; depth < 6; depth++) {
    if (trust.anchors.some((a) => sameBytes(a.raw, current.raw))) return chain
    const issuer = trust.anchors.find(
      (a) => sameBytes(a.subjectRaw, current.issuerRaw) && a.isCa !== false && signedBy(current, a),
    )
    if (!issuer) return undefined
    chain.push(issuer)
    if (sameBytes(issuer.raw, current.raw)) return chain
    current = issuer
  }
  return undefined
}

function checkChain(cert: Certificate, trust: Trust, at: Date, untrusted: SealReason): void {
  const chain = chainTo(cert, trust)
  if (!chain) throw new Fail(untrusted, displayName(cert.subject))
  for (const c of chain) {
    if (at < c.notBefore) throw new Fail('certificate-not-yet-valid', displayName(c.subject))
    if (at > c.notAfter) throw new Fail('certificate-expired', displayName(c.subject))
  }
}

/**
 * Whether the seal lists the signer: its certificate (list type 1) or a digest of it (type 2).
 * A digest under an algorithm we do not know is not guessed at: when no digest we can compute
 * matches and some could not be computed, the answer is `unsupported-digest`, not a match found
 * or missed by hashing with the wrong algorithm.
 */
function checkCertListed(ses: SesSignature): void {
  const seal = ses.seal
  if (seal.certListType !== 2) {
    if (!seal.certs.some((c) => sameBytes(c, ses.signerCert))) throw new Fail('signer-not-in-seal')
    return
  }
  const unknown: string[] = []
  for (const d of seal.certDigests) {
    const fn = digestByName(d.type)
    if (!fn) unknown.push(d.type)
    else if (sameBytes(fn(ses.signerCert), d.value)) return
  }
  if (unknown.length) throw new Fail('unsupported-digest', `证书摘要算法 ${unknown.join('、')}`)
  throw new Fail('signer-not-in-seal')
}

const makerCache = new Map<string, boolean>()

/** The maker's signature over the seal, remembered per seal: every licence of an issuer carries the same one. */
function sealMakerSigned(ses: SesSignature, maker: Certificate): boolean {
  const key = `${fingerprint(ses.seal.raw)}:${fingerprint(maker.raw)}`
  const known = makerCache.get(key)
  if (known !== undefined) return known
  const ok = checkSealMaker(ses, maker)
  if (makerCache.size >= 256) makerCache.delete(makerCache.keys().next().value!)
  makerCache.set(key, ok)
  return ok
}

function checkSealMaker(ses: SesSignature, maker: Certificate): boolean {
  if (!maker.sm2PublicKey) return false
  const seal = ses.seal
  if (verifySm2(seal.sealInfoRaw, seal.makerSignature, maker.sm2PublicKey)) return true
  // GM/T 0031 and GB/T 38540 word it as SEQUENCE { sealInfo, makerCert, algorithm }; some makers sign that.
  const wide = der.seq(seal.sealInfoRaw, der.octets(seal.makerCert), der.oid(seal.makerSignAlg))
  return verifySm2(wide, seal.makerSignature, maker.sm2PublicKey)
}

interface Context {
  readonly doc: OfdDocument
  readonly entries: readonly SignatureEntry[]
  readonly trust: Trust
  readonly options: VerifyOptions
  readonly drawn: readonly string[]
  /** Per entry, the folder of its Signature.xml (undefined when the entry names none). */
  readonly signatureDirs: readonly (string | undefined)[]
  readonly hashes: Map<string, Map<string, Uint8Array>>
}

function fileHash(ctx: Context, path: string, method: string | undefined): Uint8Array | undefined {
  const key = (method ?? 'sm3').toLowerCase()
  let byMethod = ctx.hashes.get(key)
  if (!byMethod) ctx.hashes.set(key, (byMethod = new Map()))
  const have = byMethod.get(path)
  if (have) return have
  const canonical = ctx.doc.pkg.canonical(path)
  if (!canonical) return undefined
  let bytes: Uint8Array
  try {
    bytes = ctx.doc.pkg.read(canonical)
  } catch (error) {
    // A protected file whose stored bytes no longer inflate or match their CRC was changed.
    if (
      isCounterError(error) &&
      (error.code === 'OFD_ZIP_CORRUPT' || error.code === 'OFD_ZIP_UNSUPPORTED')
    )
      throw new Fail('reference-mismatch', `/${canonical}`)
    throw error
  }
  const h = digestFor(method)(bytes)
  byMethod.set(path, h)
  return h
}

function verifyOne(ctx: Context, index: number): SealResult {
  const entry = ctx.entries[index]!
  const base = { id: entry.id, type: entry.type, stamps: [] as SealResult['stamps'] }
  let file: SignatureFile | undefined
  let ses: SesSignature | undefined
  let signer: Certificate | undefined
  let timestamp: TimestampCheck | undefined
  let validity: { at: Date; source: NonNullable<SealResult['timeSource']> } | undefined
  const info = (): Omit<
    SealResult,
    'status' | 'reason' | 'message' | 'id' | 'type' | 'stamps'
  > => ({
    ...(ses ? { version: ses.version, sealName: ses.seal.name, sealId: ses.seal.esId } : {}),
    ...(signer
      ? {
          signer: displayName(signer.subject),
          certificate: {
            subject: formatName(signer.subject),
            issuer: formatName(signer.issuer),
            serial: signer.serial,
            notBefore: signer.notBefore.toISOString(),
            notAfter: signer.notAfter.toISOString(),
          },
        }
      : {}),
    ...(claimedTime() ? { signedAt: claimedTime()!.toISOString() } : {}),
    ...(validity ? { validityAt: validity.at.toISOString(), timeSource: validity.source } : {}),
    ...(timestamp
      ? {
          timestamp: {
            status: timestamp.status,
            ...(timestamp.genTime ? { at: timestamp.genTime.toISOString() } : {}),
            ...(timestamp.tsa ? { tsa: timestamp.tsa } : {}),
          },
        }
      : {}),
  })
  /**
   * The signer's own word for when it signed: TBS_Sign's timeInfo, else (a v1 timeInfo that is
   * not a time) Signature.xml's SignatureDateTime — inside what dataHash protects, so equally the
   * signer's claim.
   */
  const claimedTime = (): Date | undefined =>
    ses?.timeInfo ??
    (file?.signatureDateTime ? parseSigningTimeText(file.signatureDateTime) : undefined)
  try {
    try {
      file = ctx.doc.signatureFile(entry)
    } catch (error) {
      if (isCounterError(error)) throw new Fail('signature-file-unreadable', entry.baseLoc)
      throw error
    }
    base.stamps = file.stamps.flatMap((s) => {
      const page = ctx.doc.pageIndexById(s.pageRef)
      return page < 0
        ? []
        : [{ page, boundary: [...s.boundary] as [number, number, number, number] }]
    })
    if (!file.signedValue || !ctx.doc.pkg.has(file.signedValue))
      throw new Fail('signed-value-missing', file.signedValue)
    try {
      ses = parseSesSignature(ctx.doc.pkg.read(file.signedValue))
    } catch (error) {
      if (isCounterError(error) && error.code === 'OFD_ASN1_MALFORMED')
        throw new Fail('malformed', error.message)
      throw error
    }
    try {
      signer = parseCertificate(ses.signerCert)
    } catch {
      throw new Fail('certificate-malformed')
    }
    const method = file.signatureMethod?.toLowerCase()
    if (method && !SM2_NAMES.has(method))
      throw new Fail('unsupported-algorithm', file.signatureMethod)
    if (ses.signatureAlg !== OID.sm2WithSm3)
      throw new Fail('unsupported-algorithm', ses.signatureAlg)

    // 1. References.
    const last = index === ctx.entries.length - 1
    const listPath = ctx.doc.signaturesPath
    const referenced = new Set<string>()
    for (const ref of file.references) {
      const canonical = ctx.doc.pkg.canonical(ref.fileRef)
      if (!canonical) throw new Fail('reference-missing', `/${ref.fileRef}`)
      referenced.add(canonical)
      const expected = base64(ref.checkValue)
      const actual = fileHash(ctx, canonical, file.checkMethod)
      if (expected && actual && sameBytes(expected, actual)) continue
      // Rule 2: a later signing rewrote the signature list.
      if (listPath && canonical === ctx.doc.pkg.canonical(listPath) && !last) continue
      throw new Fail('reference-mismatch', `/${canonical}`)
    }
    // Rule 4: everything the document draws is protected — but (rule 3) not what later
    // signatures added in their own folders, nor this signature's own two files. The folders of
    // earlier signatures, and this one's, get no exemption: their files existed when it signed.
    const ownDir = dirOf(file.path)
    const own = new Set(
      [file.path, file.signedValue].flatMap((p) => (p ? [ctx.doc.pkg.canonical(p) ?? p] : [])),
    )
    const laterDirs = ctx.signatureDirs
      .slice(index + 1)
      .filter((d): d is string => d !== undefined && d !== ownDir)
    for (const f of ctx.drawn) {
      if (referenced.has(f) || own.has(f)) continue
      if (laterDirs.some((d) => f.startsWith(`${d}/`))) continue
      throw new Fail('unprotected-content', `/${f}`)
    }

    // 2. dataHash over Signature.xml.
    let signatureXml: Uint8Array
    try {
      signatureXml = ctx.doc.pkg.read(ctx.doc.pkg.canonical(file.path) ?? file.path)
    } catch (error) {
      if (isCounterError(error) && error.code === 'OFD_ZIP_CORRUPT')
        throw new Fail('data-hash-mismatch', `/${file.path}`)
      throw error
    }
    if (!sameBytes(sm3(signatureXml), ses.dataHash))
      throw new Fail('data-hash-mismatch', `/${file.path}`)

    // 3. The SM2 signature over TBS_Sign.
    if (!signer.sm2PublicKey) throw new Fail('unsupported-algorithm', signer.keyAlgorithm)
    if (!verifySm2(ses.tbsRaw, ses.signature, signer.sm2PublicKey))
      throw new Fail('signature-mismatch')

    // 3b. The timestamp over the signature value, when there is one. It lies outside what the
    // signer signed: a wrong one means the signed value was tampered with; one we cannot trust
    // or check proves nothing, and the signer's own time is used instead.
    if (ses.timeStamp) {
      timestamp = checkTimestamp(ses.timeStamp, ses.signature, {
        anchors: ctx.trust.anchors,
        chainTo: (c) => chainTo(c, ctx.trust),
      })
      if (timestamp.status === 'invalid') throw new Fail('timestamp-invalid', timestamp.detail)
    }

    // 4. The seal: made by its maker, for this signer.
    let maker: Certificate
    try {
      maker = parseCertificate(ses.seal.makerCert)
    } catch {
      throw new Fail('seal-signature-invalid', '制章者证书格式错误')
    }
    if (ses.seal.makerSignAlg !== OID.sm2WithSm3 || !sealMakerSigned(ses, maker))
      throw new Fail('seal-signature-invalid')
    checkCertListed(ses)

    // 5. Trust and validity, at the signing time unless told otherwise: a verified timestamp's
    // time, else the signer's own claim (see the README: "Which signing time"), else now.
    const claimed = claimedTime()
    validity =
      ctx.options.at instanceof Date
        ? { at: ctx.options.at, source: 'given' }
        : timestamp?.status === 'verified' && timestamp.genTime
          ? { at: timestamp.genTime, source: 'timestamp' }
          : claimed
            ? { at: claimed, source: 'signer-asserted' }
            : { at: ctx.options.now ?? new Date(), source: 'check-time' }
    const at = validity.at
    if (at < ses.seal.validStart) throw new Fail('seal-not-yet-valid', ses.seal.name)
    if (at > ses.seal.validEnd) throw new Fail('seal-expired', ses.seal.name)
    checkChain(signer, ctx.trust, at, 'certificate-untrusted')
    // The maker signed when it made the seal: its certificate must have been in force then.
    const made = ctx.options.at instanceof Date ? at : ses.seal.createDate
    checkChain(maker, ctx.trust, made, 'seal-maker-untrusted')

    return { ...base, ...info(), status: 'valid', reason: 'ok', message: MESSAGES.ok }
  } catch (error) {
    if (!(error instanceof Fail)) {
      if (
        isCounterError(error) &&
        error.code !== 'OFD_ZIP_UNSAFE' &&
        error.code !== 'OFD_LIMIT_EXCEEDED'
      ) {
        const fail = new Fail('malformed', error.message)
        return result(fail)
      }
      throw error
    }
    return result(error)
  }
  function result(f: Fail): SealResult {
    return {
      ...base,
      ...info(),
      status: STATUS[f.reason],
      reason: f.reason,
      message: f.detail ? `${MESSAGES[f.reason]}（${f.detail}）` : MESSAGES[f.reason],
      ...(f.detail ? { detail: f.detail } : {}),
    }
  }
}

/**
 * Verifies every signature of a document. An unsigned document yields an empty list; one whose
 * OFD.xml names a Signatures.xml that is missing or malformed yields one `document-altered`
 * result for the list (id empty), never an empty list and never an error.
 */
export async function verifyOfd(
  doc: OfdDocument,
  options: VerifyOptions,
): Promise<SealVerification> {
  const anchors = options.trust.certificates.flatMap((c) => {
    try {
      return [parseCertificate(c)]
    } catch {
      return []
    }
  })
  const list = doc.signatureList()
  if (list.problem) {
    const reason: SealReason =
      list.problem.kind === 'missing' ? 'signature-list-missing' : 'signature-list-malformed'
    const detail = `/${list.problem.part}`
    const signatures: SealResult[] = [
      {
        id: '',
        type: 'Seal',
        stamps: [],
        status: STATUS[reason],
        reason,
        message: `${MESSAGES[reason]}（${detail}）`,
        detail: list.problem.reason ? `${detail}: ${list.problem.reason}` : detail,
      },
    ]
    return { signatures, allValid: false, checkedAt: (options.now ?? new Date()).toISOString() }
  }
  const entries = list.entries
  const ctx: Context = {
    doc,
    entries,
    trust: { anchors },
    options,
    drawn: entries.length ? doc.drawnFiles() : [],
    signatureDirs: entries.map((e) => (e.baseLoc ? dirOf(e.baseLoc) : undefined)),
    hashes: new Map(),
  }
  const signatures = entries.map((_, i) => verifyOne(ctx, i))
  return {
    signatures,
    allValid: signatures.length > 0 && signatures.every((s) => s.status === 'valid'),
    checkedAt: (options.now ?? new Date()).toISOString(),
  }
}
