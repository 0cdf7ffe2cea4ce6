/**
 * Seals an OFD (电子签章): adds Signatures.xml (or a Signature to it), a Signature.xml whose
 * references protect every file of the package but the signature list and the new signature's own
 * files, and SignedValue.dat — a GB/T 38540 v4 SES_Signature whose dataHash is SM3 of
 * Signature.xml, signed through a SealSigner (a software key, or the CA token).
 */
import { sm3 } from '../../crypto'
import { CounterError } from '../../../shared/errors'
import { OfdDocument } from '../document'
import { ZipArchive } from '../package/zip'
import { DEFAULT_LIMITS, type SignOptions } from '../types'
import { digestByName } from '../seal/digests'
import { signWith } from '../seal/make'
import { parseSeal, sesSignatureV1, sesSignatureV4, tbsSignV1, tbsSignV4 } from '../seal/ses'
import { OID, parseCertificate, sameBytes } from '../seal/x509'
import { el, escapeXml, nums, textEl, xmlDocument } from './xml-writer'
import { writeZip } from './zip-writer'

/** xs:dateTime in UTC without fractions, as Signature.xml carries it. */
function dateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface SignInternals {
  /** GM/T 0031 (v1) output, for verifier tests and interoperability checks only. */
  readonly sesVersion?: 4 | 1
  /**
   * Also protect Signatures.xml, as some producers do (tests of the multi-signature rule only:
   * a later signature then necessarily changes a file this one protects).
   */
  readonly referenceSignatureList?: boolean
}

export async function signOfd(
  bytes: Uint8Array,
  options: SignOptions & SignInternals,
): Promise<Uint8Array> {
  const doc = OfdDocument.open(bytes, { name: 'unsigned.ofd' })
  const page = doc.pageRefs[options.stamp.page]
  if (!page)
    throw new CounterError('OFD_PAGE_OUT_OF_RANGE', {
      params: { page: options.stamp.page + 1, count: doc.pageCount },
    })

  const seal = parseSeal(options.seal)
  const version = options.sesVersion ?? 4
  if (seal.version !== version)
    throw new CounterError('OFD_SEAL_INVALID', {
      params: { reason: `印章为第 ${seal.version} 版格式` },
    })
  const signerCert = parseCertificate(options.signer.certificate)
  const listed =
    seal.certListType === 2
      ? seal.certDigests.some((d) => {
          const digest = digestByName(d.type)
          return !!digest && sameBytes(d.value, digest(options.signer.certificate))
        })
      : seal.certs.some((c) => sameBytes(c, options.signer.certificate))
  if (!listed) {
    // The verifier would answer unsupported-digest: say that, rather than "not this signer".
    const unknown = seal.certDigests.find((d) => !digestByName(d.type))
    if (seal.certListType === 2 && unknown)
      throw new CounterError('OFD_SEAL_INVALID', {
        params: { reason: `证书摘要算法 ${unknown.type} 不受支持` },
      })
    throw new CounterError('OFD_SIGNER_MISMATCH')
  }
  const time = options.time ?? new Date()
  if (time < seal.validStart || time > seal.validEnd)
    throw new CounterError('OFD_SEAL_INVALID', { params: { reason: '不在印章有效期内' } })
  if (time < signerCert.notBefore || time > signerCert.notAfter)
    throw new CounterError('OFD_SIGNER_FAILED', { params: { reason: '签章人证书不在有效期内' } })

  // A list OFD.xml names but that is gone or broken: signing over it would hide that.
  const signatureList = doc.signatureList()
  if (signatureList.problem)
    throw new CounterError('OFD_STRUCTURE_INVALID', {
      params: {
        part: signatureList.problem.part,
        reason: signatureList.problem.kind === 'missing' ? '签名列表缺失' : '签名列表已损坏',
      },
    })

  // Every file, as stored.
  const zip = ZipArchive.open(bytes, DEFAULT_LIMITS)
  const files = new Map<string, Uint8Array>()
  for (const name of zip.names()) files.set(name, zip.read(name))
  const enc = new TextEncoder()
  const dec = new TextDecoder()

  // The signature list: the existing one, or a new one named in OFD.xml.
  let listPath = doc.signaturesPath
  let listXml: string
  if (listPath && files.has(listPath)) {
    listXml = dec.decode(files.get(listPath))
  } else {
    listPath = `${doc.docRoot.replace(/[^/]*$/, '')}Signs/Signatures.xml`
    listXml = xmlDocument(el('Signatures', {}, textEl('MaxSignId', '0')))
    const ofd = dec.decode(files.get('OFD.xml'))
    const withList = ofd.replace(
      /(<(\w+:)?DocRoot>[^<]*<\/(\w+:)?DocRoot>)/,
      (m, _a, prefix: string | undefined) =>
        `${m}<${prefix ?? ''}Signatures>${escapeXml(listPath!)}</${prefix ?? ''}Signatures>`,
    )
    if (withList === ofd)
      throw new CounterError('OFD_STRUCTURE_INVALID', {
        params: { part: 'OFD.xml', reason: '无法添加签名列表' },
      })
    files.set('OFD.xml', enc.encode(withList))
  }
  const existing = signatureList.entries
  const numericIds = existing.map((e) => Number(e.id)).filter((n) => Number.isInteger(n))
  const maxFromList = Number(/<(?:\w+:)?MaxSignId>\s*(\d+)\s*</.exec(listXml)?.[1] ?? 0)
  const n = Math.max(0, maxFromList, ...numericIds) + 1
  const listDir = listPath.replace(/[^/]*$/, '')
  let dirName = `Sign_${n - 1}`
  while ([...files.keys()].some((f) => f.startsWith(`${listDir}${dirName}/`))) dirName += '_'
  const sigDir = `${listDir}${dirName}`
  const sigPath = `${sigDir}/Signature.xml`
  const valuePath = `${sigDir}/SignedValue.dat`

  const prefix = /<(\w+:)?Signatures[\s>]/.exec(listXml)?.[1] ?? ''
  const entry = `<${prefix}Signature ID="${n}" Type="Seal" BaseLoc="${escapeXml(`${dirName}/Signature.xml`)}"/>`
  listXml = listXml.replace(
    /<(\w+:)?MaxSignId>\s*\d*\s*<\/(\w+:)?MaxSignId>/,
    `<${prefix}MaxSignId>${n}</${prefix}MaxSignId>`,
  )
  if (!/<(\w+:)?MaxSignId>/.test(listXml))
    listXml = listXml.replace(
      /<(\w+:)?Signatures([^>]*)>/,
      (m) => `${m}<${prefix}MaxSignId>${n}</${prefix}MaxSignId>`,
    )
  const closing = new RegExp(`</${prefix}Signatures>\\s*$`)
  if (closing.test(listXml)) listXml = listXml.replace(closing, `${entry}</${prefix}Signatures>`)
  else
    listXml = listXml.replace(
      /<((\w+:)?Signatures)([^>]*)\/>\s*$/,
      (_m, name: string, _p, attrs: string) => `<${name}${attrs}>${entry}</${name}>`,
    )
  files.set(listPath, enc.encode(listXml))

  // References: everything but the list and this signature's own files, in name order.
  const refs = [...files.keys()]
    .filter(
      (f) => (f !== listPath || options.referenceSignatureList) && f !== sigPath && f !== valuePath,
    )
    .sort()
    .map((f) =>
      el(
        'Reference',
        { FileRef: `/${f}` },
        textEl('CheckValue', Buffer.from(sm3(files.get(f)!)).toString('base64')),
      ),
    )
  const provider = options.provider ?? { name: 'CounterDesk' }
  const signatureXml = enc.encode(
    xmlDocument(
      el(
        'Signature',
        {},
        el(
          'SignedInfo',
          {},
          el('Provider', {
            ProviderName: provider.name,
            Version: provider.version,
            Company: provider.company,
          }),
          textEl('SignatureMethod', OID.sm2WithSm3),
          textEl('SignatureDateTime', dateTime(time)),
          el('References', { CheckMethod: OID.sm3 }, ...refs),
          el('StampAnnot', { ID: '1', PageRef: page.id, Boundary: nums(options.stamp.boundary) }),
        ),
        textEl('SignedValue', `/${valuePath}`),
      ),
    ),
  )
  files.set(sigPath, signatureXml)

  const dataHash = sm3(signatureXml)
  const property = `/${sigPath}`
  let value: Uint8Array
  if (version === 4) {
    const tbs = tbsSignV4(seal.raw, time, dataHash, property)
    const { der } = await signWith(options.signer, tbs)
    value = sesSignatureV4(tbs, options.signer.certificate, OID.sm2WithSm3, der)
  } else {
    const tbs = tbsSignV1(
      seal.raw,
      time,
      dataHash,
      property,
      options.signer.certificate,
      OID.sm2WithSm3,
    )
    const { der } = await signWith(options.signer, tbs)
    value = sesSignatureV1(tbs, der)
  }
  files.set(valuePath, value)
  return writeZip(files)
}
