import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { LicencePreview, SealStatus } from '../../../shared/domain'
import { useT } from '../i18n'
import { useLicences } from '../stores/licences'
import { ofdPagePainter } from './ofd-painter'

/** The first page is on screen: the end of the "click → first page visible" measurement. */
function markFirstPage(): void {
  requestAnimationFrame(() => {
    if (performance.getEntriesByName('preview:click').length === 0) return
    performance.mark('preview:first-page')
    performance.measure('preview:first-page', 'preview:click', 'preview:first-page')
  })
}

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    setWidth(el.clientWidth)
    const ro = new ResizeObserver(() => setWidth(el.clientWidth))
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref])
  return width
}

/** CSS pixels per millimetre at 100 %. */
const PX_PER_MM = 96 / 25.4

/** Pages of the document and the natural width of the current one, in CSS pixels. */
function pagesOf(preview: LicencePreview, page: number): { count: number; width: number } {
  const d = preview.document
  if (d.kind === 'image') return { count: 1, width: d.width }
  if (d.kind === 'ofd') {
    const p = d.outline.pages[Math.min(page, d.outline.pages.length - 1)]
    return { count: d.outline.pages.length, width: (p?.width ?? 210) * PX_PER_MM }
  }
  return { count: 0, width: 1 }
}

function OfdPage({
  document: d,
  index,
  scale,
  sealStatus,
}: {
  document: Extract<LicencePreview['document'], { kind: 'ofd' }>
  index: number
  scale: number
  sealStatus: Readonly<Record<string, SealStatus>> | undefined
}) {
  const t = useT()
  const size = d.outline.pages[index]
  const page = d.pages.find((p) => p.index === index)
  if (!size || !page)
    return (
      <p className="muted" data-testid="document-page-missing">
        {t('detail.pageNotRendered', { shown: d.pages.length })}
      </p>
    )
  const Painter = ofdPagePainter
  if (Painter && page.model)
    return (
      <div className="document-page" data-testid="document-ofd-page" data-page={index}>
        <Painter
          page={page.model}
          scale={PX_PER_MM * scale}
          onPainted={markFirstPage}
          {...(sealStatus ? { sealStatus } : {})}
        />
      </div>
    )
  if (!page.raster) return <p className="muted">{t('detail.unavailable', { reason: 'OFD' })}</p>
  return (
    <img
      className="document-page"
      src={page.raster.dataUrl}
      alt={t('detail.page', { page: index + 1, pages: d.outline.pages.length })}
      width={Math.round(size.width * PX_PER_MM * scale)}
      height={Math.round(size.height * PX_PER_MM * scale)}
      onLoad={markFirstPage}
      data-testid="document-ofd-page"
      data-page={index}
    />
  )
}

/**
 * The document beside the face data: zoom (+, −, fit width) and page navigation. Images come from
 * the library; OFD pages are painted from the OFD module's render model.
 */
export function LicenceDocumentView({ preview }: { preview: LicencePreview }) {
  const t = useT()
  const zoom = useLicences((s) => s.zoom)
  const page = useLicences((s) => s.page)
  const { setZoom, setPage } = useLicences.getState()
  const viewport = useRef<HTMLDivElement>(null)
  const width = useWidth(viewport)
  const { count, width: natural } = pagesOf(preview, page)
  const fit = width > 0 ? Math.max(0.1, (width - 24) / natural) : 1
  const scale = zoom === 'fit' ? fit : zoom
  const current = Math.min(page, Math.max(0, count - 1))
  const d = preview.document
  const sealStatus = useLicences((s) => s.verifications[preview.summary.identifier]?.signatures)

  useEffect(() => {
    useLicences.setState({ fitScale: fit })
  }, [fit])

  return (
    <section
      className="detail-document"
      aria-label={t('detail.document')}
      data-testid="detail-document"
      data-kind={d.kind}
    >
      <div className="document-toolbar">
        <button
          type="button"
          className="button subtle small"
          onClick={() => setZoom(Math.max(0.25, scale / 1.25))}
          aria-label={t('detail.zoomOut')}
          data-testid="zoom-out"
        >
          −
        </button>
        <span className="zoom" data-testid="zoom-level">
          {Math.round(scale * 100)}%
        </span>
        <button
          type="button"
          className="button subtle small"
          onClick={() => setZoom(Math.min(4, scale * 1.25))}
          aria-label={t('detail.zoomIn')}
          data-testid="zoom-in"
        >
          +
        </button>
        <button
          type="button"
          className={zoom === 'fit' ? 'button small current' : 'button subtle small'}
          onClick={() => setZoom('fit')}
          data-testid="zoom-fit"
        >
          {t('detail.fit')}
        </button>
        <span className="toolbar-spacer" />
        {count > 0 && (
          <>
            <button
              type="button"
              className="button subtle small"
              onClick={() => setPage(current - 1)}
              disabled={current === 0}
              aria-label={t('detail.prev')}
            >
              ◀
            </button>
            <span data-testid="page-indicator">
              {t('detail.page', { page: current + 1, pages: count })}
            </span>
            <button
              type="button"
              className="button subtle small"
              onClick={() => setPage(current + 1)}
              disabled={current >= count - 1}
              aria-label={t('detail.next')}
            >
              ▶
            </button>
          </>
        )}
      </div>
      <div className="document-viewport" ref={viewport}>
        {d.kind === 'image' && (
          <>
            <img
              className="document-page"
              src={d.dataUrl}
              alt={`${preview.summary.typeName} ${preview.summary.number}`}
              width={Math.round(d.width * scale)}
              height={Math.round(d.height * scale)}
              onLoad={markFirstPage}
              data-testid="document-image"
            />
            <p className="muted small">{t('detail.imageNote')}</p>
          </>
        )}
        {d.kind === 'ofd' && (
          <OfdPage document={d} index={current} scale={scale} sealStatus={sealStatus} />
        )}
        {d.kind === 'unavailable' && (
          <p className="warning caution" data-testid="document-unavailable" data-code={d.code}>
            {t('detail.unavailable', { reason: d.reason })}
          </p>
        )}
      </div>
    </section>
  )
}
