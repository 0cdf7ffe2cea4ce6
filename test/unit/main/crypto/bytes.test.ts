import { describe, expect, it } from 'vitest'
import { concatBytes } from '../../../../src/main/crypto'

describe('concatBytes', () => {
  it('puts the parts one after another in a fresh array', () => {
    const a = Uint8Array.of(1, 2)
    const b = new Uint8Array(Uint8Array.of(9, 3, 4, 9).buffer, 1, 2)
    const out = concatBytes(a, new Uint8Array(0), b)
    expect([...out]).toEqual([1, 2, 3, 4])
    out[0] = 7
    expect(a[0]).toBe(1)
    expect(concatBytes()).toEqual(new Uint8Array(0))
  })
})
