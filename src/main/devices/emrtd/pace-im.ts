/**
 * PACE integrated mapping (Doc 9303 Part 11 §4.4.3.3.2 and Appendix B): the chip's nonce s and
 * the terminal's nonce t go through a block-cipher pseudo-random function R_p(s, t), whose output
 * is encoded to a group element: a curve point by the Icart-style map f_G for ECDH, or
 * x^((p−1)/q) mod p for DH. Implemented for AES-128, the cipher the worked example uses; other
 * suites fall back to the generic mapping's chips or to BAC.
 */
import { CounterError } from '../../../shared/errors'
import { aesEcbEncrypt, bitLengthOf, bytesToBigInt, modPow, pointFromAffine } from '../../crypto'
import { concatBytes, fromHex } from './bytes'
import type { CipherSuite } from './kdf'
import type { PaceGroup } from './pace-group'

const C0 = fromHex('a668892a7c41e3ca739f40b057d85904')
const C1 = fromHex('a4e136ac725f738b01c1f60217c188ad')

/** The pseudo-random function R(s, t): n blocks x_i, keys chained through E(k, c0). */
export function pseudoRandom(
  cipher: CipherSuite,
  s: Uint8Array,
  t: Uint8Array,
  bits: number,
): Uint8Array {
  if (cipher !== 'AES-128' || s.length !== 16 || t.length !== 16)
    throw new CounterError('EMRTD_UNSUPPORTED', {
      params: { what: `PACE integrated mapping with ${cipher}` },
    })
  const n = Math.ceil((bits + 64) / 128)
  let key = aesEcbEncrypt(t, s)
  const out: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    out.push(aesEcbEncrypt(key, C1))
    key = aesEcbEncrypt(key, C0)
  }
  return concatBytes(...out)
}

/** f_G: a field element to a curve point (affine formulas of Appendix B.2; needs p ≡ 3 mod 4). */
export function encodePointIcart(group: PaceGroup, t: bigint) {
  const c = group.curve
  if (!c || c.p % 4n !== 3n)
    throw new CounterError('EMRTD_UNSUPPORTED', { params: { what: 'PACE-IM on this curve' } })
  const { p, a, b } = c
  const m = (v: bigint) => ((v % p) + p) % p
  const alpha = m(-t * t)
  const ap = m(alpha + alpha * alpha)
  const x2 = m(-b * (1n + ap) * modPow(m(a * ap), p - 2n, p))
  const x3 = m(alpha * x2)
  const h2 = m(x2 * x2 * x2 + a * x2 + b)
  const u = m(t * t * t * h2)
  const e = p - 1n - (p + 1n) / 4n
  const A = modPow(h2, e, p)
  const point =
    m(A * A * h2) === 1n ? pointFromAffine(c, x2, m(A * h2)) : pointFromAffine(c, x3, m(A * u))
  return c.h === 1n ? point : point.multiply(c.h)
}

/** The mapped group for the integrated mapping. */
export function integratedMapping(
  group: PaceGroup,
  cipher: CipherSuite,
  s: Uint8Array,
  t: Uint8Array,
): PaceGroup {
  if (group.curve) {
    const x = bytesToBigInt(pseudoRandom(cipher, s, t, bitLengthOf(group.curve.p))) % group.curve.p
    return group.withGenerator(encodePointIcart(group, x))
  }
  const dh = group.dh!
  if (dh.q === 0n)
    throw new CounterError('EMRTD_UNSUPPORTED', { params: { what: 'PACE-IM without q' } })
  const x = bytesToBigInt(pseudoRandom(cipher, s, t, bitLengthOf(dh.p))) % dh.p
  const g = modPow(x, (dh.p - 1n) / dh.q, dh.p)
  if (g <= 1n) throw new RangeError('mapped generator is the identity')
  return group.withGenerator(g)
}
