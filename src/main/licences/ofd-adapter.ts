/**
 * The OFD module behind the licence module's port: open a licence file once, check every
 * signature against the trusted seal roots, and render its first pages — the draw list for a
 * renderer painter, and a raster of each page for the viewer to show meanwhile.
 */
import type { LicenceSeal, SealVerification } from '../../shared/domain'
import {
  createFontLibrary,
  openOfd,
  outlineOf,
  rasterisePage,
  renderPage,
  verifyOfd,
  type FontLibrary,
  type OfdDocument,
} from '../ofd'
import type { OfdDocumentView, OfdPort, SealCheck } from './ofd-port'

export interface OfdAdapterOptions {
  readonly resourcesDir: string
  /** DER certificates of the seal roots this terminal trusts. */
  readonly trust: () => readonly Uint8Array[]
  readonly fonts?: FontLibrary
  /** Pages rendered for the preview; later pages are listed in the outline only. */
  readonly maxPages?: number
  /** Rasterise pages in main (until the renderer paints the draw list itself). */
  readonly raster?: boolean
  /**
   * Raster resolution. 96 dpi is 1:1 at 100 % zoom and sharp at fit-to-width; more costs time
   * before the first page shows (PNG encoding dominates).
   */
  readonly dpi?: number
}

const SEVERITY = [
  'document-altered',
  'signature-invalid',
  'certificate-untrusted',
  'valid',
] as const

/** One result for a licence from its signatures: the worst one decides. */
export function licenceSeal(v: SealVerification): LicenceSeal {
  if (v.signatures.length === 0) return { state: 'unverifiable', reason: '文件不含电子签章' }
  const worst = [...v.signatures].sort(
    (a, b) => SEVERITY.indexOf(a.status) - SEVERITY.indexOf(b.status),
  )[0]!
  switch (worst.status) {
    case 'document-altered':
      return { state: 'altered', reason: worst.message }
    case 'signature-invalid':
      return { state: 'invalid', reason: worst.message }
    case 'certificate-untrusted':
      return {
        state: 'untrusted',
        reason: worst.message,
        ...(worst.signer ? { signer: worst.signer } : {}),
      }
    case 'valid':
      return {
        state: 'valid',
        signer: worst.signer ?? worst.certificate?.subject ?? '',
        ...(worst.sealName ? { sealName: worst.sealName } : {}),
        ...(worst.signedAt ? { signedAt: worst.signedAt } : {}),
      }
  }
}

export function createOfdAdapter(options: OfdAdapterOptions): OfdPort {
  let fonts = options.fonts
  const fontLibrary = () => (fonts ??= createFontLibrary({ resourcesDir: options.resourcesDir }))
  const maxPages = options.maxPages ?? 10
  const dpi = options.dpi ?? 96

  const verify = async (doc: OfdDocument): Promise<SealCheck> => {
    const v = await verifyOfd(doc, { trust: { certificates: options.trust() } })
    return {
      seal: licenceSeal(v),
      signatures: Object.fromEntries(v.signatures.map((s) => [s.id, s.status])),
    }
  }

  const render = async (doc: OfdDocument): Promise<OfdDocumentView> => {
    const outline = outlineOf(doc)
    const pages: OfdDocumentView['pages'] = []
    for (const p of outline.pages.slice(0, maxPages)) {
      const model = renderPage(doc, p.index, { fonts: fontLibrary() })
      if (!options.raster) {
        pages.push({ index: p.index, model })
        continue
      }
      const png = await rasterisePage(model, { dpi })
      const width = Math.round((model.width * dpi) / 25.4)
      const height = Math.round((model.height * dpi) / 25.4)
      pages.push({
        index: p.index,
        model,
        raster: {
          dataUrl: `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
          width,
          height,
        },
      })
    }
    return { kind: 'ofd', outline, pages }
  }

  return {
    async verify(bytes) {
      return verify(await openOfd(bytes, { name: 'licence.ofd' }))
    },
    async render(bytes) {
      return render(await openOfd(bytes, { name: 'licence.ofd' }))
    },
    async warm() {
      // An empty page loads the canvas library; the bundled faces load on first use of each.
      await rasterisePage(
        {
          index: 0,
          width: 10,
          height: 10,
          ops: [],
          glyphs: {},
          images: {},
          fonts: {},
          warnings: [],
        },
        { dpi: 10 },
      )
    },
  }
}
