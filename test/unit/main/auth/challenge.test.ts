/**
 * The sign-in challenge: fresh every time, bound to the terminal and the time, and verified with
 * the certificate's key by pure-JS SM2 (and node:crypto for ECDSA/RSA) — never accepted when the
 * bytes, the key or the time are wrong.
 */
import { describe, expect, it } from 'vitest'
import { createChallenge, verifyChallenge } from '../../../../src/main/auth'
import { rawToDerSignature, sm2Sign, softwareSign } from '../../../../src/main/crypto'
import { NOW, p256Ca, sm2Ca, staffSubject } from '../../../fixtures/pki/test-pki'

const ca = sm2Ca()
const leaf = ca.issue({ subject: staffSubject('李娜', '410105198806120029') })
const other = ca.issue({ subject: staffSubject('王磊', '410102199001204511') })

const code = (fn: () => void) => {
  try {
    fn()
    return 'ok'
  } catch (e) {
    return (e as { code: string }).code
  }
}

describe('challenge', () => {
  it('holds a fresh 256-bit nonce, the time and the terminal', () => {
    const a = createChallenge('ZZ-JS-03', NOW)
    const b = createChallenge('ZZ-JS-03', NOW)
    expect(a.nonce).toMatch(/^[0-9a-f]{64}$/)
    expect(a.nonce).not.toBe(b.nonce)
    expect(new TextDecoder().decode(a.bytes)).toBe(
      `CounterDesk staff sign-in\nterminal=ZZ-JS-03\ntime=${NOW.toISOString()}\nnonce=${a.nonce}\n`,
    )
  })

  it('verifies an SM2 signature (SM3, default ID) and nothing else', () => {
    const c = createChallenge('T1', NOW)
    const sig = rawToDerSignature(sm2Sign(c.bytes, leaf.sm2!))
    expect(code(() => verifyChallenge(c, sig, leaf.cert, { now: NOW }))).toBe('ok')
    // Another person's certificate, another challenge, a stale one: refused.
    expect(code(() => verifyChallenge(c, sig, other.cert, { now: NOW }))).toBe(
      'AUTH_CHALLENGE_FAILED',
    )
    expect(
      code(() => verifyChallenge(createChallenge('T1', NOW), sig, leaf.cert, { now: NOW })),
    ).toBe('AUTH_CHALLENGE_FAILED')
    expect(
      code(() => verifyChallenge(c, sig, leaf.cert, { now: new Date(NOW.getTime() + 600_000) })),
    ).toBe('AUTH_CHALLENGE_FAILED')
    // A signature with a different signer ID is not an SM2 signature with the default ID.
    const wrongId = rawToDerSignature(sm2Sign(c.bytes, leaf.sm2!, 'ALICE123@YAHOO.COM'))
    expect(code(() => verifyChallenge(c, wrongId, leaf.cert, { now: NOW }))).toBe(
      'AUTH_CHALLENGE_FAILED',
    )
  })

  it('verifies ECDSA P-256 keys too', () => {
    const ecc = p256Ca()
    const l = ecc.issue({ subject: staffSubject('李娜', '410105198806120029'), key: 'p256' })
    const c = createChallenge('T1', NOW)
    expect(
      code(() =>
        verifyChallenge(c, softwareSign(l.software!, 'sha256', c.bytes), l.cert, { now: NOW }),
      ),
    ).toBe('ok')
    expect(code(() => verifyChallenge(c, Uint8Array.of(0x30, 0), l.cert, { now: NOW }))).toBe(
      'AUTH_CHALLENGE_FAILED',
    )
  })
})
