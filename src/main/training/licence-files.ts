/**
 * The sandbox library's licence files: a signed OFD for each seed licence, made with the OFD
 * writer and signed through the same SealSigner interface issuance uses, by training keys.
 *
 * The training PKI is fixed (keys derived from their names), so a file made in one session
 * verifies in the next: a root CA (CounterDesk 培训根证书), a seal maker, and per issuing
 * authority a signer certificate and a v4 electronic seal whose picture is a vector OFD seal
 * marked 培训专用章. Every file carries a 培训样本 watermark. Files are made on first request
 * and cached.
 */
import { isCounterError } from '../../shared/errors'
import { sm2PublicKeyFromPrivate, sm3 } from '../crypto'
import type { WireLicence } from '../licences'
import {
  buildLicenceOfd,
  buildSealPictureOfd,
  createFontLibrary,
  issueSm2Certificate,
  loadLicenceTemplate,
  makeSealV4,
  openOfd,
  rasterisePage,
  renderPage,
  signOfd,
  softwareSealSigner,
  type FontLibrary,
  type LicenceTemplate,
  type NameAttr,
  type SealSigner,
} from '../ofd'

const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n

/** A private key derived from a label: stable across sessions, for training only. */
export function trainingKey(label: string): Uint8Array {
  const h = BigInt(
    `0x${Buffer.from(sm3(new TextEncoder().encode(`CounterDesk training key: ${label}`))).toString('hex')}`,
  )
  const d = (h % (SM2_N - 2n)) + 1n
  return Uint8Array.from(Buffer.from(d.toString(16).padStart(64, '0'), 'hex'))
}

const NOT_BEFORE = new Date(Date.UTC(1980, 0, 1))
const NOT_AFTER = new Date(Date.UTC(2049, 11, 31, 23, 59, 59))
const ROOT_NAME: readonly NameAttr[] = [
  ['C', 'CN'],
  ['O', 'CounterDesk 培训'],
  ['CN', 'CounterDesk 培训根证书（仅供培训）'],
]

export interface TrainingSealKit {
  /** The training root certificate: trust it to verify training files. */
  readonly rootCertificate: Uint8Array
  /** The signer and seal of an issuing authority, made on first use. */
  authority(
    name: string,
    code: string,
  ): Promise<{ readonly signer: SealSigner; readonly seal: Uint8Array }>
  /**
   * A seal, made by the training seal maker, for a key held elsewhere (the training UKey of the
   * unit): as a seal authority delivers it to a unit whose signing key is on a CA token.
   */
  sealFor(name: string, code: string, signerCertificate: Uint8Array): Promise<Uint8Array>
}

export function createTrainingSealKit(fonts: FontLibrary): TrainingSealKit {
  const rootKey = trainingKey('root')
  const rootCertificate = issueSm2Certificate(
    {
      serial: Uint8Array.of(0x01),
      issuer: ROOT_NAME,
      subject: ROOT_NAME,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      publicKey: sm2PublicKeyFromPrivate(rootKey),
      ca: true,
    },
    rootKey,
  )
  const makerKey = trainingKey('seal maker')
  const makerCert = issueSm2Certificate(
    {
      serial: Uint8Array.of(0x02),
      issuer: ROOT_NAME,
      subject: [
        ['C', 'CN'],
        ['O', 'CounterDesk 培训'],
        ['CN', '培训电子印章制作中心'],
      ],
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      publicKey: sm2PublicKeyFromPrivate(makerKey),
      ca: false,
    },
    rootKey,
  )
  const maker = softwareSealSigner(makerKey, makerCert)
  const cache = new Map<string, Promise<{ signer: SealSigner; seal: Uint8Array }>>()

  const sealOf = (name: string, code: string, signerCert: Uint8Array) =>
    makeSealV4(
      {
        esId: `TRAIN${code}`,
        vendorId: 'CounterDesk',
        type: 1,
        name: `${name}电子印章（培训）`,
        signerCerts: [signerCert],
        createDate: NOT_BEFORE,
        validStart: NOT_BEFORE,
        validEnd: NOT_AFTER,
        picture: {
          type: 'OFD',
          data: buildSealPictureOfd({ name, caption: '培训专用章' }, fonts),
          width: 42,
          height: 42,
        },
      },
      maker,
    )

  const make = async (name: string, code: string) => {
    const key = trainingKey(`signer ${code}`)
    const cert = issueSm2Certificate(
      {
        serial: sm3(new TextEncoder().encode(code)).subarray(0, 8),
        issuer: ROOT_NAME,
        subject: [
          ['C', 'CN'],
          ['O', name],
          ['CN', `${name}（培训）`],
        ],
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
        publicKey: sm2PublicKeyFromPrivate(key),
        ca: false,
      },
      rootKey,
    )
    return { signer: softwareSealSigner(key, cert), seal: await sealOf(name, code, cert) }
  }

  return {
    rootCertificate,
    sealFor: sealOf,
    authority(name, code) {
      let have = cache.get(code)
      if (!have) {
        have = make(name, code)
        cache.set(code, have)
        have.catch(() => cache.delete(code))
      }
      return have
    },
  }
}

const chineseDate = (iso: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? `${m[1]}年${m[2]}月${m[3]}日` : iso
}

const BUSINESS_TYPE = '11100000000018569J001'

/** The template and field values for a licence. */
function contentFor(
  l: WireLicence,
  templates: { generic: LicenceTemplate; business: LicenceTemplate },
): { template: LicenceTemplate; fields: Record<string, string> } {
  const face = new Map((l.surfaceData ?? []).map((f) => [f.name, f.value]))
  const validity =
    l.validEnd === '长期'
      ? `${chineseDate(l.validBegin)}起长期有效`
      : `${chineseDate(l.validBegin)}至${chineseDate(l.validEnd)}`
  if (l.licenseTypeCode === BUSINESS_TYPE) {
    return {
      template: templates.business,
      fields: {
        uscc: face.get('统一社会信用代码') ?? l.licenseNumber,
        name: face.get('名称') ?? l.holderName,
        type: face.get('类型') ?? '有限责任公司',
        established: chineseDate(face.get('成立日期') ?? l.issueDate),
        term: l.validEnd === '长期' ? '长期' : validity,
        address: face.get('住所') ?? '河南省郑州市',
        scope: face.get('经营范围') ?? '（略）',
        authority: l.issueOrgName,
        issueDate: chineseDate(l.issueDate),
      },
    }
  }
  const details = (l.surfaceData ?? [])
    .filter((f) => !['持证人', '姓名', '证号'].includes(f.name))
    .map((f) => `${f.name}：${f.value}`)
    .join('\n')
  return {
    template: templates.generic,
    fields: {
      licenceName: l.licenseTypeName,
      licenceNumber: l.licenseNumber,
      holderName: l.holderName,
      holderCode: l.holderIdentityNum,
      issuer: l.issueOrgName,
      issueDate: chineseDate(l.issueDate),
      validity,
      details,
      identifier: l.licenseIdentifier,
    },
  }
}

export interface LicenceFileSourceOptions {
  readonly resourcesDir: string
  /** Shared with the rest of the process when given. */
  readonly fonts?: FontLibrary
}

export interface LicenceFileSource {
  /** Plugs into the sandbox library's `fileFor` option. */
  readonly fileFor: (licence: WireLicence, format: 'ofd' | 'png') => Promise<Uint8Array | undefined>
  /** Trust these to verify the files' seals. */
  readonly trustAnchors: readonly Uint8Array[]
}

const CACHE_LIMIT = 64

export function createLicenceFileSource(options: LicenceFileSourceOptions): LicenceFileSource {
  const fonts = options.fonts ?? createFontLibrary({ resourcesDir: options.resourcesDir })
  const kit = createTrainingSealKit(fonts)
  let templates: Promise<{ generic: LicenceTemplate; business: LicenceTemplate }> | undefined
  const files = new Map<string, Promise<Uint8Array>>()

  const ofdFor = (l: WireLicence): Promise<Uint8Array> => {
    const have = files.get(l.licenseIdentifier)
    if (have) return have
    const made = (async () => {
      templates ??= Promise.all([
        loadLicenceTemplate(options.resourcesDir, 'generic-licence'),
        loadLicenceTemplate(options.resourcesDir, 'business-licence'),
      ]).then(([generic, business]) => ({ generic, business }))
      const { template, fields } = contentFor(l, await templates)
      const built = await buildLicenceOfd(
        {
          template,
          fields,
          qr: l.licenseIdentifier,
          docId: Buffer.from(
            sm3(new TextEncoder().encode(l.licenseIdentifier)).subarray(0, 16),
          ).toString('hex'),
          title: `${l.licenseTypeName}（${l.holderName}）`,
          author: l.issueOrgName,
          creationDate: new Date(`${l.issueDate}T01:00:00Z`),
          watermark: '培训样本',
          metadata: {
            证照名称: l.licenseTypeName,
            证照类型代码: l.licenseTypeCode,
            证照编号: l.licenseNumber,
            证照标识: l.licenseIdentifier,
            颁发机构: l.issueOrgName,
            颁发机构代码: l.issueOrgCode,
            颁发日期: l.issueDate,
            持证主体: l.holderName,
            持证主体代码类型代码: l.holderIdentityType,
            有效期起始: l.validBegin,
            有效期截止: l.validEnd,
          },
        },
        { fonts, creator: 'CounterDesk 培训证照库' },
      )
      const { signer, seal } = await kit.authority(l.issueOrgName, l.issueOrgCode)
      const signedAt = new Date(`${l.issueDate}T01:30:00Z`)
      return signOfd(built.bytes, {
        signer,
        seal,
        stamp: built.stamp,
        time: Number.isNaN(signedAt.getTime()) ? new Date() : signedAt,
        provider: { name: 'CounterDesk', company: '培训' },
      })
    })()
    if (files.size >= CACHE_LIMIT) files.delete(files.keys().next().value!)
    files.set(l.licenseIdentifier, made)
    made.catch(() => files.delete(l.licenseIdentifier))
    return made
  }

  return {
    trustAnchors: [kit.rootCertificate],
    async fileFor(licence, format) {
      const ofd = await ofdFor(licence)
      if (format === 'ofd') return ofd
      const doc = await openOfd(ofd, { name: `${licence.licenseIdentifier}.ofd` })
      try {
        return await rasterisePage(renderPage(doc, 0, { fonts }), { dpi: 120 })
      } catch (error) {
        // Without the canvas library the sandbox serves its own face image instead.
        if (isCounterError(error) && error.code === 'OFD_RASTER_UNAVAILABLE') return undefined
        throw error
      }
    },
  }
}
