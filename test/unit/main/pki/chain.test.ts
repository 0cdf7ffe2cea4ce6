/**
 * Validity, chains to configured roots, and revocation against offline CRLs: each failure has its
 * own code, and the trust store keeps only CRLs a trusted CA signed, newest first, across restarts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/main/db'
import {
  issueCertificate,
  parseCertificate,
  sm2Signer,
  toPem,
  TrustStore,
  validateCertificate,
} from '../../../../src/main/pki'
import {
  day,
  intermediateCa,
  NOW,
  p256Ca,
  sm2Ca,
  staffSubject,
} from '../../../fixtures/pki/test-pki'

const root = sm2Ca()
const sub = intermediateCa(root)
const otherRoot = sm2Ca('另一个 CA')
const leaf = sub.issue({ subject: staffSubject('李娜', '410105198806120029') })

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as { code?: string }).code
  }
  return 'no error'
}

describe('chains', () => {
  it('builds leaf → intermediate → root and checks each signature', () => {
    const result = validateCertificate(leaf.cert, {
      roots: [root.cert],
      intermediates: [sub.cert],
      now: NOW,
    })
    expect(result.chain.map((c) => c.sha256)).toEqual([
      leaf.cert.sha256,
      sub.cert.sha256,
      root.cert.sha256,
    ])
    expect(result.revocation).toBe('unchecked')
  })

  it('works with ECDSA P-256 CAs too', () => {
    const ecc = p256Ca()
    const l = ecc.issue({ subject: staffSubject('王磊', '410102199001204511') })
    expect(validateCertificate(l.cert, { roots: [ecc.cert], now: NOW }).chain).toHaveLength(2)
  })

  it('names each failure', () => {
    expect(code(() => validateCertificate(leaf.cert, { roots: [root.cert], now: NOW }))).toBe(
      'CERT_UNKNOWN_ISSUER',
    )
    expect(
      code(() =>
        validateCertificate(leaf.cert, {
          roots: [otherRoot.cert],
          intermediates: [sub.cert],
          now: NOW,
        }),
      ),
    ).toBe('CERT_UNKNOWN_ISSUER')
    const expired = root.issue({
      subject: staffSubject('过期', '410105198806120029'),
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2025-01-01'),
    })
    expect(code(() => validateCertificate(expired.cert, { roots: [root.cert], now: NOW }))).toBe(
      'CERT_EXPIRED',
    )
    const future = root.issue({
      subject: staffSubject('未生效', '410105198806120029'),
      notBefore: new Date(NOW.getTime() + 10 * day),
    })
    expect(code(() => validateCertificate(future.cert, { roots: [root.cert], now: NOW }))).toBe(
      'CERT_NOT_YET_VALID',
    )
    // A genuine certificate whose signature was altered.
    const tampered = leaf.der.slice()
    tampered[tampered.length - 1]! ^= 0x01
    expect(
      code(() =>
        validateCertificate(parseCertificate(tampered), {
          roots: [root.cert],
          intermediates: [sub.cert],
          now: NOW,
        }),
      ),
    ).toBe('CERT_BAD_SIGNATURE')
    // A certificate issued by an end-entity key (not a CA).
    const endEntity = root.issue({
      subject: [
        ['C', 'CN'],
        ['CN', '普通证书'],
      ],
    })
    const child = issueCertificate(
      {
        serial: 9n,
        issuer: endEntity.cert.subject.der,
        subject: staffSubject('下级', '410105198806120029'),
        notBefore: new Date(NOW.getTime() - day),
        notAfter: new Date(NOW.getTime() + day),
        spki: leaf.cert.publicKey.spki,
      },
      sm2Signer(endEntity.sm2!.privateKey),
    )
    expect(
      code(() =>
        validateCertificate(parseCertificate(child), {
          roots: [root.cert],
          intermediates: [endEntity.cert],
          now: NOW,
        }),
      ),
    ).toBe('CERT_NOT_CA')
  })
})

describe('revocation', () => {
  const store = () => new TrustStore({ roots: [root.cert], intermediates: [sub.cert] })

  it('a revoked certificate is refused with its date; others pass as good', () => {
    const t = store()
    const revoked = sub.issue({ subject: staffSubject('吊销', '410105198806120029') })
    t.importCrl(
      sub.crl([{ serial: revoked.serial, date: new Date('2027-02-01T00:00:00Z') }]),
      'test',
    )
    t.importCrl(root.crl([]), 'test')
    expect(code(() => t.validate(revoked.cert, NOW))).toBe('CERT_REVOKED')
    expect(t.validate(leaf.cert, NOW).revocation).toBe('good')
  })

  it('a CRL past its next update is still used offline (stale), then refused after the grace', () => {
    const t = new TrustStore({
      roots: [root.cert],
      intermediates: [sub.cert],
      policy: { requireCrl: true, staleGraceDays: 10 },
    })
    expect(code(() => t.validate(leaf.cert, NOW))).toBe('CERT_CRL_MISSING')
    t.importCrl(
      sub.crl([], {
        thisUpdate: new Date(NOW.getTime() - 20 * day),
        nextUpdate: new Date(NOW.getTime() - 5 * day),
      }),
      'x',
    )
    t.importCrl(root.crl([]), 'x')
    expect(t.validate(leaf.cert, NOW).revocation).toBe('stale')
    expect(code(() => t.validate(leaf.cert, new Date(NOW.getTime() + 10 * day)))).toBe(
      'CERT_CRL_STALE',
    )
  })

  it('refuses CRLs no trusted CA signed, and never replaces a newer CRL with an older one', () => {
    const t = store()
    expect(code(() => t.importCrl(otherRoot.crl([]), 'x'))).toBe('CERT_CRL_INVALID')
    const newer = sub.crl([{ serial: 5n }], {
      thisUpdate: new Date(NOW.getTime() - day),
      crlNumber: 2n,
    })
    const older = sub.crl([], { thisUpdate: new Date(NOW.getTime() - 3 * day), crlNumber: 1n })
    expect(t.importCrl(newer, 'a').outcome).toBe('replaced')
    expect(t.importCrl(older, 'b').outcome).toBe('kept')
    expect(t.crlFor(sub.cert)?.revoked.has('05')).toBe(true)
  })

  it('imports a folder of CRL files, skipping bad ones, and remembers them across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crl-'))
    writeFileSync(join(dir, 'sub.crl'), sub.crl([{ serial: leaf.serial }]))
    writeFileSync(join(dir, 'root.pem'), toPem(root.crl([]), 'X509 CRL'))
    writeFileSync(join(dir, 'garbage.crl'), 'not a crl')
    writeFileSync(join(dir, 'untrusted.crl'), otherRoot.crl([]))
    const db = openDatabase({ file: join(dir, 'db.sqlite') })
    try {
      const t = new TrustStore({ roots: [root.cert], intermediates: [sub.cert], db })
      const result = t.importCrlFolder(dir)
      expect(result.imported).toHaveLength(2)
      expect(result.failed.map((f) => [f.file, f.code]).sort()).toEqual([
        ['garbage.crl', 'CERT_CRL_INVALID'],
        ['untrusted.crl', 'CERT_CRL_INVALID'],
      ])
      const again = new TrustStore({ roots: [root.cert], intermediates: [sub.cert], db })
      expect(code(() => again.validate(leaf.cert, NOW))).toBe('CERT_REVOKED')
    } finally {
      db.close()
    }
  })
})
