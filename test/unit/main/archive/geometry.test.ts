import { describe, expect, it } from 'vitest'
import {
  apply,
  multiply,
  num,
  parsePath,
  pdfPathOps,
  rotate,
  transformPathData,
  translate,
} from '../../../../src/main/archive/geometry'

describe('path data', () => {
  it('reads absolute and relative segments to the same absolute points', () => {
    const abs = parsePath('M10 10L20 10Q25 15 20 20C15 25 10 25 10 20Z')
    const rel = parsePath('m10 10l10 0q5 5 0 10c-5 5 -10 5 -10 0z')
    expect(rel).toEqual(abs)
    expect(abs.map((s) => s.op).join('')).toBe('MLQCZ')
  })

  it('takes further pairs after a moveto as linetos, and drops a malformed tail', () => {
    expect(parsePath('M0 0 10 0 10 10')).toEqual([
      { op: 'M', p: [0, 0] },
      { op: 'L', p: [10, 0] },
      { op: 'L', p: [10, 10] },
    ])
    expect(parsePath('M0 0L5')).toEqual([{ op: 'M', p: [0, 0] }])
    expect(parsePath('garbage')).toEqual([])
    expect(parsePath('M1e2 -.5')).toEqual([{ op: 'M', p: [100, -0.5] }])
  })

  it('raises a quadratic to the cubic with the same curve (control points at 2/3)', () => {
    const ops = pdfPathOps(parsePath('M0 0Q3 6 6 0'))
    expect(ops).toBe('0 0 m\n2 4 4 4 6 0 c')
  })

  it('applies a matrix to every point and closes subpaths with h', () => {
    const ops = pdfPathOps(parsePath('M0 0L1 0L1 1Z'), [2, 0, 0, 3, 10, 20])
    expect(ops).toBe('10 20 m\n12 20 l\n12 23 l\nh')
  })

  it('moves clip paths into page space', () => {
    expect(transformPathData('M0 0L10 0L10 5Z', [0.5, 0, 0, 0.5, 100, 50])).toBe(
      'M100 50L105 50L105 52.5Z',
    )
  })

  it('formats numbers for PDF without exponents or negative zero', () => {
    expect(num(-0)).toBe('0')
    expect(num(1e-7)).toBe('0')
    expect(num(1.234567)).toBe('1.2346')
    expect(num(42)).toBe('42')
    expect(num(-3.5)).toBe('-3.5')
    expect(num(Number.NaN)).toBe('0')
  })
})

describe('matrices', () => {
  it('composes n first, then m', () => {
    const m = multiply(translate(10, 0), rotate(90))
    const [x, y] = apply(m, 1, 0)
    expect(x).toBeCloseTo(10)
    expect(y).toBeCloseTo(1)
  })
})
