/**
 * Issuance's documents on the OFD module: the licence laid out on its template by the OFD writer
 * (the catalogue's template when a bundled writer template of that id exists, otherwise a layout
 * made from the catalogue's own placements), page images for the preview painted from the very
 * bytes that will be signed, and the seal applied through a SealSigner.
 *
 * Signing checks what it produced: every file of the previewed package is still in the signed one
 * byte for byte (only OFD.xml gains its signature list), and the new seal verifies against the
 * signer's root. Anything else is refused, so no licence leaves with a seal over other content.
 */
import { unzipSync } from 'fflate'
import type {
  SignerChoice,
  SignerOption,
  LicenceTemplate as CatalogueTemplate,
} from '../../shared/domain'
import { CounterError, isCounterError } from '../../shared/errors'
import { sm3 } from '../crypto'
import {
  buildLicenceOfd,
  createFontLibrary,
  loadLicenceTemplate,
  openOfd,
  parseLicenceTemplate,
  rasterisePage,
  renderPage,
  signOfd,
  verifyOfd,
  type FontLibrary,
  type LicenceTemplate as WriterTemplate,
  type SealSigner,
  type StampPlacement,
} from '../ofd'
import type { Logger } from '../log'
import type { ComposeInput, IssuanceDocuments, PreviewImage, SignedDocument } from './documents'
import type { UnitSeal } from './unit-seal'

/** A seal and the key that signs for it, with the roots its certificates chain to. */
export interface SealKey {
  readonly signer: SealSigner
  readonly seal: Uint8Array
  readonly roots: readonly Uint8Array[]
  readonly sealName: string
  readonly signerName: string
  /** Ends what opening the key began (a token's PIN session). */
  readonly close?: () => Promise<void>
}

/** The training PKI (the sandbox library's): a fixed root, and a seal per issuing authority. */
export interface TrainingSealKit {
  readonly rootCertificate: Uint8Array
  authority(
    name: string,
    code: string,
  ): Promise<{ readonly signer: SealSigner; readonly seal: Uint8Array }>
}

export interface OfdDocumentsOptions {
  readonly resourcesDir: string
  readonly logger: Logger
  readonly unit: { readonly name: string; readonly code: string }
  /** Training mode: files carry a 培训样本 watermark and the training seal is offered. */
  readonly training: boolean
  /** Makes the training PKI (training mode only). */
  readonly trainingSealKit?: (fonts: FontLibrary) => TrainingSealKit
  /** The unit's seal on a CA token; without it that signer is offered as unavailable. */
  readonly unitSeal?: UnitSeal
  /** Roots the unit seal's certificates chain to (the seal roots the app trusts). */
  readonly sealRoots?: () => readonly Uint8Array[]
}

const WRITER_FONTS = new Set(['宋体', '仿宋', '楷体', '黑体'])
const LAYOUT_LABELS: Readonly<Record<string, string>> = {
  number: '证照编号',
  holderName: '持证主体',
  holderCode: '持证主体代码',
  issuer: '发证机关',
  issuedOn: '发证日期',
  validFrom: '有效期自',
  validTo: '有效期至',
  identifier: '证照标识',
}

function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso
}

/** A writer template from the catalogue's placements, for types without a bundled one. */
export function writerTemplateFromCatalogue(t: CatalogueTemplate): WriterTemplate {
  const { width, height } = t.template
  const labels = new Map(t.fields.map((f) => [f.key, f.label]))
  const red: [number, number, number] = [166, 38, 38]
  const texts: unknown[] = [
    {
      text: t.name,
      x: width / 2,
      y: 20,
      font: '黑体',
      size: Math.min(9, width / 22),
      align: 'center',
      color: red,
      spacing: 1,
    },
  ]
  const fields: unknown[] = []
  for (const p of t.template.placements) {
    const label = labels.get(p.field) ?? LAYOUT_LABELS[p.field] ?? p.field
    const font = WRITER_FONTS.has(p.font) ? p.font : '宋体'
    if (p.field !== 'identifier' && p.x > 12)
      texts.push({
        text: label,
        x: p.x - 2,
        y: p.y,
        font: '黑体',
        size: p.fontSize * 0.9,
        align: 'right',
        color: [90, 90, 90],
      })
    fields.push({
      key: p.field,
      label,
      x: p.x,
      y: p.y,
      width: Math.min(p.width, width - p.x - 8),
      font,
      size: p.fontSize,
      minSize: Math.max(1.5, p.fontSize * 0.6),
      maxLines: p.field === 'identifier' ? 1 : 2,
      required: false,
    })
  }
  const seal = Math.min(42, width / 4, height / 3)
  return parseLicenceTemplate(
    {
      id: t.template.id.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
      name: t.name,
      typeCodes: [t.typeCode],
      page: { width, height },
      background: { color: [255, 253, 247] },
      decorations: [
        { kind: 'rect', box: [5, 5, width - 10, height - 10], stroke: red, width: 0.8 },
        { kind: 'rect', box: [7, 7, width - 14, height - 14], stroke: red, width: 0.25 },
      ],
      texts,
      fields,
      qr: { x: width - 28, y: 9, size: 18 },
      seal: { x: width - seal - 16, y: height - seal - 14, width: seal, height: seal },
    },
    `catalogue:${t.typeCode}`,
  )
}

function dataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

export function createOfdDocuments(o: OfdDocumentsOptions): IssuanceDocuments {
  const fonts = createFontLibrary({ resourcesDir: o.resourcesDir })
  /** Where each composed file's seal goes, by the file's SM3 (bounded: drafts are few). */
  const stamps = new Map<string, StampPlacement>()
  let trainingKey: Promise<SealKey> | undefined

  const writerTemplate = async (t: CatalogueTemplate): Promise<WriterTemplate> => {
    const id = t.template.id.toLowerCase()
    if (/^[a-z0-9-]+$/.test(id)) {
      try {
        return await loadLicenceTemplate(o.resourcesDir, id)
      } catch (error) {
        if (!isCounterError(error) || error.code !== 'OFD_TEMPLATE_UNKNOWN') throw error
      }
    }
    return writerTemplateFromCatalogue(t)
  }

  const sealKey = async (signer: SignerChoice): Promise<SealKey> => {
    if (signer.kind === 'training') {
      const makeKit = o.trainingSealKit
      if (!o.training || !makeKit)
        throw new CounterError('ISSUANCE_SIGNER_UNAVAILABLE', {
          params: { reason: '培训印章仅在培训模式下可用' },
        })
      trainingKey ??= (async () => {
        const kit = makeKit(fonts)
        const { signer, seal } = await kit.authority(o.unit.name, o.unit.code)
        return {
          signer,
          seal,
          roots: [kit.rootCertificate],
          sealName: `${o.unit.name}电子印章（培训）`,
          signerName: `${o.unit.name}（培训）`,
        }
      })()
      trainingKey.catch(() => (trainingKey = undefined))
      return trainingKey
    }
    if (!o.unitSeal)
      throw new CounterError('ISSUANCE_SIGNER_UNAVAILABLE', {
        params: { reason: '未配置单位印章文件' },
      })
    const opened = await o.unitSeal.open(signer.keyId, signer.pin)
    return {
      signer: opened.signer,
      seal: opened.seal,
      roots: o.sealRoots?.() ?? [],
      sealName: opened.sealName,
      signerName: opened.signerName,
      close: opened.close,
    }
  }

  return {
    async signers(): Promise<SignerOption[]> {
      const unit: SignerOption[] = o.unitSeal
        ? await o.unitSeal.options()
        : [
            {
              choice: { kind: 'token', keyId: 'unit-seal' },
              label: '单位电子印章（CA 证书）',
              available: false,
              unavailableCode: 'ISSUANCE_SIGNER_UNAVAILABLE',
              unavailableReason: '未配置单位印章文件',
            },
          ]
      return o.training && o.trainingSealKit
        ? [
            { choice: { kind: 'training' }, label: '培训印章（仅供培训）', available: true },
            ...unit,
          ]
        : unit
    },

    async compose(input: ComposeInput): Promise<Uint8Array> {
      const template = await writerTemplate(input.template)
      const values: Record<string, string> = {
        ...input.values,
        number: input.number,
        holderName: input.holder.name,
        holderCode: input.holder.code,
        issuer: input.issuer.name,
        issuedOn: chineseDate(input.issuedOn),
        validFrom: chineseDate(input.validFrom),
        validTo: input.validTo === '长期' ? '长期' : chineseDate(input.validTo),
        identifier: input.identifier,
      }
      for (const f of input.template.fields)
        if (f.kind === 'date' && values[f.key]) values[f.key] = chineseDate(values[f.key]!)
      const fields: Record<string, string> = {}
      for (const f of template.fields) fields[f.key] = values[f.key] ?? ''
      let built
      try {
        built = await buildLicenceOfd(
          {
            template,
            fields,
            qr: input.identifier,
            docId: hex(sm3(new TextEncoder().encode(input.identifier)).subarray(0, 16)),
            title: `${input.template.name}（${input.holder.name}）`,
            author: input.issuer.name,
            ...(o.training ? { watermark: '培训样本' } : {}),
            metadata: {
              证照名称: input.template.name,
              证照类型代码: input.template.typeCode,
              证照编号: input.number,
              证照标识: input.identifier,
              颁发机构: input.issuer.name,
              颁发机构代码: input.issuer.code,
              颁发日期: input.issuedOn,
              持证主体: input.holder.name,
              持证主体代码: input.holder.code,
              持证主体代码类型代码: input.holder.identityType,
              有效期起始: input.validFrom,
              有效期截止: input.validTo,
            },
          },
          { fonts, creator: 'CounterDesk' },
        )
      } catch (error) {
        if (isCounterError(error))
          throw new CounterError('ISSUANCE_DOCUMENT_FAILED', {
            params: { reason: error.message },
            cause: error,
          })
        throw error
      }
      if (stamps.size >= 32) stamps.delete(stamps.keys().next().value!)
      stamps.set(hex(sm3(built.bytes)), built.stamp)
      return built.bytes
    },

    async render(ofd: Uint8Array): Promise<PreviewImage[]> {
      const doc = await openOfd(ofd, { name: 'preview.ofd' })
      const pages: PreviewImage[] = []
      for (let i = 0; i < doc.pageCount; i++) {
        const page = renderPage(doc, i, { fonts })
        pages.push({
          widthMm: page.width,
          heightMm: page.height,
          image: dataUrl(await rasterisePage(page, { width: 1000 })),
        })
      }
      return pages
    },

    async sign(ofd: Uint8Array, choice: SignerChoice): Promise<SignedDocument> {
      const stamp = stamps.get(hex(sm3(ofd)))
      if (!stamp) throw new CounterError('ISSUANCE_DRAFT_EXPIRED')
      const key = await sealKey(choice)
      const time = new Date()
      let signed: Uint8Array
      try {
        signed = await signOfd(ofd, {
          signer: key.signer,
          seal: key.seal,
          stamp,
          time,
          provider: { name: 'CounterDesk', company: o.training ? '培训' : '' },
        })
      } finally {
        await key.close?.()
      }
      // The signed package must be the previewed one plus its signature, nothing else changed.
      const before = unzipSync(ofd)
      const after = unzipSync(signed)
      for (const [name, bytes] of Object.entries(before)) {
        if (name === 'OFD.xml') continue
        const now = after[name]
        if (!now || Buffer.compare(Buffer.from(now), Buffer.from(bytes)) !== 0)
          throw new CounterError('ISSUANCE_SIGNATURE_MISMATCH', { detail: name })
      }
      const verification = await verifyOfd(await openOfd(signed, { name: 'signed.ofd' }), {
        trust: { certificates: [...key.roots] },
      })
      if (!verification.allValid)
        throw new CounterError('ISSUANCE_SIGNATURE_MISMATCH', {
          detail: verification.signatures.map((s) => s.reason).join(','),
        })
      o.logger.info('licence sealed', { bytes: signed.length, seal: key.sealName })
      stamps.delete(hex(sm3(ofd)))
      return {
        bytes: signed,
        signedAt: time.toISOString(),
        sealName: key.sealName,
        signerName: key.signerName,
      }
    },
  }
}
