/**
 * Where things are on an archive page, read from its draw list (what the painter was given):
 * the licence's frame (the area the watermark covers), the licence's own pictures, the bands
 * of the archive header above the licence and of the footer below it, and the archive QR code.
 * The golden comparison checks each of these on its own, so that losing a small part — the
 * watermark's light grey, a photo, one header line — cannot hide in a whole-page average.
 * Deliberate breakages of a draw list (what the golden tests prove they catch) are here too.
 */
import type { DrawOp, Matrix, RenderPage, TextOp } from '../../../src/shared/domain'
import type { Crop, Region } from './poppler'

/** A box in millimetres on the page. */
export interface MmBox {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

export interface ArchiveLayout {
  readonly page: MmBox
  /** The licence as placed on the paper: the watermark covers exactly this. */
  readonly licence: MmBox
  /** The licence's own pictures (photo, code, seal image), by their key in the licence. */
  readonly images: readonly { readonly key: string; readonly box: MmBox }[]
  readonly qr: MmBox
}

const WATERMARK_REF = 'archive-watermark'

function numbers(d: string): number[] {
  return (d.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number)
}

function bounds(points: readonly (readonly [number, number])[]): MmBox {
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y }
}

const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
]

function* walk(ops: readonly DrawOp[]): Generator<DrawOp> {
  for (const op of ops) {
    yield op
    if (op.kind === 'group') yield* walk(op.ops)
  }
}

export const textOf = (op: TextOp) => op.glyphs.map((g) => g.c).join('')

/** The layout of one archive page from its draw list. */
export function archiveLayout(page: RenderPage): ArchiveLayout {
  const watermark = page.ops.find((op) => op.kind === 'group' && op.ref === WATERMARK_REF)
  if (watermark?.kind !== 'group' || !watermark.clips?.[0]?.[0])
    throw new Error('the page has no watermark group')
  const corners = numbers(watermark.clips[0][0].d)
  const licence = bounds(
    corners.flatMap((v, i) => (i % 2 ? [] : [[v, corners[i + 1]!] as [number, number]])),
  )
  const images: { key: string; box: MmBox }[] = []
  for (const op of walk(page.ops))
    if (op.kind === 'image')
      images.push({
        key: op.image.slice(op.image.indexOf(':') + 1),
        box: bounds([
          apply(op.transform, 0, 0),
          apply(op.transform, 1, 0),
          apply(op.transform, 0, 1),
          apply(op.transform, 1, 1),
        ]),
      })
  // The archive QR is the one filled path at the top level: module squares in module units,
  // placed and scaled by its transform, with a four-module quiet zone round it.
  const qrOp = page.ops.find((op) => op.kind === 'path' && op.fill)
  if (qrOp?.kind !== 'path') throw new Error('the page has no QR code')
  const modules = Math.max(...numbers(qrOp.d)) + 4
  const [x, y] = apply(qrOp.transform, 0, 0)
  const size = modules * qrOp.transform[0]
  return {
    page: { x: 0, y: 0, w: page.width, h: page.height },
    licence,
    images,
    qr: { x, y, w: size, h: size },
  }
}

/**
 * Where glyphs `from`…`from + count - 1` of the text that starts with `prefix` are drawn: one em
 * wide each (CJK), from the ascent to a little below the baseline.
 */
export function glyphBox(page: RenderPage, prefix: string, from: number, count: number): MmBox {
  for (const op of walk(page.ops)) {
    if (op.kind !== 'text' || !textOf(op).startsWith(prefix)) continue
    const glyphs = op.glyphs.slice(from, from + count)
    return bounds(
      glyphs.flatMap((g) => [
        apply(op.transform, g.x, g.y - op.size * 0.9),
        apply(op.transform, g.x + op.size, g.y + op.size * 0.15),
      ]),
    )
  }
  throw new Error(`no text starting with ${prefix}`)
}

/** A box in millimetres as pixels at `dpi`, covering every pixel it touches. */
export function pixelBox(box: MmBox, dpi: number, margin = 0): Crop {
  const k = dpi / 25.4
  const x = Math.floor((box.x - margin) * k)
  const y = Math.floor((box.y - margin) * k)
  return {
    x,
    y,
    w: Math.ceil((box.x + box.w + margin) * k) - x,
    h: Math.ceil((box.y + box.h + margin) * k) - y,
  }
}

/** How much each region may change, as a share of its pixels. */
export const LIMITS = {
  page: 0.005,
  header: 0.003,
  footer: 0.003,
  watermark: 0.01,
  image: 0.02,
} as const

/** The regions the golden comparison checks, and the masks it skips, in pixels at `dpi`. */
export function goldenRegions(
  layout: ArchiveLayout,
  dpi: number,
): { regions: Region[]; masks: Crop[] } {
  const px = (box: MmBox) => pixelBox(box, dpi)
  const { page, licence } = layout
  const below = licence.y + licence.h
  return {
    regions: [
      { name: 'page', box: px(page), limit: LIMITS.page },
      { name: 'header', box: px({ ...page, h: licence.y }), limit: LIMITS.header },
      { name: 'footer', box: px({ ...page, y: below, h: page.h - below }), limit: LIMITS.footer },
      { name: 'watermark', box: px(licence), limit: LIMITS.watermark },
      ...layout.images.map((i) => ({
        name: `image:${i.key}`,
        box: px(i.box),
        limit: LIMITS.image,
      })),
    ],
    // The QR code's signature is new on every print.
    masks: [px(layout.qr)],
  }
}

function strip(ops: readonly DrawOp[], keep: (op: DrawOp) => boolean): DrawOp[] {
  return ops
    .filter(keep)
    .map((op) => (op.kind === 'group' ? { ...op, ops: strip(op.ops, keep) } : op))
}

const broken = (pages: readonly RenderPage[], keep: (op: DrawOp) => boolean): RenderPage[] =>
  pages.map((p) => ({ ...p, ops: strip(p.ops, keep) }))

/** The pages with the watermark's text painted white: still in the text layer, but no ink. */
export function whiteWatermark(pages: readonly RenderPage[]): RenderPage[] {
  return pages.map((p) => ({
    ...p,
    ops: p.ops.map((op) =>
      op.kind === 'group' && op.ref === WATERMARK_REF
        ? {
            ...op,
            ops: op.ops.map((t) =>
              t.kind === 'text' ? { ...t, fill: [255, 255, 255, 1] as const } : t,
            ),
          }
        : op,
    ),
  }))
}

/** What a faulty archive painter could get wrong, applied to a correct draw list. */
export const BREAKAGES = {
  'the watermark removed': {
    region: 'watermark',
    apply: (pages: readonly RenderPage[]) =>
      broken(pages, (op) => !(op.kind === 'group' && op.ref === WATERMARK_REF)),
  },
  "the licence's images removed": {
    region: 'image:',
    apply: (pages: readonly RenderPage[]) => broken(pages, (op) => op.kind !== 'image'),
  },
  'the verification line removed': {
    region: 'header',
    apply: (pages: readonly RenderPage[]) =>
      broken(pages, (op) => !(op.kind === 'text' && textOf(op).startsWith('打印时核验'))),
  },
} as const
