import { describe, expect, it } from 'vitest'
import {
  dhIsValidPublic,
  dhPow,
  dhRandomExponent,
  modPow,
  RFC5114_1024_160,
  RFC5114_2048_224,
  RFC5114_2048_256,
} from '../../../../src/main/crypto'

describe('RFC 5114 groups', () => {
  it.each([RFC5114_1024_160, RFC5114_2048_224, RFC5114_2048_256])(
    '$name: g has order q and both sides agree',
    (g) => {
      expect(modPow(g.g, g.q, g.p)).toBe(1n)
      const a = dhRandomExponent(g)
      const b = dhRandomExponent(g)
      const A = dhPow(g, g.g, a)
      const B = dhPow(g, g.g, b)
      expect(dhIsValidPublic(g, A)).toBe(true)
      expect(dhPow(g, B, a)).toBe(dhPow(g, A, b))
      expect(dhIsValidPublic(g, 1n)).toBe(false)
      expect(dhIsValidPublic(g, g.p - 1n)).toBe(false)
    },
  )
})
