/**
 * Passive Authentication's verdicts, CMS details (signed attributes, algorithm from the
 * SignerInfo), ICAO master lists and the CSCA trust store.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../../src/main/db'
import {
  anchorsFrom,
  Asn1,
  certificatesInFile,
  describeAlgorithm,
  CscaStore,
  der,
  OID,
  parseAlgorithm,
  parseCertificate,
  parseMasterList,
  parseSod,
  passiveAuthentication,
  verifySignature,
} from '../../../../../src/main/devices/emrtd'
import { emrtdTrainingPki } from '../../../../../src/main/training/emrtd-sim'
import {
  certificate,
  ecKeyFromSeed,
  pem,
  signedData,
} from '../../../../../src/main/training/emrtd-sim/pki'
import { image, trainingAnchors } from './helpers'

// Chip images are generated on first use (RSA keys, JPEG 2000 faces): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 })

function dataGroups(files: ReadonlyMap<string, Uint8Array>): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>()
  for (const [n, b] of files) if (/^DG\d+$/.test(n)) out.set(Number(n.slice(2)), b)
  return out
}

async function verdict(id: string, anchors = trainingAnchors()) {
  const img = await image(id)
  return passiveAuthentication(img.files.get('SOD')!, dataGroups(img.files), anchors)
}

describe('Passive Authentication verdicts', () => {
  it('genuine: hashes, ECDSA-brainpool signature and chain to the CSCA (explicit parameters) all hold', async () => {
    const r = await verdict('passport-liu')
    expect(r).toMatchObject({
      valid: true,
      verdict: 'genuine',
      signatureValid: true,
      chain: 'trusted',
      algorithm: 'ECDSA-SHA256',
      dataGroups: { '1': true, '2': true, '11': true, '12': true, '14': true, '15': true },
    })
    expect(r.csca?.subject).toContain('Training CSCA China')
    expect(r.signer?.country).toBe('CN')
  })

  it('unknown CSCA: data unaltered and signed, but the CSCA is not in the trust store', async () => {
    expect(await verdict('passport-liu', anchorsFrom([]))).toMatchObject({
      valid: false,
      verdict: 'unknown-csca',
      signatureValid: true,
      reason: 'csca-not-in-trust-store',
    })
    expect(await verdict('passport-foreign')).toMatchObject({ verdict: 'unknown-csca' })
  })

  it('altered: a data group changed after signing, named in the result', async () => {
    const r = await verdict('passport-liu-tampered')
    expect(r).toMatchObject({ valid: false, verdict: 'altered', reason: 'hash-mismatch-dg1' })
    expect(r.dataGroups['1']).toBe(false)
    expect(r.dataGroups['2']).toBe(true)
  })

  it('document signer certificate expired', async () => {
    expect(await verdict('passport-liu-expired-ds')).toMatchObject({
      verdict: 'ds-expired',
      signatureValid: true,
    })
  })

  it('a CSCA with the right name but another key does not certify the signer', async () => {
    const impostor = certificate({
      serial: 7n,
      issuer: { C: 'CN', O: 'CounterDesk Training', CN: 'Training CSCA China' },
      subject: { C: 'CN', O: 'CounterDesk Training', CN: 'Training CSCA China' },
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2045-01-01'),
      subjectKey: ecKeyFromSeed('brainpoolP256r1', 'impostor'),
      issuerKey: ecKeyFromSeed('brainpoolP256r1', 'impostor'),
      scheme: 'ecdsa',
      hash: 'sha256',
      ca: true,
    })
    expect(await verdict('passport-liu', anchorsFrom([parseCertificate(impostor)]))).toMatchObject({
      verdict: 'chain-invalid',
    })
  })

  it('signature invalid when the signed content is changed, even with matching hashes', async () => {
    const img = await image('permit-cs-wang')
    const sod = img.files.get('SOD')!.slice()
    // Flip a byte inside the signature value at the end of the SignerInfo.
    sod[sod.length - 5]! ^= 0x40
    const r = passiveAuthentication(sod, dataGroups(img.files), trainingAnchors())
    expect(r).toMatchObject({
      verdict: 'signature-invalid',
      signatureValid: false,
      reason: 'sod-signature',
    })
  })

  it('malformed security object is a verdict, not a crash', () => {
    const r = passiveAuthentication(
      Uint8Array.of(0x77, 0x03, 0x30, 0x01, 0x00),
      new Map(),
      trainingAnchors(),
    )
    expect(r).toMatchObject({ valid: false, verdict: 'malformed' })
  })

  it('RSASSA-PSS naming an unknown hash is described, not thrown (a fuzzing find)', () => {
    // Reached when the SignerInfo has no document signer certificate: the report still names
    // the algorithm, and Passive Authentication must never throw.
    const pss = Asn1.parse(
      der.seq(
        der.oid(OID.rsaPss),
        der.seq(der.explicit(0, der.seq(der.oid('2.16.840.1.101.3.36.2.1')))),
      ),
    )
    expect(describeAlgorithm(parseAlgorithm(pss))).toBe('RSASSA-PSS (unsupported parameters)')
    expect(() =>
      verifySignature(
        parseAlgorithm(pss),
        { kind: 'rsa' } as never,
        new Uint8Array(),
        new Uint8Array(),
      ),
    ).toThrow(expect.objectContaining({ code: 'EMRTD_UNSUPPORTED' }))
  })

  it('reads the LDSSecurityObject: SHA-256 hashes for every data group present', async () => {
    const img = await image('permit-cr-wong')
    const sod = parseSod(img.files.get('SOD')!)
    expect(sod.hashAlgorithm).toBe('sha256')
    expect([...sod.hashes.keys()].sort((a, b) => a - b)).toEqual([1, 2, 11, 12, 14])
    expect(sod.signedData.signerInfos[0]?.signatureAlgorithm.oid).toBe(OID.rsaEncryption)
  })
})

function masterList(certs: Uint8Array[], tamper = false) {
  const { csca } = emrtdTrainingPki()
  const signerKey = ecKeyFromSeed('brainpoolP256r1', 'master list signer')
  const signerName = { C: 'CN', O: 'CounterDesk Training', CN: 'Master List Signer' }
  const signerCert = certificate({
    serial: 0x42n,
    issuer: csca.name,
    subject: signerName,
    notBefore: new Date('2021-01-01'),
    notAfter: new Date('2031-01-01'),
    subjectKey: signerKey,
    issuerKey: csca.key,
    scheme: 'ecdsa',
    hash: 'sha256',
    ca: false,
  })
  const content = der.seq(der.int(0), der.set(...certs))
  const ml = signedData({
    contentType: OID.cscaMasterList,
    content,
    signerCertificate: signerCert,
    signerIssuer: csca.name,
    signerSerial: 0x42n,
    signerKey,
    scheme: 'ecdsa',
    hash: 'sha256',
    signingTime: new Date('2025-01-01'),
  })
  if (tamper) {
    const i = Buffer.from(ml).indexOf(Buffer.from(certs[0]!.subarray(40, 60)))
    ml[i]! ^= 1
  }
  return ml
}

describe('ICAO master lists and the CSCA trust store', () => {
  it('parses a master list whose signer is certified by a CSCA in the list, and refuses a changed one', () => {
    const { csca, foreignCsca } = emrtdTrainingPki()
    const ml = masterList([csca.certificate, foreignCsca.certificate])
    const parsed = parseMasterList(ml)
    expect(parsed.certificates.map((c) => c.subject.country).sort()).toEqual(['CN', 'UT'])
    expect(() =>
      parseMasterList(masterList([csca.certificate, foreignCsca.certificate], true)),
    ).toThrow(expect.objectContaining({ code: 'EMRTD_MASTER_LIST_INVALID' }))
    // A list that does not include the CSCA of its own signer proves nothing.
    expect(() => parseMasterList(masterList([foreignCsca.certificate]))).toThrow(
      expect.objectContaining({ code: 'EMRTD_MASTER_LIST_INVALID' }),
    )
  })

  it('imports master lists and PEM files into SQLite, skips duplicates, and serves as trust anchors', async () => {
    const { csca, foreignCsca } = emrtdTrainingPki()
    const db = openDatabase({ file: join(mkdtempSync(join(tmpdir(), 'csca-')), 'c.db') })
    try {
      const store = new CscaStore(db)
      expect(store.importFile(masterList([csca.certificate]), 'ICAO_ml.ml')).toEqual({
        imported: 1,
        skipped: 0,
      })
      const pemText = new TextEncoder().encode(pem(csca.certificate) + pem(foreignCsca.certificate))
      expect(certificatesInFile(pemText)).toHaveLength(2)
      expect(store.importFile(pemText, 'csca.pem')).toEqual({ imported: 1, skipped: 1 })
      expect(store.list().map((e) => e.country)).toEqual(['CN', 'UT'])
      const img = await image('passport-foreign')
      const r = passiveAuthentication(img.files.get('SOD')!, dataGroups(img.files), store)
      expect(r.verdict).toBe('genuine')
      expect(store.remove(store.list()[1]!.fingerprint)).toBe(true)
      expect(
        passiveAuthentication(img.files.get('SOD')!, dataGroups(img.files), store).verdict,
      ).toBe('unknown-csca')
      expect(() => store.importFile(new TextEncoder().encode('not a certificate'), 'x')).toThrow(
        expect.objectContaining({ code: 'EMRTD_CERT_INVALID' }),
      )
    } finally {
      db.close()
    }
  })
})
