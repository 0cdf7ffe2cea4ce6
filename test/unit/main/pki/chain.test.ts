/**
 * Validity, chains to configured roots, and revocation against offline CRLs: each failure has its
 * own code, and the trust store keeps only CRLs a trusted CA signed, newest first, across restarts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/main/db'
import { sm2GenerateKeyPair, type Sm2KeyPair } from '../../../../src/main/crypto'
import {
  issueCertificate,
  issueCrl,
  parseCertificate,
  sm2Signer,
  sm2Spki,
  toPem,
  TrustStore,
  validateCertificate,
  type CertificateSpec,
  type NameSpecEntry,
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

describe('key usage and path length', () => {
  const nameOf = (cn: string): NameSpecEntry[] => [
    ['C', 'CN'],
    ['O', '测试电子认证服务有限公司'],
    ['CN', cn],
  ]
  const valid = {
    notBefore: new Date(NOW.getTime() - 30 * day),
    notAfter: new Date(NOW.getTime() + 30 * day),
  }
  let serial = 0x5000n
  /** A certificate for `subject` with its own key, signed by `by` (or itself). */
  const make = (
    cn: string,
    by: { cn: string; keys: Sm2KeyPair } | undefined,
    extra: Partial<CertificateSpec> = {},
  ) => {
    const keys = sm2GenerateKeyPair()
    const der = issueCertificate(
      {
        serial: serial++,
        issuer: nameOf(by?.cn ?? cn),
        subject: cn.startsWith('人') ? staffSubject(cn, '410105198806120029') : nameOf(cn),
        spki: sm2Spki(keys.publicKey),
        ...valid,
        ...extra,
      },
      sm2Signer((by ?? { keys }).keys.privateKey),
    )
    return { cn, keys, cert: parseCertificate(der) }
  }

  it('a CA’s pathLenConstraint limits the intermediate CAs below it', () => {
    const strictRoot = make('路径限制根 CA', undefined, { ca: true, pathLength: 0 })
    const mid = make('二级 CA', strictRoot, { ca: true })
    const direct = make('人甲', strictRoot)
    const below = make('人乙', mid)
    // The root allows no intermediate CA: a leaf it issued directly is fine…
    expect(
      validateCertificate(direct.cert, { roots: [strictRoot.cert], now: NOW }).chain,
    ).toHaveLength(2)
    // …one under an intermediate is not.
    expect(
      code(() =>
        validateCertificate(below.cert, {
          roots: [strictRoot.cert],
          intermediates: [mid.cert],
          now: NOW,
        }),
      ),
    ).toBe('CERT_PATH_TOO_LONG')

    // pathLen 1 at the root allows one intermediate, and that one's pathLen 0 allows no more.
    const root1 = make('一级限制根 CA', undefined, { ca: true, pathLength: 1 })
    const a = make('甲 CA', root1, { ca: true, pathLength: 0 })
    const b = make('乙 CA', a, { ca: true })
    const underA = make('人丙', a)
    const underB = make('人丁', b)
    expect(
      validateCertificate(underA.cert, { roots: [root1.cert], intermediates: [a.cert], now: NOW })
        .chain,
    ).toHaveLength(3)
    expect(
      code(() =>
        validateCertificate(underB.cert, {
          roots: [root1.cert],
          intermediates: [a.cert, b.cert],
          now: NOW,
        }),
      ),
    ).toBe('CERT_PATH_TOO_LONG')
  })

  it('a CA whose key usage lacks keyCertSign issues nothing', () => {
    const r = make('用途根 CA', undefined, { ca: true })
    const noCertSign = make('仅签 CRL 的 CA', r, { ca: true, keyUsage: ['cRLSign'] })
    const l = make('人戊', noCertSign)
    expect(
      code(() =>
        validateCertificate(l.cert, {
          roots: [r.cert],
          intermediates: [noCertSign.cert],
          now: NOW,
        }),
      ),
    ).toBe('CERT_NOT_CA')
  })

  it('an encryption certificate is not a signing certificate', () => {
    const r = make('加密根 CA', undefined, { ca: true })
    const encryption = make('人己', r, { keyUsage: ['keyEncipherment'] })
    const signing = make('人庚', r, { keyUsage: ['nonRepudiation'] })
    expect(code(() => validateCertificate(encryption.cert, { roots: [r.cert], now: NOW }))).toBe(
      'CERT_KEY_USAGE',
    )
    expect(validateCertificate(signing.cert, { roots: [r.cert], now: NOW }).chain).toHaveLength(2)
    // A trust anchor checked on its own is not refused for being a CA.
    expect(validateCertificate(r.cert, { roots: [r.cert], now: NOW }).chain).toHaveLength(1)
  })

  it('a CRL signed by a CA whose key usage lacks cRLSign is not imported', () => {
    const r = make('无 CRL 用途根 CA', undefined, { ca: true, keyUsage: ['keyCertSign'] })
    const crl = issueCrl(
      {
        issuer: r.cert.subject.der,
        thisUpdate: new Date(NOW.getTime() - day),
        nextUpdate: new Date(NOW.getTime() + day),
        revoked: [],
        crlNumber: 1n,
      },
      sm2Signer(r.keys.privateKey),
    )
    expect(code(() => new TrustStore({ roots: [r.cert] }).importCrl(crl, 'x'))).toBe(
      'CERT_CRL_INVALID',
    )
    // The same CRL from a CA allowed to sign CRLs is taken.
    const ok = make('有 CRL 用途根 CA', undefined, { ca: true })
    const good = issueCrl(
      {
        issuer: ok.cert.subject.der,
        thisUpdate: new Date(NOW.getTime() - day),
        nextUpdate: new Date(NOW.getTime() + day),
        revoked: [],
        crlNumber: 1n,
      },
      sm2Signer(ok.keys.privateKey),
    )
    expect(new TrustStore({ roots: [ok.cert] }).importCrl(good, 'x').outcome).toBe('replaced')
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
