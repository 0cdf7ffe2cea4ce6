import { createSign, generateKeyPairSync, createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  curveByName,
  curveByOid,
  curveFromParams,
  CURVE_NAMES,
  decodePoint,
  derToRawSignature,
  ecdhSharedX,
  ecdsaSignDigest,
  ecdsaVerifyDigest,
  multiply,
  randomScalar,
} from '../../../../src/main/crypto'

describe('curve registry', () => {
  it.each(CURVE_NAMES)('%s: the base point is on the curve and has order n', (name) => {
    const c = curveByName(name)!
    expect(c.Point.BASE.x).toBe(c.Gx)
    expect(() => c.Point.BASE.assertValidity()).not.toThrow()
    expect(c.Point.BASE.multiply(c.n - 1n).equals(c.Point.BASE.negate())).toBe(true)
    expect(curveByOid(c.oid!)).toBe(c)
  })

  it('recognises explicit parameters of a known curve and builds a custom one otherwise', () => {
    const bp = curveByName('brainpoolP256r1')!
    expect(curveFromParams({ ...bp }).name).toBe('brainpoolP256r1')
    const custom = curveFromParams({ ...bp, n: bp.n, b: bp.b }) // same → known
    expect(custom).toBe(bp)
    expect(() => curveFromParams({ ...bp, Gy: bp.Gy + 1n })).toThrow(RangeError)
  })

  it('rejects points off the curve', () => {
    const c = curveByName('brainpoolP256r1')!
    const g = c.Point.BASE.toBytes(false)
    g[40]! ^= 1
    expect(() => decodePoint(c, g)).toThrow(RangeError)
  })
})

describe('ECDH and ECDSA', () => {
  it.each(CURVE_NAMES)('%s: both sides agree, signatures verify, tampering fails', (name) => {
    const c = curveByName(name)!
    const a = randomScalar(c)
    const b = randomScalar(c)
    const A = multiply(c, a)
    const B = multiply(c, b)
    expect(ecdhSharedX(c, a, B)).toEqual(ecdhSharedX(c, b, A))
    const digest = createHash('sha256').update(name).digest()
    const sig = ecdsaSignDigest(c, a, digest)
    expect(ecdsaVerifyDigest(c, A, digest, sig)).toBe(true)
    digest[0]! ^= 1
    expect(ecdsaVerifyDigest(c, A, digest, sig)).toBe(false)
    expect(ecdsaVerifyDigest(c, A, digest, sig.subarray(1))).toBe(false)
  })

  it('verifies a P-256 signature made by node:crypto', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const msg = Buffer.from('eMRTD security object')
    const der = createSign('sha256').update(msg).sign(privateKey)
    const c = curveByName('secp256r1')!
    const pub = decodePoint(
      c,
      new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-65)),
    )
    const digest = createHash('sha256').update(msg).digest()
    expect(ecdsaVerifyDigest(c, pub, digest, derToRawSignature(der, 32)!)).toBe(true)
  })

  it('verifies a brainpoolP384r1 signature made by the openssl command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ec-'))
    const key = join(dir, 'k.pem')
    execFileSync('openssl', [
      'ecparam',
      '-name',
      'brainpoolP384r1',
      '-genkey',
      '-noout',
      '-out',
      key,
    ])
    writeFileSync(join(dir, 'm'), 'document signer')
    execFileSync('openssl', [
      'dgst',
      '-sha384',
      '-sign',
      key,
      '-out',
      join(dir, 's'),
      join(dir, 'm'),
    ])
    const spki = execFileSync('openssl', ['ec', '-in', key, '-pubout', '-outform', 'DER'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const c = curveByName('brainpoolP384r1')!
    const pub = decodePoint(c, new Uint8Array(spki.subarray(-97)))
    const digest = createHash('sha384').update('document signer').digest()
    const raw = derToRawSignature(new Uint8Array(readFileSync(join(dir, 's'))), 48)!
    expect(ecdsaVerifyDigest(c, pub, digest, raw)).toBe(true)
  })
})
