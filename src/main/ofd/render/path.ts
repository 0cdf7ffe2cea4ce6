/**
 * OFD AbbreviatedData (GB/T 33190 §9.3: S M L Q B A C) into SVG path data with only M L Q C Z,
 * arcs turned into cubic Béziers, so every painter (canvas, SVG, pdfkit) takes it as is and clips
 * can be moved into page space by transforming points alone.
 */
import type { Matrix } from '../../../shared/domain'
import { apply } from './matrix'

export type Segment =
  | { readonly op: 'M' | 'L'; readonly p: readonly number[] }
  | { readonly op: 'Q'; readonly p: readonly number[] }
  | { readonly op: 'C'; readonly p: readonly number[] }
  | { readonly op: 'Z'; readonly p: readonly number[] }

const TOKEN = /[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g
/** Segments one path may have: a licence's most complex path has a few thousand. */
const MAX_SEGMENTS = 200_000

const ARITY: Record<string, number> = { S: 2, M: 2, L: 2, Q: 4, B: 6, A: 7, C: 0 }

/** Parses AbbreviatedData. Malformed tails are dropped (as viewers do), never thrown. */
export function parseAbbreviated(data: string): Segment[] {
  const tokens = data.match(TOKEN) ?? []
  const out: Segment[] = []
  let cx = 0
  let cy = 0
  let sx = 0
  let sy = 0
  let i = 0
  while (i < tokens.length && out.length < MAX_SEGMENTS) {
    const cmd = tokens[i]!.toUpperCase()
    const arity = ARITY[cmd]
    if (arity === undefined) {
      i++
      continue
    }
    const args: number[] = []
    for (let k = 1; k <= arity; k++) {
      const v = Number(tokens[i + k])
      if (!Number.isFinite(v)) return out
      args.push(v)
    }
    i += 1 + arity
    switch (cmd) {
      case 'S':
      case 'M':
        out.push({ op: 'M', p: args })
        cx = sx = args[0]!
        cy = sy = args[1]!
        break
      case 'L':
        out.push({ op: 'L', p: args })
        cx = args[0]!
        cy = args[1]!
        break
      case 'Q':
        out.push({ op: 'Q', p: args })
        cx = args[2]!
        cy = args[3]!
        break
      case 'B':
        out.push({ op: 'C', p: args })
        cx = args[4]!
        cy = args[5]!
        break
      case 'A':
        for (const c of arcToCubics(
          cx,
          cy,
          args[0]!,
          args[1]!,
          args[2]!,
          args[3]! !== 0,
          args[4]! !== 0,
          args[5]!,
          args[6]!,
        ))
          out.push({ op: 'C', p: c })
        cx = args[5]!
        cy = args[6]!
        break
      case 'C':
        out.push({ op: 'Z', p: [] })
        cx = sx
        cy = sy
        break
    }
  }
  return out
}

/** SVG path data (M L Q C Z with absolute numbers) back into segments; used for glyph outlines. */
export function parseSvgPath(d: string): Segment[] {
  const tokens = d.match(TOKEN) ?? []
  const out: Segment[] = []
  let i = 0
  while (i < tokens.length) {
    const op = tokens[i]!
    const arity =
      op === 'M' || op === 'L' ? 2 : op === 'Q' ? 4 : op === 'C' ? 6 : op === 'Z' ? 0 : -1
    if (arity < 0) {
      i++
      continue
    }
    const p = tokens.slice(i + 1, i + 1 + arity).map(Number)
    i += 1 + arity
    out.push({ op, p } as Segment)
  }
  return out
}

const fmt = (v: number) => {
  const r = Math.round(v * 1e4) / 1e4
  return Object.is(r, -0) ? '0' : String(r)
}

export function toPathData(segments: readonly Segment[], m?: Matrix): string {
  let d = ''
  for (const s of segments) {
    d += s.op
    if (s.op === 'Z') continue
    const pts: number[] = []
    for (let k = 0; k < s.p.length; k += 2) {
      const [x, y] = m ? apply(m, s.p[k]!, s.p[k + 1]!) : [s.p[k]!, s.p[k + 1]!]
      pts.push(x, y)
    }
    d += pts.map(fmt).join(' ')
  }
  return d
}

/** An SVG-style endpoint arc as cubic Béziers of at most 90° each. */
export function arcToCubics(
  x1: number,
  y1: number,
  rxIn: number,
  ryIn: number,
  angleDeg: number,
  largeArc: boolean,
  sweep: boolean,
  x2: number,
  y2: number,
): number[][] {
  let rx = Math.abs(rxIn)
  let ry = Math.abs(ryIn)
  if ((x1 === x2 && y1 === y2) || rx === 0 || ry === 0) return [[x1, y1, x2, y2, x2, y2]]
  const phi = (angleDeg * Math.PI) / 180
  const cos = Math.cos(phi)
  const sin = Math.sin(phi)
  const dx = (x1 - x2) / 2
  const dy = (y1 - y2) / 2
  const x1p = cos * dx + sin * dy
  const y1p = -sin * dx + cos * dy
  const lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry)
  if (lambda > 1) {
    rx *= Math.sqrt(lambda)
    ry *= Math.sqrt(lambda)
  }
  const num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p
  const den = rx * rx * y1p * y1p + ry * ry * x1p * x1p
  let coef = Math.sqrt(Math.max(0, num / den))
  if (largeArc === sweep) coef = -coef
  const cxp = (coef * rx * y1p) / ry
  const cyp = (-coef * ry * x1p) / rx
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2
  const cy = sin * cxp + cos * cyp + (y1 + y2) / 2
  const angle = (ux: number, uy: number, vx: number, vy: number) => {
    const a = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
    return a
  }
  const theta1 = angle(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry)
  let delta = angle((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry)
  if (!sweep && delta > 0) delta -= 2 * Math.PI
  else if (sweep && delta < 0) delta += 2 * Math.PI
  const parts = Math.max(1, Math.ceil(Math.abs(delta) / (Math.PI / 2)))
  const step = delta / parts
  const t = (4 / 3) * Math.tan(step / 4)
  const out: number[][] = []
  let a = theta1
  const point = (ang: number): [number, number] => {
    const px = rx * Math.cos(ang)
    const py = ry * Math.sin(ang)
    return [cos * px - sin * py + cx, sin * px + cos * py + cy]
  }
  const deriv = (ang: number): [number, number] => {
    const px = -rx * Math.sin(ang)
    const py = ry * Math.cos(ang)
    return [cos * px - sin * py, sin * px + cos * py]
  }
  for (let k = 0; k < parts; k++) {
    const b = a + step
    const [p0x, p0y] = point(a)
    const [p3x, p3y] = k === parts - 1 ? [x2, y2] : point(b)
    const [d0x, d0y] = deriv(a)
    const [d3x, d3y] = deriv(b)
    out.push([p0x + t * d0x, p0y + t * d0y, p3x - t * d3x, p3y - t * d3y, p3x, p3y])
    a = b
  }
  return out
}
