/**
 * Public keys as certificates, DG14 and DG15 carry them (SubjectPublicKeyInfo): RSA, EC with a
 * named curve or explicit prime-field parameters, and DH (Chip Authentication with DH keys).
 */
import {
  bigIntToBytes,
  bytesToBigInt,
  curveByOid,
  curveFromParams,
  decodePoint,
  encodePoint,
  type DhGroup,
  type EcCurve,
  type EcPoint,
  type RsaPublicKey,
} from '../../crypto'
import { Asn1, asn1Error, TAG } from './asn1'
import { der } from './der-writer'
import { OID } from './oids'

export type PublicKey =
  | { readonly kind: 'rsa'; readonly key: RsaPublicKey }
  | { readonly kind: 'ec'; readonly curve: EcCurve; readonly point: EcPoint }
  | { readonly kind: 'dh'; readonly group: DhGroup; readonly y: bigint }

/** EC domain parameters: a named curve OID or SpecifiedECDomain (prime fields only). */
export function parseEcParameters(node: Asn1): EcCurve {
  if (node.tag === TAG.OID) {
    const oid = node.oid()
    const c = curveByOid(oid)
    if (!c) throw asn1Error(`unknown curve ${oid}`)
    return c
  }
  node.expect(TAG.SEQUENCE, 'ECParameters')
  const field = node.at(1, 'fieldID')
  if (field.at(0, 'fieldType').oid() !== OID.primeField) throw asn1Error('not a prime field')
  const p = bytesToBigInt(field.at(1, 'prime').unsigned())
  const curve = node.at(2, 'curve')
  const a = bytesToBigInt(curve.at(0, 'a').octets())
  const b = bytesToBigInt(curve.at(1, 'b').octets())
  const base = node.at(3, 'base').octets()
  const n = bytesToBigInt(node.at(4, 'order').unsigned())
  const cofactor = node.children()[5]
  const h = cofactor ? bytesToBigInt(cofactor.unsigned()) : 1n
  const size = Math.ceil(p.toString(16).length / 2)
  if (base.length !== 1 + 2 * size || base[0] !== 4) throw asn1Error('base point encoding')
  try {
    return curveFromParams({
      p,
      a,
      b,
      Gx: bytesToBigInt(base.subarray(1, 1 + size)),
      Gy: bytesToBigInt(base.subarray(1 + size)),
      n,
      h,
    })
  } catch {
    throw asn1Error('EC parameters do not describe a curve')
  }
}

export function parseSpki(node: Asn1): PublicKey {
  node.expect(TAG.SEQUENCE, 'SubjectPublicKeyInfo')
  const alg = node.at(0, 'algorithm')
  const oid = alg.at(0, 'algorithm').oid()
  const keyBits = node.at(1, 'subjectPublicKey').bits()
  if (oid === OID.rsaEncryption || oid === OID.rsaPss) {
    const k = Asn1.parse(keyBits).expect(TAG.SEQUENCE, 'RSAPublicKey')
    return {
      kind: 'rsa',
      key: {
        n: bytesToBigInt(k.at(0, 'modulus').unsigned()),
        e: bytesToBigInt(k.at(1, 'exponent').unsigned()),
      },
    }
  }
  if (oid === OID.ecPublicKey || oid === OID.pkEcdh) {
    const curve = parseEcParameters(alg.at(1, 'ECParameters'))
    try {
      return { kind: 'ec', curve, point: decodePoint(curve, keyBits) }
    } catch {
      throw asn1Error('EC public key is not on its curve')
    }
  }
  if (oid === OID.dhPublicNumber || oid === OID.pkDh) {
    const params = alg.at(1, 'DomainParameters')
    const p = bytesToBigInt(params.at(0, 'p').unsigned())
    const g = bytesToBigInt(params.at(1, 'g').unsigned())
    const qNode = params.children()[2]
    const q = qNode && qNode.tag === TAG.INTEGER ? bytesToBigInt(qNode.unsigned()) : 0n
    const y = bytesToBigInt(Asn1.parse(keyBits).unsigned('DH public value'))
    return {
      kind: 'dh',
      group: { name: 'dh', p, g, q, size: Math.ceil(p.toString(16).length / 2) },
      y,
    }
  }
  throw asn1Error(`unsupported public key algorithm ${oid}`)
}

export function rsaSpki(key: RsaPublicKey): Uint8Array {
  return der.seq(
    der.seq(der.oid(OID.rsaEncryption), der.nul()),
    der.bits(der.seq(der.int(key.n), der.int(key.e))),
  )
}

/** EC SubjectPublicKeyInfo; `explicit` writes the domain parameters out, as many CSCAs do. */
export function ecSpki(
  curve: EcCurve,
  point: EcPoint,
  options: { explicit?: boolean; algorithm?: string } = {},
) {
  return der.seq(
    der.seq(
      der.oid(options.algorithm ?? OID.ecPublicKey),
      ecParameters(curve, options.explicit ?? false),
    ),
    der.bits(encodePoint(point)),
  )
}

export function ecParameters(curve: EcCurve, explicit: boolean): Uint8Array {
  if (!explicit && curve.oid) return der.oid(curve.oid)
  const fe = (v: bigint) => bigIntToBytes(v, curve.size)
  const g = new Uint8Array(1 + 2 * curve.size)
  g[0] = 4
  g.set(fe(curve.Gx), 1)
  g.set(fe(curve.Gy), 1 + curve.size)
  return der.seq(
    der.int(1),
    der.seq(der.oid(OID.primeField), der.int(curve.p)),
    der.seq(der.octets(fe(curve.a)), der.octets(fe(curve.b))),
    der.octets(g),
    der.int(curve.n),
    der.int(curve.h),
  )
}
