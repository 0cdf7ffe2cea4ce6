/**
 * Lays licence text out with real font metrics: each character gets a face that has it (the
 * field's font, then the others), lines are shrunk to fit their box, then wrapped, and whatever
 * still does not fit is an error — a licence must never print truncated or with blanks.
 */
import { CounterError } from '../../../shared/errors'
import type { FontLibrary, LoadedFont } from '../fonts/library'

export interface TextStyle {
  readonly font: string
  readonly size: number
  readonly spacing: number
  readonly align: 'left' | 'center' | 'right'
}

export interface BoxStyle extends TextStyle {
  /** Fit within this width (a field); without it the text is anchored at x (a label). */
  readonly width?: number
  readonly minSize?: number
  readonly maxLines: number
  readonly lineHeight?: number
}

export interface Run {
  readonly font: LoadedFont
  readonly text: string
  /** Baseline start, page millimetres. */
  readonly x: number
  readonly y: number
  readonly size: number
  /** Distances between consecutive characters (length = characters − 1). */
  readonly deltas: readonly number[]
  readonly width: number
}

interface Glyph {
  readonly ch: string
  readonly font: LoadedFont
  /** Advance at em 1000. */
  readonly advance: number
}

/** Characters that must not begin a line (Chinese line-breaking rules, simplified). */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕’”%…·,.;:?!)]}'])

function shape(text: string, style: TextStyle, fonts: FontLibrary, label: string): Glyph[] {
  const primary = fonts.forName(style.font)
  return [...text].map((ch) => {
    if (ch === '\n') return { ch, font: primary, advance: 0 }
    const cp = ch.codePointAt(0)!
    for (const font of [primary, ...fonts.fallbacks(primary)]) {
      const gid = font.glyphId(cp)
      if (gid) return { ch, font, advance: font.advance(gid) }
    }
    if (ch === ' ' || ch === '\u3000')
      return { ch, font: primary, advance: ch === ' ' ? 250 : 1000 }
    throw new CounterError('OFD_GLYPH_MISSING', { params: { char: ch, field: label } })
  })
}

const lineWidth = (g: readonly Glyph[], size: number, spacing: number) =>
  g.reduce((w, x) => w + (x.advance * size) / 1000, 0) + Math.max(0, g.length - 1) * spacing

/** Greedy wrap; breaks at spaces in Latin text when it can, never before closing punctuation. */
function wrap(glyphs: readonly Glyph[], size: number, spacing: number, width: number): Glyph[][] {
  const lines: Glyph[][] = []
  let line: Glyph[] = []
  let w = 0
  for (const g of glyphs) {
    if (g.ch === '\n') {
      lines.push(line)
      line = []
      w = 0
      continue
    }
    const add = (g.advance * size) / 1000 + (line.length ? spacing : 0)
    if (line.length && w + add > width + 1e-6 && !NO_LINE_START.has(g.ch)) {
      // Prefer breaking after the last space of an all-Latin tail.
      const space = line.map((x) => x.ch).lastIndexOf(' ')
      if (space > 0 && line.slice(space + 1).every((x) => x.ch.charCodeAt(0) < 0x2e80)) {
        lines.push(line.slice(0, space))
        line = line.slice(space + 1)
      } else {
        lines.push(line)
        line = []
      }
      w = lineWidth(line, size, spacing)
    }
    line.push(g)
    w += (g.advance * size) / 1000 + (line.length > 1 ? spacing : 0)
  }
  lines.push(line)
  return lines.map((l) => {
    let end = l.length
    while (end > 0 && l[end - 1]!.ch === ' ') end--
    return l.slice(0, end)
  })
}

export interface Laid {
  readonly runs: readonly Run[]
  readonly size: number
  readonly lines: number
}

/** Lays out one label or field at (x, y) — the first baseline. */
export function layoutText(
  text: string,
  x: number,
  y: number,
  style: BoxStyle,
  fonts: FontLibrary,
  label: string,
): Laid {
  const glyphs = shape(text.replace(/\r\n?/g, '\n'), style, fonts, label)
  let size = style.size
  let lines = wrap(glyphs, size, style.spacing, style.width ?? Infinity)
  if (style.width !== undefined) {
    const box = style.width
    const floor = style.minSize ?? style.size * 0.8
    const fits = (s: number, maxLines: number) => {
      const l = wrap(glyphs, s, style.spacing, box)
      return l.length <= maxLines && l.every((x) => lineWidth(x, s, style.spacing) <= box + 1e-6)
        ? l
        : undefined
    }
    // One line if shrinking down to minSize allows it; only then wrap (shrinking again if need be).
    const attempt = (maxLines: number) => {
      for (let s = size; ; s = Math.max(floor, s * 0.95)) {
        const l = fits(s, maxLines)
        if (l) return { s, l }
        if (s <= floor + 1e-9) return undefined
      }
    }
    const found = attempt(1) ?? (style.maxLines > 1 ? attempt(style.maxLines) : undefined)
    if (!found) throw new CounterError('OFD_FIELD_TOO_LONG', { params: { field: label } })
    size = found.s
    lines = found.l
  }
  const lineHeight = style.lineHeight ?? size * 1.5
  const runs: Run[] = []
  lines.forEach((line, i) => {
    const w = lineWidth(line, size, style.spacing)
    const box = style.width
    let start = x
    if (box !== undefined)
      start =
        style.align === 'center' ? x + (box - w) / 2 : style.align === 'right' ? x + box - w : x
    else start = style.align === 'center' ? x - w / 2 : style.align === 'right' ? x - w : x
    const baseline = y + i * lineHeight
    let k = 0
    let cursor = start
    while (k < line.length) {
      const font = line[k]!.font
      let j = k
      const deltas: number[] = []
      const runStart = cursor
      while (j < line.length && line[j]!.font === font) {
        const adv = (line[j]!.advance * size) / 1000 + style.spacing
        if (j + 1 < line.length && line[j + 1]!.font === font) deltas.push(adv)
        cursor += adv
        j++
      }
      const chars = line.slice(k, j)
      runs.push({
        font,
        text: chars.map((g) => g.ch).join(''),
        x: runStart,
        y: baseline,
        size,
        deltas,
        width: lineWidth(chars, size, style.spacing),
      })
      k = j
    }
  })
  return { runs, size, lines: lines.length }
}

/** DeltaX with `g n v` for runs of three or more equal values (as OFD allows). */
export function encodeDeltas(deltas: readonly number[], fmt: (v: number) => string): string {
  const out: string[] = []
  let i = 0
  while (i < deltas.length) {
    const v = fmt(deltas[i]!)
    let j = i + 1
    while (j < deltas.length && fmt(deltas[j]!) === v) j++
    const n = j - i
    if (n >= 3) out.push(`g ${n} ${v}`)
    else for (let k = 0; k < n; k++) out.push(v)
    i = j
  }
  return out.join(' ')
}
