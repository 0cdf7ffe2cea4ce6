/**
 * Garbage certificates and CRLs: random mutations of real ones (bit flips, truncations, spliced
 * bytes, length fields blown up) and pure noise. Every input must end in a certificate or a typed
 * CounterError — never another exception, a hang, or a memory blow-up — and nothing that does not
 * chain to the root may validate. Seeded, so a failure reproduces.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CounterError } from '../../../../src/shared/errors'
import {
  extractIdentity,
  parseCertificate,
  parseCrl,
  validateCertificate,
  type Certificate,
} from '../../../../src/main/pki'
import { NOW, sm2Ca, staffSubject } from '../../../fixtures/pki/test-pki'

function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 0x1_0000_0000
  }
}

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  const b = input.slice()
  const n = Math.floor(r() * 6)
  switch (n) {
    case 0: // flip a few bits
      for (let i = 0; i < 1 + r() * 4; i++)
        b[Math.floor(r() * b.length)]! ^= 1 << Math.floor(r() * 8)
      return b
    case 1: // truncate
      return b.subarray(0, Math.floor(r() * b.length))
    case 2: // overwrite a length byte with something large
      b[Math.floor(r() * Math.min(b.length, 64))] = [0x84, 0xff, 0x80, 0x7f][Math.floor(r() * 4)]!
      return b
    case 3: {
      // splice random bytes in
      const at = Math.floor(r() * b.length)
      const junk = Uint8Array.from({ length: 1 + Math.floor(r() * 16) }, () =>
        Math.floor(r() * 256),
      )
      return Uint8Array.from([...b.subarray(0, at), ...junk, ...b.subarray(at)])
    }
    case 4: {
      // duplicate a slice
      const from = Math.floor(r() * b.length)
      const len = Math.floor(r() * 40)
      return Uint8Array.from([...b, ...b.subarray(from, from + len)])
    }
    default: // noise with a plausible header
      return Uint8Array.from([
        0x30,
        0x82,
        0x01,
        0x00,
        ...Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256)),
      ])
  }
}

const fixtures = join(import.meta.dirname, '../../../fixtures/pki/openssl')
const ca = sm2Ca()
const seeds: Uint8Array[] = [
  ...['sm2-person.pem', 'p256-enterprise.pem', 'rsa-enterprise.pem', 'sm2-root.pem'].map(
    (f) => parseCertificate(readFileSync(join(fixtures, f))).der,
  ),
  ca.issue({ subject: staffSubject('张三', '410105197805160032') }).der,
]

describe('fuzzing certificate parsing and identity extraction', () => {
  it(
    'every mutated certificate parses or fails with a typed error, and none validates',
    { timeout: 60_000 },
    () => {
      const r = rng(0xc0ffee)
      const started = performance.now()
      let parsed = 0
      const outcomes = new Map<string, number>()
      for (let i = 0; i < 3000; i++) {
        const input = mutate(seeds[i % seeds.length]!, r)
        let cert: Certificate
        try {
          cert = parseCertificate(input)
          parsed++
        } catch (error) {
          expect(error).toBeInstanceOf(CounterError)
          expect((error as CounterError).code).toBe('CERT_MALFORMED')
          continue
        }
        for (const step of [
          () => extractIdentity(cert),
          () => validateCertificate(cert, { roots: [ca.cert], now: NOW }),
        ]) {
          try {
            step()
            outcomes.set('ok', (outcomes.get('ok') ?? 0) + 1)
          } catch (error) {
            if (!(error instanceof CounterError)) throw error
            outcomes.set(error.code, (outcomes.get(error.code) ?? 0) + 1)
          }
        }
        // Only the untouched issued certificate chains to the root.
        if (cert.sha256 !== parseCertificate(seeds[4]!).sha256) {
          expect(() => validateCertificate(cert, { roots: [ca.cert], now: NOW })).toThrow()
        }
      }
      // The mutations reach past the outer parse (otherwise the test would prove little).
      expect(parsed).toBeGreaterThan(300)
      expect(performance.now() - started).toBeLessThan(60_000)
    },
  )

  it('pure noise never crashes the parser', { timeout: 60_000 }, () => {
    const r = rng(42)
    for (let i = 0; i < 2000; i++) {
      const input = Uint8Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256))
      expect(() => parseCertificate(input)).toThrow(CounterError)
    }
  })

  it('mutated CRLs parse or fail with CERT_CRL_INVALID', { timeout: 60_000 }, () => {
    const r = rng(7)
    const crl = readFileSync(join(fixtures, 'sm2-root.crl'))
    const own = ca.crl([{ serial: 99n }, { serial: 100n }])
    for (let i = 0; i < 2000; i++) {
      try {
        parseCrl(mutate(i % 2 ? crl : own, r))
      } catch (error) {
        expect(error).toBeInstanceOf(CounterError)
        expect((error as CounterError).code).toBe('CERT_CRL_INVALID')
      }
    }
  })

  it('huge declared lengths and deep nesting are refused without allocating them', () => {
    const huge = Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00)
    expect(() => parseCertificate(huge)).toThrow(
      expect.objectContaining({ code: 'CERT_MALFORMED' }),
    )
    const deep = new Uint8Array(20_000)
    for (let i = 0; i < deep.length; i += 2) {
      deep[i] = 0x30
      deep[i + 1] = 0x80 // indefinite: refused at once
    }
    expect(() => parseCertificate(deep)).toThrow(
      expect.objectContaining({ code: 'CERT_MALFORMED' }),
    )
  })
})
