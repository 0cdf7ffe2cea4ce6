/**
 * Builds the archive's own part of a page as a draw list (the render model of the OFD domain):
 * text set in the archive fonts with per-character fallback, so the same page can be painted by
 * pdfkit (as real text), on a canvas or as SVG (the in-app preview) from glyph outlines.
 */
import type { Matrix, RenderFont, Rgba, TextOp } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { ArchiveFace, ArchiveFonts } from './fonts'

export interface TextStyle {
  /** Em size, millimetres. */
  readonly size: number
  readonly fill?: Rgba
  /** Where `x` is: the start, the end or the middle of the run. */
  readonly align?: 'left' | 'right' | 'center'
  /** Shrinks the text (down to `minSize`), then cuts it with an ellipsis, to fit. */
  readonly maxWidth?: number
  readonly minSize?: number
  /** Placed on the page by this transform (default: none). */
  readonly transform?: Matrix
}

const BLACK: Rgba = [0, 0, 0, 1]

interface Placed {
  readonly face: ArchiveFace
  readonly gid: number
  readonly c: string
  readonly advance: number
}

export class DrawListBuilder {
  readonly glyphs: Record<string, string> = {}
  readonly fonts: Record<string, RenderFont> = {}
  private readonly faceKeys = new Map<string, string>()

  constructor(
    private readonly archiveFonts: ArchiveFonts,
    /** Prefixes this builder's keys so they never meet a licence page's. */
    private readonly prefix = 'a',
  ) {}

  private fontKey(face: ArchiveFace): string {
    let key = this.faceKeys.get(face.key)
    if (!key) {
      key = `${this.prefix}f${this.faceKeys.size}`
      this.faceKeys.set(face.key, key)
      this.fonts[key] = { family: face.face, source: face.source, face: face.face }
    }
    return key
  }

  /** Each character with the face that draws it; throws when no face has one. */
  private place(text: string): Placed[] {
    const primary = this.archiveFonts.primary
    const out: Placed[] = []
    for (const c of text.replace(/[\r\n\t]+/g, ' ')) {
      const cp = c.codePointAt(0)!
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue
      const face = this.archiveFonts.forChar(cp, primary)
      if (!face) {
        if (/\s/.test(c)) {
          out.push({ face: primary, gid: 0, c, advance: 250 })
          continue
        }
        throw new CounterError('ARCHIVE_GLYPH_MISSING', {
          params: { char: c, code: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` },
        })
      }
      const gid = face.glyphId(cp)
      out.push({ face, gid, c, advance: face.advance(gid) })
    }
    return out
  }

  /** Width of a text at a size, millimetres. */
  measure(text: string, size: number): number {
    return this.place(text).reduce((w, p) => w + p.advance, 0) * (size / 1000)
  }

  /** A run of text whose baseline starts (or ends, or centres) at (x, y). */
  text(text: string, x: number, y: number, style: TextStyle): { op: TextOp; width: number } {
    let placed = this.place(text)
    let size = style.size
    const em = (list: readonly Placed[]) => list.reduce((w, p) => w + p.advance, 0)
    if (style.maxWidth !== undefined && placed.length > 0) {
      const min = style.minSize ?? size
      const full = em(placed) * (size / 1000)
      if (full > style.maxWidth) size = Math.max(min, (size * style.maxWidth) / full)
      if (em(placed) * (size / 1000) > style.maxWidth) {
        const ellipsis = this.place('…')
        const room = (style.maxWidth * 1000) / size - em(ellipsis)
        let used = 0
        let keep = 0
        while (keep < placed.length && used + placed[keep]!.advance <= room)
          used += placed[keep++]!.advance
        placed = [...placed.slice(0, keep), ...ellipsis]
      }
    }
    const width = em(placed) * (size / 1000)
    const start = style.align === 'right' ? x - width : style.align === 'center' ? x - width / 2 : x
    const glyphs: TextOp['glyphs'] = []
    let pen = start
    for (const p of placed) {
      const outline = p.gid ? p.face.outline(p.gid) : ''
      const key = `${this.fontKey(p.face)}:${p.gid}`
      if (outline && !(key in this.glyphs)) this.glyphs[key] = outline
      glyphs.push({ ...(outline ? { g: key } : {}), x: round(pen), y: round(y), c: p.c })
      pen += p.advance * (size / 1000)
    }
    const op: TextOp = {
      kind: 'text',
      transform: style.transform ?? [1, 0, 0, 1, 0, 0],
      size,
      fill: style.fill ?? BLACK,
      font: this.fontKey(this.archiveFonts.primary),
      text: placed.map((p) => p.c).join(''),
      glyphs,
    }
    return { op, width }
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000
