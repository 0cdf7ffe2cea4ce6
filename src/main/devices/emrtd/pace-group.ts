/**
 * The groups PACE and Chip Authentication compute in, behind one interface: elliptic curves
 * (ECDH) and prime-order subgroups of Z*p (DH). The generic mapping, the shared secret and the
 * public key encodings are written once on top of it, for the terminal and the chip simulator.
 */
import {
  bigIntToBytes,
  bytesToBigInt,
  curveByName,
  decodePoint,
  dhIsValidPublic,
  dhPow,
  dhRandomExponent,
  encodePoint,
  randomScalar,
  RFC5114_1024_160,
  RFC5114_2048_224,
  RFC5114_2048_256,
  type DhGroup,
  type EcCurve,
  type EcPoint,
} from '../../crypto'
import { encodeOidValue } from './asn1'
import { encodeTlv } from './tlv'

export type GroupElement = EcPoint | bigint

export interface PaceGroup {
  readonly agreement: 'ECDH' | 'DH'
  readonly name: string
  readonly order: bigint
  readonly generator: GroupElement
  randomScalar(): bigint
  multiply(k: bigint, element: GroupElement): GroupElement
  add(a: GroupElement, b: GroupElement): GroupElement
  encode(element: GroupElement): Uint8Array
  /** Decodes and validates a peer's element; RangeError if it is not in the group. */
  decode(bytes: Uint8Array): GroupElement
  /** The shared secret's encoding: the x coordinate, or the DH value at the modulus length. */
  secret(element: GroupElement): Uint8Array
  isIdentity(element: GroupElement): boolean
  equal(a: GroupElement, b: GroupElement): boolean
  /** The public key's tag in a public key data object: 86 (EC point) or 84 (DH value). */
  readonly publicKeyTag: 0x86 | 0x84
  /** Same group with another generator (the generic mapping's result). */
  withGenerator(generator: GroupElement): PaceGroup
  readonly curve?: EcCurve
  readonly dh?: DhGroup
}

function asPoint(e: GroupElement): EcPoint {
  if (typeof e === 'bigint') throw new TypeError('expected an EC point')
  return e
}
function asInt(e: GroupElement): bigint {
  if (typeof e !== 'bigint') throw new TypeError('expected a DH value')
  return e
}

export function ecGroup(curve: EcCurve, generator: EcPoint = curve.Point.BASE): PaceGroup {
  return {
    agreement: 'ECDH',
    name: curve.name,
    order: curve.n,
    generator,
    curve,
    randomScalar: () => randomScalar(curve),
    multiply: (k, e) => asPoint(e).multiply(((k % curve.n) + curve.n) % curve.n || curve.n - 1n),
    add: (a, b) => asPoint(a).add(asPoint(b)),
    encode: (e) => encodePoint(asPoint(e)),
    decode: (bytes) => {
      const p = decodePoint(curve, bytes)
      if (p.is0()) throw new RangeError('point at infinity')
      return p
    },
    secret: (e) => bigIntToBytes(asPoint(e).x, curve.size),
    isIdentity: (e) => asPoint(e).is0(),
    equal: (a, b) => asPoint(a).equals(asPoint(b)),
    publicKeyTag: 0x86,
    withGenerator: (g) => ecGroup(curve, asPoint(g)),
  }
}

export function dhGroup(group: DhGroup, generator: bigint = group.g): PaceGroup {
  return {
    agreement: 'DH',
    name: group.name,
    order: group.q,
    generator,
    dh: group,
    randomScalar: () => dhRandomExponent(group),
    multiply: (k, e) => dhPow(group, asInt(e), k),
    add: (a, b) => (asInt(a) * asInt(b)) % group.p,
    encode: (e) => bigIntToBytes(asInt(e), group.size),
    decode: (bytes) => {
      const y = bytesToBigInt(bytes)
      if (group.q > 0n ? !dhIsValidPublic(group, y) : y <= 1n || y >= group.p - 1n)
        throw new RangeError('not a group element')
      return y
    },
    secret: (e) => bigIntToBytes(asInt(e), group.size),
    isIdentity: (e) => asInt(e) === 1n,
    equal: (a, b) => asInt(a) === asInt(b),
    publicKeyTag: 0x84,
    withGenerator: (g) => dhGroup(group, asInt(g)),
  }
}

/** ICAO / BSI standardised domain parameters by id. */
export function standardizedGroup(id: number): PaceGroup | undefined {
  const dh: Record<number, DhGroup> = {
    0: RFC5114_1024_160,
    1: RFC5114_2048_224,
    2: RFC5114_2048_256,
  }
  if (dh[id]) return dhGroup(dh[id])
  const ec: Record<number, string> = {
    8: 'secp192r1',
    9: 'brainpoolP192r1',
    10: 'secp224r1',
    11: 'brainpoolP224r1',
    12: 'secp256r1',
    13: 'brainpoolP256r1',
    14: 'brainpoolP320r1',
    15: 'secp384r1',
    16: 'brainpoolP384r1',
    17: 'brainpoolP512r1',
    18: 'secp521r1',
  }
  const name = ec[id]
  const curve = name ? curveByName(name) : undefined
  return curve ? ecGroup(curve) : undefined
}

/** The generic mapping: G' = s·G + H, with H = SK_map · PK_map(peer). */
export function genericMapping(
  group: PaceGroup,
  nonce: bigint,
  ownMapKey: bigint,
  peerMapPublic: GroupElement,
): PaceGroup {
  const h = group.multiply(ownMapKey, peerMapPublic)
  if (group.isIdentity(h)) throw new RangeError('mapping produced the identity')
  const g = group.add(group.multiply(nonce, group.generator), h)
  if (group.isIdentity(g)) throw new RangeError('mapped generator is the identity')
  return group.withGenerator(g)
}

/** The public key data object `7F49 { 06 OID, 86|84 key }` that PACE's tokens authenticate. */
export function publicKeyDataObject(group: PaceGroup, oid: string, key: GroupElement): Uint8Array {
  return encodeTlv(
    0x7f49,
    encodeTlv(0x06, encodeOidValue(oid)),
    encodeTlv(group.publicKeyTag, group.encode(key)),
  )
}
