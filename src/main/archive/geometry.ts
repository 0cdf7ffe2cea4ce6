/**
 * Affine transforms and SVG path data as the render model writes them (M L Q C Z, absolute, plus
 * the relative forms for safety): parsing, moving into another space, and writing PDF path
 * operators. pdfkit's own SVG reader writes quadratic segments as PDF `v` curves, which draws
 * TrueType glyph outlines (all quadratic) subtly wrong, so the archive writes its own operators.
 */
import type { Matrix } from '../../shared/domain'
import { IDENTITY, apply } from '../ofd'

// The draw list's own transforms: one implementation for the renderer and every painter.
export { IDENTITY, apply, isFiniteMatrix, multiply, rotate, scale, translate } from '../ofd'

/** A path segment with absolute points: M/L one point, Q two, C three, Z none. */
export interface Segment {
  readonly op: 'M' | 'L' | 'Q' | 'C' | 'Z'
  readonly p: readonly number[]
}

const TOKEN = /[MLQCZmlqcz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g
const ARITY: Readonly<Record<string, number>> = { M: 2, L: 2, Q: 4, C: 6, Z: 0 }
/** A hostile draw list cannot make one path cost unbounded time. */
const MAX_SEGMENTS = 500_000

/** Parses path data; a malformed tail is dropped, as viewers do, never thrown. */
export function parsePath(d: string): Segment[] {
  const tokens = d.match(TOKEN) ?? []
  const out: Segment[] = []
  let cx = 0
  let cy = 0
  let sx = 0
  let sy = 0
  let cmd = ''
  let i = 0
  while (i < tokens.length && out.length < MAX_SEGMENTS) {
    const t = tokens[i]!
    if (/^[A-Za-z]$/.test(t)) {
      cmd = t
      i++
      if (cmd === 'Z' || cmd === 'z') {
        out.push({ op: 'Z', p: [] })
        cx = sx
        cy = sy
        continue
      }
    } else if (!cmd || cmd === 'Z' || cmd === 'z') return out
    const upper = cmd.toUpperCase()
    const arity = ARITY[upper]!
    const args: number[] = []
    for (let k = 0; k < arity; k++) {
      const v = Number(tokens[i + k])
      if (tokens[i + k] === undefined || !Number.isFinite(v)) return out
      args.push(v)
    }
    i += arity
    if (cmd !== upper) for (let k = 0; k < arity; k++) args[k]! += k % 2 === 0 ? cx : cy
    out.push({ op: upper as Segment['op'], p: args })
    cx = args[arity - 2]!
    cy = args[arity - 1]!
    if (upper === 'M') {
      sx = cx
      sy = cy
      // Further pairs after a moveto are linetos, as in SVG.
      cmd = cmd === 'm' ? 'l' : 'L'
    }
  }
  return out
}

/** Formats a number for PDF content: at most four decimals, no exponent, no `-0`. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '0'
  const r = Math.round(v * 10_000) / 10_000
  if (r === 0) return '0'
  return Number.isInteger(r) ? String(r) : r.toFixed(4).replace(/0+$/, '')
}

/** PDF path construction operators for segments, with each quadratic raised to a cubic. */
export function pdfPathOps(segments: readonly Segment[], m: Matrix = IDENTITY): string {
  const identity = m === IDENTITY
  const pt = (x: number, y: number) => {
    const [a, b] = identity ? [x, y] : apply(m, x, y)
    return `${num(a)} ${num(b)}`
  }
  const parts: string[] = []
  let cx = 0
  let cy = 0
  let sx = 0
  let sy = 0
  for (const s of segments) {
    const p = s.p
    switch (s.op) {
      case 'M':
        parts.push(`${pt(p[0]!, p[1]!)} m`)
        cx = sx = p[0]!
        cy = sy = p[1]!
        break
      case 'L':
        parts.push(`${pt(p[0]!, p[1]!)} l`)
        cx = p[0]!
        cy = p[1]!
        break
      case 'Q': {
        const [qx, qy, x, y] = p as [number, number, number, number]
        const c1x = cx + ((qx - cx) * 2) / 3
        const c1y = cy + ((qy - cy) * 2) / 3
        const c2x = x + ((qx - x) * 2) / 3
        const c2y = y + ((qy - y) * 2) / 3
        parts.push(`${pt(c1x, c1y)} ${pt(c2x, c2y)} ${pt(x, y)} c`)
        cx = x
        cy = y
        break
      }
      case 'C':
        parts.push(`${pt(p[0]!, p[1]!)} ${pt(p[2]!, p[3]!)} ${pt(p[4]!, p[5]!)} c`)
        cx = p[4]!
        cy = p[5]!
        break
      case 'Z':
        parts.push('h')
        cx = sx
        cy = sy
        break
    }
  }
  return parts.join('\n')
}

/** Path data moved by a transform (for clips, which live in page space). */
export function transformPathData(d: string, m: Matrix): string {
  let out = ''
  const f = (v: number) => String(Math.round(v * 1000) / 1000)
  for (const s of parsePath(d)) {
    if (s.op === 'Z') {
      out += 'Z'
      continue
    }
    out += s.op
    for (let k = 0; k < s.p.length; k += 2) {
      const [x, y] = apply(m, s.p[k]!, s.p[k + 1]!)
      out += `${k ? ' ' : ''}${f(x)} ${f(y)}`
    }
  }
  return out
}

/** A rectangle as path data. */
export function rectPath(x: number, y: number, w: number, h: number): string {
  const f = (v: number) => String(Math.round(v * 1000) / 1000)
  return `M${f(x)} ${f(y)}L${f(x + w)} ${f(y)}L${f(x + w)} ${f(y + h)}L${f(x)} ${f(y + h)}Z`
}
