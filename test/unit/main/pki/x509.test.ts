/**
 * X.509 parsing and signature checks against certificates OpenSSL made (SM2 with SM3 and the
 * default signer ID, ECDSA P-256, RSA), and against our own issuer, so neither side can agree
 * with itself by mistake.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  crlSignedBy,
  describeCertificate,
  formatName,
  parseCertificate,
  parseCrl,
  signedBy,
  toPem,
} from '../../../../src/main/pki'
import { sm2Ca, staffSubject } from '../../../fixtures/pki/test-pki'

const dir = join(import.meta.dirname, '../../../fixtures/pki/openssl')
const load = (name: string) => parseCertificate(readFileSync(join(dir, name)))

describe('certificates made by OpenSSL', () => {
  it.each([
    ['sm2-person.pem', 'sm2-root.pem', 'sm2'],
    ['p256-enterprise.pem', 'p256-root.pem', 'ecdsa-p256'],
    ['rsa-enterprise.pem', 'rsa-root.pem', 'rsa'],
  ])('%s parses and verifies under %s', (leafFile, rootFile, algorithm) => {
    const leaf = load(leafFile)
    const root = load(rootFile)
    expect(leaf.publicKey.algorithm).toBe(algorithm)
    expect(leaf.version).toBe(3)
    expect(signedBy(leaf, root)).toBe(true)
    expect(signedBy(root, root)).toBe(true)
    // The other roots did not sign it.
    for (const other of ['sm2-root.pem', 'p256-root.pem', 'rsa-root.pem'].filter(
      (f) => f !== rootFile,
    ))
      expect(signedBy(leaf, load(other))).toBe(false)
    expect(root.basicConstraints).toEqual({ ca: true })
    expect(leaf.keyUsage).toEqual(['digitalSignature', 'nonRepudiation'])
    expect(leaf.authorityKeyId).toBe(root.subjectKeyId)
  })

  it('reads names in UTF-8, serial numbers and dates exactly', () => {
    const leaf = load('sm2-person.pem')
    expect(formatName(leaf.subject)).toBe(
      'C=CN, O=郑州市金水区政务服务中心, CN=张建国, serialNumber=SF410105197805160032',
    )
    expect(leaf.serialNumber).toBe('5A17')
    expect(describeCertificate(leaf)).toMatchObject({
      issuer: 'C=CN, O=测试电子认证服务有限公司, CN=测试 SM2 根 CA',
      keyAlgorithm: 'sm2',
    })
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(7300 * 86_400_000)
  })

  it('verifies an OpenSSL-made SM2 CRL and lists its revoked serial', () => {
    const crl = parseCrl(readFileSync(join(dir, 'sm2-root.crl')))
    expect([...crl.revoked.keys()]).toEqual(['5A17'])
    expect(crl.crlNumber).toBe('01')
    expect(crlSignedBy(crl, load('sm2-root.pem'))).toBe(true)
    expect(crlSignedBy(crl, load('p256-root.pem'))).toBe(false)
  })

  it('a single flipped bit in the signed part breaks the signature', () => {
    const pem = readFileSync(join(dir, 'sm2-person.pem'), 'utf8')
    const leaf = parseCertificate(Buffer.from(pem))
    const der = leaf.der.slice()
    // Flip a bit inside the subject's organisation name (still well-formed DER).
    const at = Buffer.from(der).indexOf(Buffer.from('郑州'))
    der[at + 1]! ^= 0x01
    const tampered = parseCertificate(der)
    expect(signedBy(tampered, load('sm2-root.pem'))).toBe(false)
  })
})

describe('certificates from our own issuer', () => {
  it('round-trips through PEM and DER and verifies', () => {
    const ca = sm2Ca()
    const leaf = ca.issue({ subject: staffSubject('李娜', '410105198806120029') })
    const fromPem = parseCertificate(Buffer.from(toPem(leaf.der)))
    expect(fromPem.sha256).toBe(leaf.cert.sha256)
    expect(signedBy(fromPem, ca.cert)).toBe(true)
    expect(fromPem.issuer.der).toEqual(ca.cert.subject.der)
  })

  it('rejects what is not a certificate with CERT_MALFORMED', () => {
    for (const input of [
      new Uint8Array(),
      Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
      Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
      Buffer.from('not a certificate at all'),
    ])
      expect(() => parseCertificate(input)).toThrow(
        expect.objectContaining({ code: 'CERT_MALFORMED' }),
      )
  })
})
