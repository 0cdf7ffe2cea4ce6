/**
 * Elliptic curves for ICAO 9303: ECDH for PACE and Chip Authentication, the generic mapping's
 * point arithmetic, and ECDSA for security objects, Active Authentication and certificates. All on
 * @noble/curves, because Electron's BoringSSL has no brainpool curves; certificates with explicit
 * domain parameters get a curve built from those parameters.
 */
import { ecdsa, weierstrass } from '@noble/curves/abstract/weierstrass.js'
import type { WeierstrassPoint, WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js'
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js'
import { p256, p384, p521 } from '@noble/curves/nist.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { randomBytes } from 'node:crypto'
import { bigIntToBytes, byteLengthOf, bytesToBigInt } from './bigint'

export type EcPoint = WeierstrassPoint<bigint>

export interface EcParams {
  readonly p: bigint
  readonly a: bigint
  readonly b: bigint
  readonly Gx: bigint
  readonly Gy: bigint
  readonly n: bigint
  readonly h: bigint
}

export interface EcCurve extends EcParams {
  /** A standard name, or `custom` for explicit parameters that match no known curve. */
  readonly name: string
  readonly oid: string | undefined
  /** Field element length in bytes. */
  readonly size: number
  readonly Point: WeierstrassPointCons<bigint>
}

const h = (s: string) => BigInt('0x' + s)

// Curves @noble/curves does not ship, with parameters from SEC 2 and RFC 5639.
const EXTRA: Record<string, { oid: string; params: EcParams }> = {
  secp192r1: {
    oid: '1.2.840.10045.3.1.1',
    params: {
      p: h('fffffffffffffffffffffffffffffffeffffffffffffffff'),
      a: h('fffffffffffffffffffffffffffffffefffffffffffffffc'),
      b: h('64210519e59c80e70fa7e9ab72243049feb8deecc146b9b1'),
      Gx: h('188da80eb03090f67cbf20eb43a18800f4ff0afd82ff1012'),
      Gy: h('07192b95ffc8da78631011ed6b24cdd573f977a11e794811'),
      n: h('ffffffffffffffffffffffff99def836146bc9b1b4d22831'),
      h: 1n,
    },
  },
  secp224r1: {
    oid: '1.3.132.0.33',
    params: {
      p: h('ffffffffffffffffffffffffffffffff000000000000000000000001'),
      a: h('fffffffffffffffffffffffffffffffefffffffffffffffffffffffe'),
      b: h('b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4'),
      Gx: h('b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21'),
      Gy: h('bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34'),
      n: h('ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d'),
      h: 1n,
    },
  },
  brainpoolP192r1: {
    oid: '1.3.36.3.3.2.8.1.1.3',
    params: {
      p: h('c302f41d932a36cda7a3463093d18db78fce476de1a86297'),
      a: h('6a91174076b1e0e19c39c031fe8685c1cae040e5c69a28ef'),
      b: h('469a28ef7c28cca3dc721d044f4496bcca7ef4146fbf25c9'),
      Gx: h('c0a0647eaab6a48753b033c56cb0f0900a2f5c4853375fd6'),
      Gy: h('14b690866abd5bb88b5f4828c1490002e6773fa2fa299b8f'),
      n: h('c302f41d932a36cda7a3462f9e9e916b5be8f1029ac4acc1'),
      h: 1n,
    },
  },
  brainpoolP224r1: {
    oid: '1.3.36.3.3.2.8.1.1.5',
    params: {
      p: h('d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff'),
      a: h('68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43'),
      b: h('2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b'),
      Gx: h('0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d'),
      Gy: h('58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd'),
      n: h('d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f'),
      h: 1n,
    },
  },
  brainpoolP320r1: {
    oid: '1.3.36.3.3.2.8.1.1.9',
    params: {
      p: h('d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27'),
      a: h('3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4'),
      b: h('520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6'),
      Gx: h('43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611'),
      Gy: h('14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1'),
      n: h('d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311'),
      h: 1n,
    },
  },
}

const NOBLE: Record<string, { oid: string; Point: WeierstrassPointCons<bigint> }> = {
  secp256r1: { oid: '1.2.840.10045.3.1.7', Point: p256.Point },
  secp384r1: { oid: '1.3.132.0.34', Point: p384.Point },
  secp521r1: { oid: '1.3.132.0.35', Point: p521.Point },
  brainpoolP256r1: { oid: '1.3.36.3.3.2.8.1.1.7', Point: brainpoolP256r1.Point },
  brainpoolP384r1: { oid: '1.3.36.3.3.2.8.1.1.11', Point: brainpoolP384r1.Point },
  brainpoolP512r1: { oid: '1.3.36.3.3.2.8.1.1.13', Point: brainpoolP512r1.Point },
}

export type CurveName = keyof typeof EXTRA | keyof typeof NOBLE

function make(name: string, oid: string | undefined, Point: WeierstrassPointCons<bigint>): EcCurve {
  const c = Point.CURVE()
  return {
    name,
    oid,
    p: c.p,
    a: c.a,
    b: c.b,
    Gx: c.Gx,
    Gy: c.Gy,
    n: c.n,
    h: c.h,
    size: byteLengthOf(c.p),
    Point,
  }
}

const cache = new Map<string, EcCurve>()

export function curveByName(name: string): EcCurve | undefined {
  const hit = cache.get(name)
  if (hit) return hit
  let curve: EcCurve | undefined
  const noble = NOBLE[name]
  const extra = EXTRA[name]
  if (noble) curve = make(name, noble.oid, noble.Point)
  else if (extra) curve = make(name, extra.oid, weierstrass(extra.params))
  if (curve) cache.set(name, curve)
  return curve
}

export const CURVE_NAMES: readonly string[] = [...Object.keys(EXTRA), ...Object.keys(NOBLE)]

export function curveByOid(oid: string): EcCurve | undefined {
  const name = CURVE_NAMES.find((n) => (NOBLE[n]?.oid ?? EXTRA[n]?.oid) === oid)
  return name ? curveByName(name) : undefined
}

function sameParams(a: EcParams, b: EcParams): boolean {
  return a.p === b.p && a.a === b.a && a.b === b.b && a.Gx === b.Gx && a.Gy === b.Gy && a.n === b.n
}

/**
 * A curve from explicit domain parameters (as ICAO certificates and DG14 often carry them): the
 * known curve when they match one, otherwise a custom curve. Throws RangeError for parameters
 * that do not describe a curve with the given base point.
 */
export function curveFromParams(params: EcParams): EcCurve {
  for (const name of CURVE_NAMES) {
    const c = curveByName(name)!
    if (sameParams(c, params)) return c
  }
  try {
    return make('custom', undefined, weierstrass(params))
  } catch (cause) {
    throw new RangeError('invalid elliptic-curve parameters', { cause })
  }
}

/** Decodes an uncompressed (or compressed) SEC 1 point on the curve; RangeError if it is not one. */
export function decodePoint(curve: EcCurve, bytes: Uint8Array): EcPoint {
  try {
    const p = curve.Point.fromBytes(bytes)
    p.assertValidity()
    return p
  } catch (cause) {
    throw new RangeError('not a point on the curve', { cause })
  }
}

export function encodePoint(point: EcPoint): Uint8Array {
  return point.toBytes(false)
}

/** A point from affine coordinates, checked to lie on the curve. */
export function pointFromAffine(curve: EcCurve, x: bigint, y: bigint): EcPoint {
  try {
    const p = curve.Point.fromAffine({ x, y })
    p.assertValidity()
    return p
  } catch (cause) {
    throw new RangeError('not a point on the curve', { cause })
  }
}

export function basePoint(curve: EcCurve): EcPoint {
  return curve.Point.BASE
}

/** A uniformly random scalar in [1, n-1]. */
export function randomScalar(curve: EcCurve): bigint {
  const len = byteLengthOf(curve.n) + 8
  return (bytesToBigInt(new Uint8Array(randomBytes(len))) % (curve.n - 1n)) + 1n
}

export function scalarFromBytes(curve: EcCurve, bytes: Uint8Array): bigint {
  const k = bytesToBigInt(bytes)
  if (k <= 0n || k >= curve.n) throw new RangeError('scalar out of range')
  return k
}

/** k·P, with P the base point unless given (the generic mapping's new generator). */
export function multiply(curve: EcCurve, k: bigint, point: EcPoint = curve.Point.BASE): EcPoint {
  const s = ((k % curve.n) + curve.n) % curve.n
  if (s === 0n) throw new RangeError('zero scalar')
  return point.multiply(s)
}

/** The x coordinate of sk·peer, field-length big-endian: the ECDH shared secret ICAO uses. */
export function ecdhSharedX(curve: EcCurve, sk: bigint, peer: EcPoint): Uint8Array {
  const s = multiply(curve, sk, peer)
  if (s.is0()) throw new RangeError('shared point at infinity')
  return bigIntToBytes(s.x, curve.size)
}

const signers = new Map<EcCurve, ReturnType<typeof ecdsa>>()
function signer(curve: EcCurve) {
  let s = signers.get(curve)
  if (!s) {
    s = ecdsa(curve.Point, sha256)
    signers.set(curve, s)
  }
  return s
}

function scalarLength(curve: EcCurve): number {
  return byteLengthOf(curve.n)
}

/**
 * ECDSA over a ready digest, signature as r‖s (each the order's length). High-S signatures are
 * accepted, as OpenSSL and every signer in the ICAO PKI produce them.
 */
export function ecdsaVerifyDigest(
  curve: EcCurve,
  publicKey: EcPoint,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 2 * scalarLength(curve)) return false
  try {
    return signer(curve).verify(signature, digest, publicKey.toBytes(false), {
      prehash: false,
      lowS: false,
    })
  } catch {
    return false
  }
}

export function ecdsaSignDigest(curve: EcCurve, sk: bigint, digest: Uint8Array): Uint8Array {
  return signer(curve).sign(digest, bigIntToBytes(sk, scalarLength(curve)), {
    prehash: false,
    lowS: false,
  })
}

export function ecdsaSignatureLength(curve: EcCurve): number {
  return 2 * scalarLength(curve)
}
