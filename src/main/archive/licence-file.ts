/**
 * A licence file made ready for the archive: its pages as draw lists (OFD through the OFD
 * domain's renderer; a PNG or JPEG face as one image page), the metadata the file itself carries,
 * and its seal check. OFD parsing is the OFD domain's; nothing here reads OFD structures.
 */
import type { RenderPage, SealVerification } from '../../shared/domain'
import { CounterError, isCounterError } from '../../shared/errors'
import { sm3 } from '../crypto'
import { jpegInfo, pngInfo } from '../licences'
import { openOfd, renderPage, type FontLibrary, type OfdDocument } from '../ofd'
import type { SealOutcome } from './verification'

export type LicenceFormat = 'ofd' | 'png' | 'jpeg'

export interface LicenceFileInput {
  readonly bytes: Uint8Array
  readonly name: string
  /** When the source says; otherwise taken from the bytes. */
  readonly format?: LicenceFormat
}

/** What the file itself says about the licence (OFD DocInfo/CustomDatas, GB/T 36903 names). */
export interface LicenceMeta {
  readonly identifier?: string
  readonly typeName?: string
  readonly number?: string
  readonly issuer?: string
  readonly issuerCode?: string
}

export interface PreparedLicence {
  readonly format: LicenceFormat
  readonly pages: RenderPage[]
  readonly meta: LicenceMeta
  readonly seal: SealOutcome
  /** Hex SM3 of the file: the source identifier of a file that names no licence. */
  readonly sm3: string
}

/** Checks an opened document's seals (the OFD domain's verifier with the office's trust anchors). */
export type SealCheck = (doc: OfdDocument, bytes: Uint8Array) => Promise<SealVerification>

export interface PrepareOptions {
  readonly fonts: FontLibrary
  readonly verifySeals?: SealCheck
}

/** Pages beyond this are refused (a licence is one or two pages; a hostile file may claim thousands). */
const MAX_PAGES = 50

function detectFormat(bytes: Uint8Array): LicenceFormat | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'ofd'
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png'
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg'
  return undefined
}

const META_KEYS: Readonly<Record<keyof LicenceMeta, readonly string[]>> = {
  identifier: ['证照标识', 'licenseIdentifier', 'LicenseIdentifier'],
  typeName: ['证照名称', '证照类型名称', 'licenseTypeName'],
  number: ['证照编号', 'licenseNumber'],
  issuer: ['颁发机构', '发证机关', 'issueOrgName'],
  issuerCode: ['颁发机构代码', '发证机关代码', 'issueOrgCode'],
}

function metaFrom(custom: Readonly<Record<string, string>>): LicenceMeta {
  const out: Record<string, string> = {}
  for (const [field, keys] of Object.entries(META_KEYS)) {
    const value = keys.map((k) => custom[k]?.trim()).find((v) => v)
    if (value) out[field] = value.slice(0, 200)
  }
  return out
}

/** A licence face image as a page: millimetres from its shape, as wide as A4 allows. */
function imagePage(bytes: Uint8Array, format: 'png' | 'jpeg', name: string): RenderPage {
  let info
  try {
    info = format === 'png' ? pngInfo(bytes) : jpegInfo(bytes)
  } catch (cause) {
    throw new CounterError('ARCHIVE_UNSUPPORTED_FILE', { params: { file: name }, cause })
  }
  const landscape = info.width > info.height
  const width = landscape ? 297 : 210
  const height = (width * info.height) / info.width
  return {
    index: 0,
    width,
    height,
    ops: [{ kind: 'image', image: 'face', transform: [width, 0, 0, height, 0, 0] }],
    glyphs: {},
    images: {
      face: {
        mime: info.mediaType,
        data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
        width: info.width,
        height: info.height,
      },
    },
    fonts: {},
    warnings: [],
  }
}

export async function prepareLicence(
  file: LicenceFileInput,
  options: PrepareOptions,
): Promise<PreparedLicence> {
  const format = file.format ?? detectFormat(file.bytes)
  if (!format) throw new CounterError('ARCHIVE_UNSUPPORTED_FILE', { params: { file: file.name } })
  const digest = Buffer.from(sm3(file.bytes)).toString('hex')
  if (format !== 'ofd') {
    return {
      format,
      pages: [imagePage(file.bytes, format, file.name)],
      meta: {},
      seal: { kind: 'image' },
      sm3: digest,
    }
  }
  const doc = await openOfd(file.bytes, { name: file.name })
  if (doc.pageCount === 0 || doc.pageCount > MAX_PAGES)
    throw new CounterError('ARCHIVE_UNSUPPORTED_FILE', {
      params: { file: file.name },
      detail: `${doc.pageCount} pages`,
    })
  const pages: RenderPage[] = []
  for (let i = 0; i < doc.pageCount; i++) pages.push(renderPage(doc, i, { fonts: options.fonts }))
  let seal: SealOutcome
  if (!options.verifySeals) {
    seal = { kind: 'unchecked', reason: '本机未配置签章核验组件' }
  } else {
    try {
      seal = { kind: 'checked', result: await options.verifySeals(doc, file.bytes) }
    } catch (error) {
      seal = {
        kind: 'unchecked',
        reason: isCounterError(error) ? `核验出错：${error.message}` : '核验出错',
      }
    }
  }
  return { format, pages, meta: metaFrom(doc.info.customData), seal, sm3: digest }
}
