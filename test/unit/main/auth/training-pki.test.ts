/**
 * The training CA's certificates are the same on every start: its SM2 signatures take their
 * nonce from the key and the message (RFC 6979 with HMAC-SM3), so the root, the simulated keys'
 * certificates and their fingerprints do not change between runs or processes — and every
 * signature still verifies as SM2.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  sm2GenerateKeyPair,
  sm2MessageDigest,
  sm2Verify,
  sm2VerifyDigest,
} from '../../../../src/main/crypto'
import { parseCertificate, parseCrl, signedBy } from '../../../../src/main/pki'
import {
  buildTrainingPki,
  deterministicSm2Sign,
  rfc6979Nonces,
  trainingPki,
} from '../../../../src/main/training/cakey-sim'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('deterministic SM2', () => {
  const keys = sm2GenerateKeyPair()
  const message = new TextEncoder().encode('CounterDesk 培训根 CA')

  it('the same key and message give the same signature, and it verifies', () => {
    const a = deterministicSm2Sign(message, keys.privateKey, keys.publicKey)
    const b = deterministicSm2Sign(message, keys.privateKey)
    expect(hex(a)).toBe(hex(b))
    expect(sm2Verify(message, a, keys.publicKey)).toBe(true)
    expect(sm2Verify(Uint8Array.of(1), a, keys.publicKey)).toBe(false)
  })

  it('another message or another key gives another nonce (r differs)', () => {
    const r = (sig: Uint8Array) => hex(sig.subarray(0, 32))
    const other = sm2GenerateKeyPair()
    const base = deterministicSm2Sign(message, keys.privateKey)
    expect(r(deterministicSm2Sign(Uint8Array.of(1), keys.privateKey))).not.toBe(r(base))
    expect(r(deterministicSm2Sign(message, other.privateKey))).not.toBe(r(base))
    for (let i = 0; i < 20; i++) {
      const m = randomBytes(40)
      const sig = deterministicSm2Sign(m, keys.privateKey)
      expect(sm2VerifyDigest(sm2MessageDigest(m, keys.publicKey), sig, keys.publicKey)).toBe(true)
    }
  })

  it('the nonce generator yields distinct values in range, repeatably', () => {
    const digest = randomBytes(32)
    const take = () => {
      const out: bigint[] = []
      for (const k of rfc6979Nonces(keys.privateKey, digest)) {
        out.push(k)
        if (out.length === 3) break
      }
      return out
    }
    const first = take()
    expect(take()).toEqual(first)
    expect(new Set(first).size).toBe(3)
    for (const k of first) expect(k > 0n && k < 2n ** 256n).toBe(true)
  })
})

describe('the training PKI', () => {
  it('is byte for byte the same when built again', () => {
    const a = buildTrainingPki()
    const b = buildTrainingPki()
    expect(hex(b.root)).toBe(hex(a.root))
    expect(b.keys.map((k) => hex(k.certificate))).toEqual(a.keys.map((k) => hex(k.certificate)))
    const now = new Date('2027-01-05T03:00:00Z')
    expect(hex(b.crl(now))).toBe(hex(a.crl(now)))
  })

  it('has the same fingerprints in another process', () => {
    const fingerprints = (pki: ReturnType<typeof trainingPki>) =>
      [pki.root, ...pki.keys.map((k) => k.certificate)].map((c) => parseCertificate(c).sha256)
    const module = join(import.meta.dirname, '../../../../src/main/training/cakey-sim/index.ts')
    const script = `
      const { trainingPki } = await import(${JSON.stringify(module)})
      const { parseCertificate } = await import(${JSON.stringify(join(import.meta.dirname, '../../../../src/main/pki/index.ts'))})
      const pki = trainingPki()
      console.log(JSON.stringify([pki.root, ...pki.keys.map((k) => k.certificate)].map((c) => parseCertificate(c).sha256)))`
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    )
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(fingerprints(trainingPki()))
  })

  it('every certificate and the CRL are signed by the training root', () => {
    const pki = trainingPki()
    const root = parseCertificate(pki.root)
    expect(signedBy(root, root)).toBe(true)
    for (const k of pki.keys)
      expect(signedBy(parseCertificate(k.certificate), root), k.id).toBe(true)
    expect(parseCrl(pki.crl()).revoked.size).toBe(1)
  })
})
