/**
 * Page objects (GB/T 33190 §8–§11): text, paths, images, composite objects and blocks, with their
 * graphic state, colours and clips. Counting objects here bounds what a page can make the
 * renderer do.
 */
import { CounterError } from '../../../shared/errors'
import type {
  CGTransform,
  ClipArea,
  ClipDef,
  GraphicState,
  OfdColor,
  PageObject,
  PathObject,
  TextCode,
  TextObject,
} from '../model'
import { child, childrenNamed, type XmlElement } from '../package/xml'
import {
  invalid,
  parseBool,
  parseBox,
  parseDeltas,
  parseIntAttr,
  parseMatrix,
  parseNumber,
  parseNumbers,
  ValueError,
} from './values'

export interface ObjectContext {
  readonly part: string
  readonly maxObjects: number
  count: number
}

function bump(ctx: ObjectContext): void {
  if (++ctx.count > ctx.maxObjects)
    throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `${ctx.part} 图元过多` } })
}

/** Runs a parse step, turning a value problem into a typed error naming the part. */
export function guarded<T>(part: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof ValueError) throw invalid(part, error.message)
    throw error
  }
}

/** Colour components; `#RRGGBB` is tolerated, anything unreadable means "no colour given". */
function colorValue(raw: string): number[] | undefined {
  const hex = /^\s*#([0-9a-fA-F]{6})\s*$/.exec(raw)
  if (hex) {
    const n = parseInt(hex[1]!, 16)
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
  }
  try {
    const v = parseNumbers(raw)
    return v.length > 0 && v.length <= 4 ? v : undefined
  } catch {
    return undefined
  }
}

export function parseColor(el: XmlElement | undefined): OfdColor | undefined {
  if (!el) return undefined
  const a = el.attrs
  let value = a.Value !== undefined ? colorValue(a.Value) : undefined
  let approximated = false
  if (!value) {
    // Shadings and patterns: one representative colour (the first segment's).
    for (const shd of ['AxialShd', 'RadialShd', 'GouraudShd', 'LaGouraudShd']) {
      const s = child(el, shd)
      if (!s) continue
      const seg = childrenNamed(s, 'Segment')[0] ?? childrenNamed(s, 'Point')[0]
      const c = seg && child(seg, 'Color')
      if (c?.attrs.Value) {
        value = colorValue(c.attrs.Value)
        approximated = true
      }
      break
    }
  }
  return {
    ...(value ? { value } : {}),
    ...(a.Index !== undefined ? { index: parseIntAttr(a.Index, 0) } : {}),
    ...(a.ColorSpace ? { colorSpace: a.ColorSpace.trim() } : {}),
    ...(a.Alpha !== undefined ? { alpha: parseIntAttr(a.Alpha, 255, 0, 255) } : {}),
    ...(approximated ? { approximated } : {}),
  }
}

function graphicState(el: XmlElement, ctx: ObjectContext, depth: number): GraphicState {
  const a = el.attrs
  const clipsEl = child(el, 'Clips')
  return {
    ...(a.ID ? { id: a.ID } : {}),
    boundary: parseBox(a.Boundary ?? '0 0 0 0'),
    ...(a.CTM ? { ctm: parseMatrix(a.CTM) } : {}),
    ...(a.DrawParam ? { drawParam: a.DrawParam.trim() } : {}),
    ...(a.LineWidth !== undefined ? { lineWidth: parseNumber(a.LineWidth) } : {}),
    ...(a.Cap ? { cap: a.Cap } : {}),
    ...(a.Join ? { join: a.Join } : {}),
    ...(a.MiterLimit !== undefined ? { miterLimit: parseNumber(a.MiterLimit) } : {}),
    ...(a.DashOffset !== undefined ? { dashOffset: parseNumber(a.DashOffset) } : {}),
    ...(a.DashPattern ? { dashPattern: parseNumbers(a.DashPattern) } : {}),
    ...(a.Alpha !== undefined ? { alpha: parseIntAttr(a.Alpha, 255, 0, 255) } : {}),
    visible: parseBool(a.Visible, true),
    clips: clipsEl ? parseClips(clipsEl, ctx, depth) : [],
  }
}

function parseClips(el: XmlElement, ctx: ObjectContext, depth: number): ClipDef[] {
  return childrenNamed(el, 'Clip').map((clip) => ({
    areas: childrenNamed(clip, 'Area').flatMap((area): ClipArea[] => {
      const shapeEl = child(area, 'Path') ?? child(area, 'Text')
      if (!shapeEl) return []
      const shape =
        shapeEl.name === 'Path' ? parsePath(shapeEl, ctx, depth) : parseText(shapeEl, ctx, depth)
      return [
        {
          ...(area.attrs.DrawParam ? { drawParam: area.attrs.DrawParam.trim() } : {}),
          ...(area.attrs.CTM ? { ctm: parseMatrix(area.attrs.CTM) } : {}),
          shape,
        },
      ]
    }),
  }))
}

function parseTextCodes(el: XmlElement): TextCode[] {
  return childrenNamed(el, 'TextCode').map((tc) => {
    const a = tc.attrs
    const count = [...tc.text].length
    return {
      ...(a.X !== undefined ? { x: parseNumber(a.X) } : {}),
      ...(a.Y !== undefined ? { y: parseNumber(a.Y) } : {}),
      ...(a.DeltaX ? { deltaX: parseDeltas(a.DeltaX, Math.max(0, count - 1)) } : {}),
      ...(a.DeltaY ? { deltaY: parseDeltas(a.DeltaY, Math.max(0, count - 1)) } : {}),
      text: tc.text,
    }
  })
}

function parseCgTransforms(el: XmlElement): CGTransform[] {
  return childrenNamed(el, 'CGTransform').map((cg) => {
    const glyphCount = parseIntAttr(cg.attrs.GlyphCount, 1, 0, 100_000)
    const glyphs = cg.children.find((c) => c.name === 'Glyphs')
    return {
      codePosition: parseIntAttr(cg.attrs.CodePosition, 0, 0, 10_000_000),
      codeCount: parseIntAttr(cg.attrs.CodeCount, 1, 0, 100_000),
      glyphCount,
      glyphs: glyphs
        ? parseNumbers(glyphs.text)
            .slice(0, glyphCount)
            .map((g) => Math.trunc(g))
        : [],
    }
  })
}

function parseText(el: XmlElement, ctx: ObjectContext, depth: number): TextObject {
  bump(ctx)
  const a = el.attrs
  const fillColor = parseColor(child(el, 'FillColor'))
  const strokeColor = parseColor(child(el, 'StrokeColor'))
  return {
    kind: 'text',
    ...graphicState(el, ctx, depth),
    font: (a.Font ?? '').trim(),
    size: a.Size !== undefined ? parseNumber(a.Size) : 0,
    stroke: parseBool(a.Stroke, false),
    fill: parseBool(a.Fill, true),
    hScale: a.HScale !== undefined ? parseNumber(a.HScale) : 1,
    readDirection: parseIntAttr(a.ReadDirection, 0, 0, 360),
    charDirection: parseIntAttr(a.CharDirection, 0, 0, 360),
    weight: parseIntAttr(a.Weight, 400, 0, 1000),
    italic: parseBool(a.Italic, false),
    ...(fillColor ? { fillColor } : {}),
    ...(strokeColor ? { strokeColor } : {}),
    codes: parseTextCodes(el),
    cgTransforms: parseCgTransforms(el),
  }
}

function parsePath(el: XmlElement, ctx: ObjectContext, depth: number): PathObject {
  bump(ctx)
  const a = el.attrs
  const fillColor = parseColor(child(el, 'FillColor'))
  const strokeColor = parseColor(child(el, 'StrokeColor'))
  const rule = a.Rule === 'Even-Odd' || a.Rule === 'EvenOdd' ? 'Even-Odd' : 'NonZero'
  return {
    kind: 'path',
    ...graphicState(el, ctx, depth),
    stroke: parseBool(a.Stroke, true),
    fill: parseBool(a.Fill, false),
    rule,
    data: child(el, 'AbbreviatedData')?.text ?? '',
    ...(fillColor ? { fillColor } : {}),
    ...(strokeColor ? { strokeColor } : {}),
  }
}

const MAX_BLOCK_DEPTH = 32

/** Parses the drawable children of a layer, block or composite unit, in order. */
export function parseObjects(container: XmlElement, ctx: ObjectContext, depth = 0): PageObject[] {
  if (depth > MAX_BLOCK_DEPTH)
    throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `${ctx.part} 页块嵌套过深` } })
  const out: PageObject[] = []
  for (const el of container.children) {
    switch (el.name) {
      case 'TextObject':
        out.push(parseText(el, ctx, depth))
        break
      case 'PathObject':
        out.push(parsePath(el, ctx, depth))
        break
      case 'ImageObject':
        bump(ctx)
        out.push({
          kind: 'image',
          ...graphicState(el, ctx, depth),
          resourceId: (el.attrs.ResourceID ?? '').trim(),
        })
        break
      case 'CompositeObject':
        bump(ctx)
        out.push({
          kind: 'composite',
          ...graphicState(el, ctx, depth),
          resourceId: (el.attrs.ResourceID ?? '').trim(),
        })
        break
      case 'PageBlock':
        bump(ctx)
        out.push({
          kind: 'block',
          ...(el.attrs.ID ? { id: el.attrs.ID } : {}),
          objects: parseObjects(el, ctx, depth + 1),
        })
        break
      default:
        break
    }
  }
  return out
}
