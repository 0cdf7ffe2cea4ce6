/** Affine transforms as OFD, SVG and canvas write them: [a, b, c, d, e, f]. */
import type { Matrix } from '../../../shared/domain'

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]

/** `m ∘ n`: apply n first, then m. */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ]
}

export function translate(x: number, y: number): Matrix {
  return [1, 0, 0, 1, x, y]
}

export function scale(sx: number, sy = sx): Matrix {
  return [sx, 0, 0, sy, 0, 0]
}

/** Rotation by `degrees`, clockwise on a y-down page. */
export function rotate(degrees: number): Matrix {
  const r = (degrees * Math.PI) / 180
  const c = Math.cos(r)
  const s = Math.sin(r)
  return [c, s, -s, c, 0, 0]
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]
}

/** Rounds for the draw list: enough precision for 1200 dpi, short in JSON. */
export function tidy(m: Matrix): Matrix {
  return m.map((v) => Math.round(v * 1e6) / 1e6 || 0) as unknown as Matrix
}

/** Six finite numbers: anything else (a hostile or damaged draw list) is not drawn. */
export function isFiniteMatrix(m: readonly number[]): boolean {
  return m.length === 6 && m.every((v) => Number.isFinite(v))
}
