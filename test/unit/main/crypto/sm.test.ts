import { execFileSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  derToRawSignature,
  hmacSm3,
  rawToDerSignature,
  sm2GenerateKeyPair,
  sm2MessageDigest,
  sm2Sign,
  sm2SignDigest,
  sm2Verify,
  sm2VerifyDigest,
  sm3,
} from '../../../../src/main/crypto'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('SM3 (GB/T 32905 examples)', () => {
  it('hashes "abc"', () => {
    expect(hex(sm3(Buffer.from('abc')))).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    )
  })
  it('hashes the 64-byte example', () => {
    expect(hex(sm3(Buffer.from('abcd'.repeat(16))))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    )
  })
})

describe('HMAC-SM3', () => {
  it('matches OpenSSL’s for short, block-sized and long keys', () => {
    for (const size of [0, 16, 64, 65, 200]) {
      const key = randomBytes(size)
      const data = randomBytes(100)
      expect(hex(hmacSm3(key, data)), `key of ${size} bytes`).toBe(
        createHmac('sm3', key).update(data).digest('hex'),
      )
    }
  })
})

describe('SM2 signatures', () => {
  const keys = sm2GenerateKeyPair()
  const message = Buffer.from('电子证照 1.2.156.3005.2')

  it('signs and verifies with the default signer ID, and refuses tampering', () => {
    const sig = sm2Sign(message, keys)
    expect(sig).toHaveLength(64)
    expect(sm2Verify(message, sig, keys.publicKey)).toBe(true)
    expect(sm2Verify(Buffer.from('电子证照 1.2.156.3005.3'), sig, keys.publicKey)).toBe(false)
    expect(sm2Verify(message, sig, keys.publicKey, 'another-id')).toBe(false)
    expect(sm2Verify(message, sig, sm2GenerateKeyPair().publicKey)).toBe(false)
  })

  it('a token-style digest signature verifies as a message signature', () => {
    const e = sm2MessageDigest(message, keys.publicKey)
    const sig = sm2SignDigest(e, keys.privateKey)
    expect(sm2VerifyDigest(e, sig, keys.publicKey)).toBe(true)
    expect(sm2Verify(message, sig, keys.publicKey)).toBe(true)
  })

  it('treats malformed input as not valid, never throws', () => {
    expect(sm2Verify(message, new Uint8Array(63), keys.publicKey)).toBe(false)
    expect(sm2Verify(message, new Uint8Array(64), new Uint8Array(65))).toBe(false)
    expect(sm2Verify(message, new Uint8Array(64).fill(0xff), keys.publicKey)).toBe(false)
  })

  it('agrees with OpenSSL’s SM2 (distid 1234567812345678)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm2-'))
    // An SM2 SubjectPublicKeyInfo: id-ecPublicKey with the SM2 curve OID, then the point.
    const spki = Buffer.concat([
      Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex'),
      keys.publicKey,
    ])
    writeFileSync(join(dir, 'pub.der'), spki)
    writeFileSync(join(dir, 'msg'), message)
    writeFileSync(join(dir, 'sig'), rawToDerSignature(sm2Sign(message, keys)))
    const out = execFileSync(
      'openssl',
      [
        'dgst',
        '-sm3',
        '-keyform',
        'DER',
        '-verify',
        join(dir, 'pub.der'),
        '-sigopt',
        'distid:1234567812345678',
        '-signature',
        join(dir, 'sig'),
        join(dir, 'msg'),
      ],
      { encoding: 'utf8' },
    )
    expect(out).toContain('Verified OK')
  })
})

describe('DER signatures', () => {
  it('round-trips r‖s, including leading zeros and high bits', () => {
    for (const raw of [
      new Uint8Array(64).fill(0x80),
      Uint8Array.from({ length: 64 }, (_, i) => (i < 3 ? 0 : i)),
      new Uint8Array(64).fill(1),
    ]) {
      expect(derToRawSignature(rawToDerSignature(raw))).toEqual(raw)
    }
  })
  it('rejects malformed DER', () => {
    const good = rawToDerSignature(new Uint8Array(64).fill(7))
    expect(derToRawSignature(good.subarray(0, good.length - 1))).toBeUndefined()
    expect(derToRawSignature(Uint8Array.of(0x30, 0x00))).toBeUndefined()
    expect(derToRawSignature(Uint8Array.of(0x31, ...good.subarray(1)))).toBeUndefined()
  })
})
