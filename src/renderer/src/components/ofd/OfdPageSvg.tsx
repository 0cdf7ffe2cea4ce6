/**
 * Paints one page of the OFD module's draw list as SVG: the page's millimetres become the view
 * box, so zoom and fit-to-width are only the element's pixel size, and glyph outlines are defined
 * once and placed with <use>. No fonts are needed — the draw list carries the outlines — so the
 * page looks exactly as main's rasteriser and the archive copy paint it.
 */
import { useEffect, useId, useMemo, type ReactElement } from 'react'
import type {
  DrawOp,
  GroupOp,
  Matrix,
  RenderPage,
  Rgba,
  SealStatus,
  StrokeStyle,
} from '../../../../shared/domain'
import { useT } from '../../i18n'

export interface OfdPageSvgProps {
  readonly page: RenderPage
  /** CSS pixels per millimetre (zoom included). */
  readonly scale: number
  /** Called once the page is in the DOM (for "first page painted" timing). */
  readonly onPainted?: () => void
  /** Outlines each seal stamp in the colour of its check result, by signature ID. */
  readonly sealStatus?: Readonly<Record<string, SealStatus>>
  readonly title?: string
}

const css = (c: Rgba) => `rgba(${c[0]},${c[1]},${c[2]},${c[3]})`
const matrix = (m: Matrix | readonly number[]) => `matrix(${m.join(' ')})`
const SEAL_COLOURS: Record<SealStatus, string> = {
  valid: '#1a7f37',
  'document-altered': '#c62828',
  'signature-invalid': '#c62828',
  'certificate-untrusted': '#b26a00',
}

function strokeProps(s: StrokeStyle, widthScale = 1) {
  return {
    stroke: css(s.color),
    strokeWidth: s.width * widthScale,
    strokeLinecap: s.cap,
    strokeLinejoin: s.join,
    strokeMiterlimit: s.miterLimit,
    ...(s.dash ? { strokeDasharray: s.dash.map((v) => v * widthScale).join(' ') } : {}),
    ...(s.dashOffset ? { strokeDashoffset: s.dashOffset * widthScale } : {}),
  }
}

/** Turns the draw list into SVG elements, with defs (glyphs, clips) collected on the way. */
function build(page: RenderPage, prefix: string, sealStatus: OfdPageSvgProps['sealStatus']) {
  const defs: ReactElement[] = []
  const glyphIds = new Map<string, string>()
  let clipCount = 0
  let key = 0

  const glyphRef = (g: string) => {
    let id = glyphIds.get(g)
    if (!id) {
      id = `${prefix}g${glyphIds.size}`
      glyphIds.set(g, id)
      defs.push(<path key={id} id={id} d={page.glyphs[g] ?? ''} />)
    }
    return `#${id}`
  }

  const paint = (op: DrawOp): ReactElement | null => {
    const k = key++
    switch (op.kind) {
      case 'path':
        return (
          <path
            key={k}
            d={op.d}
            transform={matrix(op.transform)}
            fill={op.fill ? css(op.fill) : 'none'}
            fillRule={op.rule}
            {...(op.stroke ? strokeProps(op.stroke) : {})}
          />
        )
      case 'text': {
        const em = op.size / 1000
        const gt = op.glyphTransform ?? [1, 0, 0, 1]
        return (
          <g
            key={k}
            transform={matrix(op.transform)}
            fill={op.fill ? css(op.fill) : 'none'}
            {...(op.stroke ? strokeProps(op.stroke, 1 / em) : {})}
            data-text={op.text}
          >
            {op.glyphs.map((g, i) =>
              g.g ? (
                <use
                  key={i}
                  href={glyphRef(g.g)}
                  transform={matrix([gt[0] * em, gt[1] * em, gt[2] * em, gt[3] * em, g.x, g.y])}
                />
              ) : null,
            )}
          </g>
        )
      }
      case 'image': {
        const img = page.images[op.image]
        if (!img) return null
        return (
          <image
            key={k}
            href={`data:${img.mime};base64,${img.data}`}
            x={0}
            y={0}
            width={1}
            height={1}
            preserveAspectRatio="none"
            transform={matrix(op.transform)}
            {...(op.alpha !== undefined ? { opacity: op.alpha } : {})}
          />
        )
      }
      case 'group':
        return paintGroup(op, k)
    }
  }

  const paintGroup = (op: GroupOp, k: number): ReactElement => {
    let inner: ReactElement = (
      <g
        key={k}
        {...(op.alpha !== undefined ? { opacity: op.alpha } : {})}
        {...(op.role ? { 'data-role': op.role } : {})}
        {...(op.ref ? { 'data-ref': op.ref } : {})}
      >
        {op.ops.map(paint)}
      </g>
    )
    for (const clip of [...(op.clips ?? [])].reverse()) {
      const id = `${prefix}c${clipCount++}`
      defs.push(
        <clipPath key={id} id={id} clipPathUnits="userSpaceOnUse">
          {clip.map((c, i) => (
            <path key={i} d={c.d} clipRule={c.rule} />
          ))}
        </clipPath>,
      )
      inner = (
        <g key={`${k}-${id}`} clipPath={`url(#${id})`}>
          {inner}
        </g>
      )
    }
    const status = op.role === 'seal' && op.ref ? sealStatus?.[op.ref] : undefined
    const outline = status && op.clips?.[0]?.[0]
    if (!outline) return inner
    return (
      <g key={`${k}-seal`}>
        {inner}
        <path
          d={outline.d}
          fill="none"
          stroke={SEAL_COLOURS[status]}
          strokeWidth={0.5}
          strokeDasharray="1.5 1"
          data-seal-status={status}
        />
      </g>
    )
  }

  const body = page.ops.map(paint)
  return { defs, body }
}

export function OfdPageSvg({ page, scale, onPainted, sealStatus, title }: OfdPageSvgProps) {
  const t = useT()
  const prefix = `ofd${useId().replace(/[^a-zA-Z0-9]/g, '')}`
  const { defs, body } = useMemo(() => build(page, prefix, sealStatus), [page, prefix, sealStatus])
  useEffect(() => {
    onPainted?.()
  }, [page, onPainted])
  return (
    <svg
      className="ofd-page"
      xmlns="http://www.w3.org/2000/svg"
      width={Math.round(page.width * scale)}
      height={Math.round(page.height * scale)}
      viewBox={`0 0 ${page.width} ${page.height}`}
      role="img"
      aria-label={title ?? t('ofd.pageLabel', { page: page.index + 1 })}
      data-page={page.index}
      style={{ background: '#fff', display: 'block' }}
    >
      <defs>{defs}</defs>
      {body}
    </svg>
  )
}
