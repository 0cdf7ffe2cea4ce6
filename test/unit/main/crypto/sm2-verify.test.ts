import { sm2 as reference } from 'sm-crypto-v2'
import { describe, expect, it } from 'vitest'
import {
  sm2GenerateKeyPair,
  sm2MessageDigest,
  sm2Sign,
  sm2Verify,
  sm2VerifyDigest,
} from '../../../../src/main/crypto'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
/** sm-crypto-v2's own verifier: an independent implementation to agree with. */
const referenceVerify = (msg: Uint8Array, sig: Uint8Array, pub: Uint8Array) =>
  reference.doVerifySignature(msg, hex(sig), hex(pub), { hash: true })

describe('SM2 verification (@noble/curves)', () => {
  it('agrees with sm-crypto-v2 on valid, tampered and malformed signatures', () => {
    for (let i = 0; i < 12; i++) {
      const keys = sm2GenerateKeyPair()
      const msg = new TextEncoder().encode(`签章数据 ${i}`)
      const sig = sm2Sign(msg, keys)
      expect(sm2Verify(msg, sig, keys.publicKey)).toBe(true)
      expect(referenceVerify(msg, sig, keys.publicKey)).toBe(true)
      expect(sm2VerifyDigest(sm2MessageDigest(msg, keys.publicKey), sig, keys.publicKey)).toBe(true)
      const bad = sig.slice()
      bad[i % 64]! ^= 1 << (i % 8)
      expect(sm2Verify(msg, bad, keys.publicKey)).toBe(referenceVerify(msg, bad, keys.publicKey))
      expect(sm2Verify(msg, bad, keys.publicKey)).toBe(false)
      expect(sm2Verify(new Uint8Array([...msg, 0]), sig, keys.publicKey)).toBe(false)
      expect(sm2Verify(msg, sig, sm2GenerateKeyPair().publicKey)).toBe(false)
      expect(sm2Verify(msg, sig, keys.publicKey, 'another-user-id')).toBe(false)
    }
  })

  it('treats malformed keys and out-of-range values as not valid, never throws', () => {
    const keys = sm2GenerateKeyPair()
    const msg = new Uint8Array(10)
    const sig = sm2Sign(msg, keys)
    const offCurve = keys.publicKey.slice()
    offCurve[64]! ^= 1
    expect(sm2Verify(msg, sig, offCurve)).toBe(false)
    expect(sm2Verify(msg, new Uint8Array(64), keys.publicKey)).toBe(false)
    expect(sm2Verify(msg, new Uint8Array(64).fill(0xff), keys.publicKey)).toBe(false)
    expect(sm2Verify(msg, sig.subarray(0, 63), keys.publicKey)).toBe(false)
    expect(sm2Verify(msg, sig, keys.publicKey.subarray(1))).toBe(false)
  })
})
