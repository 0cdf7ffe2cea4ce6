import {
  createSign,
  constants,
  createHash,
  generateKeyPairSync,
  privateEncrypt,
  sign,
  verify,
} from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  bytesToBigInt,
  pkcs1DigestInfo,
  rsaGenerateKey,
  rsaPrivateOp,
  rsaPublicOp,
  rsaSignPkcs1v15,
  rsaSignPss,
  rsaVerifyPkcs1v15,
  rsaVerifyPss,
  type RsaPublicKey,
} from '../../../../src/main/crypto'

function nodeKey(bits: number) {
  const pair = generateKeyPairSync('rsa', { modulusLength: bits })
  const jwk = pair.publicKey.export({ format: 'jwk' })
  const pub: RsaPublicKey = {
    n: bytesToBigInt(Buffer.from(jwk.n!, 'base64url')),
    e: bytesToBigInt(Buffer.from(jwk.e!, 'base64url')),
  }
  return { ...pair, pub }
}

describe('RSA PKCS#1 v1.5', () => {
  it('verifies node:crypto signatures and refuses a changed digest', () => {
    const { privateKey, pub } = nodeKey(2048)
    const msg = Buffer.from('SOD signed attributes')
    const sig = createSign('sha256').update(msg).sign(privateKey)
    const h = createHash('sha256').update(msg).digest()
    expect(rsaVerifyPkcs1v15(pub, 'sha256', h, sig)).toBe(true)
    h[3]! ^= 1
    expect(rsaVerifyPkcs1v15(pub, 'sha256', h, sig)).toBe(false)
    expect(rsaVerifyPkcs1v15(pub, 'sha256', h, sig.subarray(1))).toBe(false)
  })

  it('a token signing pkcs1DigestInfo raw (CKM_RSA_PKCS) makes a SHA-256 signature', () => {
    const { privateKey, publicKey } = nodeKey(2048)
    const msg = Buffer.from('CounterDesk staff sign-in')
    const info = pkcs1DigestInfo('sha256', createHash('sha256').update(msg).digest())
    const sig = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, info)
    expect(verify('sha256', msg, publicKey, sig)).toBe(true)
    expect(verify('sha256', Buffer.from('other'), publicKey, sig)).toBe(false)
  })

  it('signs what node:crypto verifies', () => {
    const key = rsaGenerateKey(1024)
    const h = createHash('sha1').update('x').digest()
    const sig = rsaSignPkcs1v15(key, 'sha1', h)
    expect(rsaVerifyPkcs1v15(key, 'sha1', h, sig)).toBe(true)
    expect(rsaPublicOp(key, rsaPrivateOp(key, h))!.subarray(-20)).toEqual(new Uint8Array(h))
  })
})

describe('RSASSA-PSS', () => {
  it.each([
    ['sha256', 32],
    ['sha512', 64],
    ['sha256', 20],
  ] as const)('verifies node:crypto PSS with %s, salt %i', (hash, saltLength) => {
    const { privateKey, pub } = nodeKey(2048)
    const msg = Buffer.from('LDSSecurityObject')
    const sig = sign(hash, msg, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength,
    })
    const h = createHash(hash).update(msg).digest()
    expect(rsaVerifyPss(pub, h, sig, { hash, mgfHash: hash, saltLength })).toBe(true)
    expect(rsaVerifyPss(pub, h, sig, { hash, mgfHash: hash, saltLength: saltLength + 1 })).toBe(
      false,
    )
  })

  it('round-trips its own signatures, also with an odd modulus size', () => {
    const key = rsaGenerateKey(1025)
    const h = createHash('sha256').update('y').digest()
    const params = { hash: 'sha256', mgfHash: 'sha1', saltLength: 20 } as const
    const sig = rsaSignPss(key, h, params)
    expect(rsaVerifyPss(key, h, sig, params)).toBe(true)
    h[0]! ^= 0x80
    expect(rsaVerifyPss(key, h, sig, params)).toBe(false)
  })
})
