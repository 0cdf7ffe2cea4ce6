import { createHash } from 'node:crypto'
import { unzipSync, zipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildLicenceOfd,
  loadLicenceTemplate,
  makeSealV4,
  openOfd,
  parseSeal,
  parseSesSignature,
  signOfd,
  softwareSealSigner,
  verifyOfd,
  type SealResult,
} from '../../../../src/main/ofd'
import { sm2MessageDigest, sm2PublicKeyFromPrivate, sm3 } from '../../../../src/main/crypto'
import { der as derOf } from '../../../../src/main/ofd/seal/der'
import { signWith } from '../../../../src/main/ofd/seal/make'
import { sealV4, sesSignatureV4, tbsSignV4 } from '../../../../src/main/ofd/seal/ses'
import { OID } from '../../../../src/main/ofd/seal/x509'
import { isCounterError } from '../../../../src/shared/errors'
import { fixturePki, type FixturePki } from '../../../fixtures/ofd/pki'
import { fixture, fonts, RESOURCES } from './helpers'

const publicKeyOf = (party: { key: Uint8Array }) => sm2PublicKeyFromPrivate(party.key)

let pki: FixturePki
beforeAll(async () => {
  pki = await fixturePki()
})

const trust = () => ({ certificates: [pki.root.certificate] })
const verify = async (bytes: Uint8Array, options: Partial<Parameters<typeof verifyOfd>[1]> = {}) =>
  (await verifyOfd(await openOfd(bytes), { trust: trust(), ...options })).signatures
const only = async (bytes: Uint8Array, options = {}): Promise<SealResult> => {
  const [s, ...rest] = await verify(bytes, options)
  expect(rest).toEqual([])
  return s!
}

/** Rewrites one part of a package (its bytes recompressed correctly). */
function rewrite(
  bytes: Uint8Array,
  part: string,
  change: (data: Uint8Array) => Uint8Array,
): Uint8Array {
  const files: Record<string, Uint8Array> = unzipSync(bytes)
  files[part] = change(files[part]!)
  return zipSync(files)
}
const flipByte = (at: number) => (d: Uint8Array) => {
  const c = d.slice()
  c[at] = c[at]! ^ 0x01
  return c
}

const SIGNED_VALUE = 'Doc_0/Signs/Sign_0/SignedValue.dat'
const fixtureSignature = () =>
  parseSesSignature(unzipSync(fixture('licence-v4.ofd'))[SIGNED_VALUE]!)

/**
 * licence-v4.ofd with its signed value made again over `seal`, signed by `signer`: pairs that
 * signOfd refuses to write, which the verifier must still judge.
 */
async function resigned(seal: Uint8Array, signer: FixturePki['signer']): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = unzipSync(fixture('licence-v4.ofd'))
  const ses = parseSesSignature(files[SIGNED_VALUE]!)
  const tbs = tbsSignV4(seal, ses.timeInfo!, ses.dataHash, ses.propertyInfo)
  const { der } = await signWith(signer.signer, tbs)
  files[SIGNED_VALUE] = sesSignatureV4(tbs, signer.certificate, OID.sm2WithSm3, der)
  return zipSync(files)
}

async function sealFor(
  party: FixturePki['signer'],
  validStart = pki.notBefore,
  validEnd = pki.notAfter,
) {
  return makeSealV4(
    {
      esId: 'T1',
      vendorId: 'test',
      type: 1,
      name: '测试印章',
      signerCerts: [party.certificate],
      createDate: validStart,
      validStart,
      validEnd,
      picture: {
        type: 'PNG',
        data: fixture('business-v4-png-seal.ofd').subarray(0, 0),
        width: 40,
        height: 40,
      },
    },
    pki.maker.signer,
  )
}

async function unsigned(): Promise<{
  bytes: Uint8Array
  stamp: { page: number; boundary: [number, number, number, number] }
}> {
  const template = await loadLicenceTemplate(RESOURCES, 'generic-licence')
  const built = await buildLicenceOfd(
    {
      template,
      fields: {
        licenceName: '测试证照',
        licenceNumber: 'T-001',
        holderName: '张建国',
        holderCode: '410105197805160032',
        issuer: '郑州市民政局',
        issueDate: '2024年05月01日',
        validity: '长期',
        identifier: '1.2.156.3005.2.TEST',
      },
      creationDate: new Date('2024-05-01T00:00:00Z'),
      docId: 'seal-test',
    },
    { fonts: fonts() },
  )
  return {
    bytes: built.bytes,
    stamp: { page: 0, boundary: [...built.stamp.boundary] as [number, number, number, number] },
  }
}

describe('verifying seals (GB/T 38540 v4, GM/T 0031 v1)', { timeout: 60_000 }, () => {
  it('accepts a licence our writer signed, and says who, when and with which seal', async () => {
    const s = await only(fixture('licence-v4.ofd'))
    expect(s).toMatchObject({
      id: '1',
      type: 'Seal',
      status: 'valid',
      reason: 'ok',
      version: 4,
      signer: '郑州市市场监督管理局',
      sealName: '郑州市市场监督管理局电子印章（测试）',
      sealId: 'TEST0001',
      signedAt: '2024-05-01T01:30:00.000Z',
      stamps: [{ page: 0, boundary: [132, 190, 42, 42] }],
    })
    expect(s.certificate).toMatchObject({
      issuer: 'C=CN, O=CounterDesk 测试, CN=CounterDesk 测试根证书',
    })
  })

  it('accepts GM/T 0031 (v1) signatures and BMP seal pictures', async () => {
    const s = await only(fixture('licence-v1-bmp-seal.ofd'))
    expect(s).toMatchObject({
      status: 'valid',
      version: 1,
      sealName: '郑州市市场监督管理局电子印章（GM/T 0031）',
    })
  })

  it('reports the document altered when one byte of a content file changes', async () => {
    const signed = fixture('licence-v4.ofd')
    const page = 'Doc_0/Pages/Page_0/Content.xml'
    const text = new TextDecoder().decode(unzipSync(signed)[page])
    const at = text.indexOf('张') >= 0 ? text.indexOf('鑫') : text.indexOf('JY')
    const tampered = rewrite(signed, page, (d) => {
      const c = d.slice()
      c[new TextEncoder().encode(text.slice(0, at)).length + 2]! ^= 0x01 // the last byte of 鑫
      return c
    })
    const s = await only(tampered)
    expect(s).toMatchObject({
      status: 'document-altered',
      reason: 'reference-mismatch',
      detail: `/${page}`,
    })
    expect(s.message).toContain('文件在签章后被修改')
  })

  it('reports the document altered when a stored byte of the zip is flipped', async () => {
    const signed = fixture('licence-v4.ofd').slice()
    // Flip a byte in the middle of the (deflated) page content entry's data.
    const name = new TextEncoder().encode('Doc_0/Pages/Page_0/Content.xml')
    let at = -1
    for (let i = 0; i < signed.length - name.length; i++) {
      if (
        signed[i] === 0x50 &&
        signed[i + 1] === 0x4b &&
        signed[i + 2] === 3 &&
        signed[i + 3] === 4 &&
        name.every((b, k) => signed[i + 30 + k] === b)
      ) {
        at = i
        break
      }
    }
    expect(at).toBeGreaterThan(0)
    const dataStart = at + 30 + name.length + new DataView(signed.buffer).getUint16(at + 28, true)
    signed[dataStart + 40]! ^= 0x10
    const s = await only(signed)
    expect(s.status).toBe('document-altered')
  })

  it('reports the document altered when Signature.xml changes (dataHash), or a drawn file is unprotected', async () => {
    const signed = fixture('licence-v4.ofd')
    const sig = 'Doc_0/Signs/Sign_0/Signature.xml'
    const spaced = rewrite(signed, sig, (d) =>
      new TextEncoder().encode(
        new TextDecoder().decode(d).replace('<ofd:SignedInfo>', '<ofd:SignedInfo> '),
      ),
    )
    expect(await only(spaced)).toMatchObject({
      status: 'document-altered',
      reason: 'data-hash-mismatch',
    })
    // Drop the reference to the page: every remaining reference matches, but the page is unprotected.
    const unprotected = rewrite(signed, sig, (d) =>
      new TextEncoder().encode(
        new TextDecoder()
          .decode(d)
          .replace(
            /<ofd:Reference FileRef="\/Doc_0\/Pages\/Page_0\/Content.xml">.*?<\/ofd:Reference>/,
            '',
          ),
      ),
    )
    expect(await only(unprotected)).toMatchObject({
      status: 'document-altered',
      reason: 'unprotected-content',
      detail: '/Doc_0/Pages/Page_0/Content.xml',
    })
    const deleted = unzipSync(signed)
    delete deleted['Doc_0/Res/qr.png']
    expect(await only(zipSync(deleted))).toMatchObject({
      status: 'document-altered',
      reason: 'reference-missing',
    })
  })

  it('reports the signature invalid when the signed value is wrong or unreadable', async () => {
    const signed = fixture('licence-v4.ofd')
    const dat = 'Doc_0/Signs/Sign_0/SignedValue.dat'
    const value = unzipSync(signed)[dat]!
    // The last bytes are the SM2 signature: change one.
    expect(await only(rewrite(signed, dat, flipByte(value.length - 5)))).toMatchObject({
      status: 'signature-invalid',
      reason: 'signature-mismatch',
    })
    expect(await only(rewrite(signed, dat, () => new Uint8Array(300).fill(7)))).toMatchObject({
      status: 'signature-invalid',
      reason: 'malformed',
    })
    const gone = unzipSync(signed)
    delete gone[dat]
    expect(await only(zipSync(gone))).toMatchObject({
      status: 'signature-invalid',
      reason: 'signed-value-missing',
    })
  })

  it('reports the certificate untrusted without the root, or under another root', async () => {
    expect(await only(fixture('licence-v4.ofd'), { trust: { certificates: [] } })).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'certificate-untrusted',
    })
    const { bytes, stamp } = await unsigned()
    const signed = await signOfd(bytes, {
      signer: pki.stranger.signer,
      seal: await sealFor(pki.stranger),
      stamp,
      time: new Date('2024-05-01T00:00:00Z'),
    })
    expect(await only(signed)).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'certificate-untrusted',
      signer: '来历不明的签章人',
    })
    expect(
      await only(signed, {
        trust: { certificates: [pki.root.certificate, pki.otherRoot.certificate] },
      }),
    ).toMatchObject({ status: 'valid' })
  })

  it('checks certificates and seals at the signing time unless told otherwise', async () => {
    const { bytes, stamp } = await unsigned()
    const then = new Date('2015-06-01T00:00:00Z')
    const seal = await sealFor(
      pki.expired,
      new Date('2015-01-01T00:00:00Z'),
      new Date('2017-01-01T00:00:00Z'),
    )
    const signed = await signOfd(bytes, { signer: pki.expired.signer, seal, stamp, time: then })
    expect(await only(signed)).toMatchObject({ status: 'valid', signedAt: then.toISOString() })
    expect(await only(signed, { at: new Date('2024-01-01T00:00:00Z') })).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'seal-expired',
    })
    const longSeal = await sealFor(pki.expired, new Date('2015-01-01T00:00:00Z'), pki.notAfter)
    const signed2 = await signOfd(bytes, {
      signer: pki.expired.signer,
      seal: longSeal,
      stamp,
      time: then,
    })
    expect(await only(signed2, { at: new Date('2024-01-01T00:00:00Z') })).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'certificate-expired',
    })
  })

  it('refuses to sign with a certificate the seal does not list, or outside validity', async () => {
    const { bytes, stamp } = await unsigned()
    const seal = await sealFor(pki.signer)
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'no error',
        (e) => (isCounterError(e) ? e.code : String(e)),
      )
    expect(await code(signOfd(bytes, { signer: pki.signer2.signer, seal, stamp }))).toBe(
      'OFD_SIGNER_MISMATCH',
    )
    expect(
      await code(
        signOfd(bytes, { signer: pki.signer.signer, seal, stamp, time: new Date('2050-01-01') }),
      ),
    ).toBe('OFD_SEAL_INVALID')
    // A token that signs with the wrong key is caught before a file is written.
    const wrongKey = {
      certificate: pki.signer.certificate,
      signDigest: pki.signer2.signer.signDigest,
    }
    expect(await code(signOfd(bytes, { signer: wrongKey, seal, stamp }))).toBe('OFD_SIGNER_FAILED')
    const broken = {
      certificate: pki.signer.certificate,
      signDigest: async () => Promise.reject(new Error('PIN 错误')),
    }
    expect(await code(signOfd(bytes, { signer: broken, seal, stamp }))).toBe('OFD_SIGNER_FAILED')
    // A token that takes the message (and computes e itself) is held to the same check.
    const messages: Uint8Array[] = []
    const tokenLike = {
      certificate: pki.signer.certificate,
      signMessage: async (m: Uint8Array) => {
        messages.push(m)
        return pki.signer2.signer.signDigest(sm2MessageDigest(m, publicKeyOf(pki.signer2)))
      },
    }
    expect(await code(signOfd(bytes, { signer: tokenLike, seal, stamp }))).toBe('OFD_SIGNER_FAILED')
    expect(messages).toHaveLength(1)
  })

  it('signs through a signer that takes the message, as a CA token does', async () => {
    const { bytes, stamp } = await unsigned()
    const seal = await sealFor(pki.signer)
    const signed = await signOfd(bytes, {
      signer: {
        certificate: pki.signer.certificate,
        signMessage: async (m) =>
          pki.signer.signer.signDigest(sm2MessageDigest(m, publicKeyOf(pki.signer))),
      },
      seal,
      stamp,
    })
    const result = await verifyOfd(await openOfd(signed), {
      trust: { certificates: [pki.root.certificate] },
    })
    expect(result.allValid).toBe(true)
  })

  it('reports a signature whose signer the seal does not list', async () => {
    // Build the signed value by hand: signOfd would refuse.
    const bytes = await resigned(fixtureSignature().seal.raw, pki.signer2)
    expect(await only(bytes)).toMatchObject({
      status: 'signature-invalid',
      reason: 'signer-not-in-seal',
    })
  })

  it('reports a seal whose maker signature does not verify', async () => {
    const ses = fixtureSignature()
    const seal = parseSeal(ses.seal.raw)
    expect(seal.name).toBe(ses.seal.name)
    // Re-sign TBS_Sign over a seal whose name was changed after the maker signed it.
    const forgedSeal = ses.seal.raw.slice()
    const nameBytes = new TextEncoder().encode('（测试）')
    const idx = Buffer.from(forgedSeal).indexOf(Buffer.from(nameBytes))
    forgedSeal.set(new TextEncoder().encode('（伪造）'), idx)
    expect(await only(await resigned(forgedSeal, pki.signer))).toMatchObject({
      status: 'signature-invalid',
      reason: 'seal-signature-invalid',
    })
  })

  describe('seals that list certificate digests (certListType 2)', () => {
    const printable = (text: string) =>
      Uint8Array.of(0x13, text.length, ...new TextEncoder().encode(text))
    const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest())

    /** A v4 seal listing digests, made by the test maker; then the licence re-signed with it. */
    async function signedWithDigests(digests: [string, Uint8Array][], signer = pki.signer) {
      const info = derOf.seq(
        derOf.seq(derOf.ia5('ES'), derOf.int(4), derOf.ia5('test')),
        derOf.ia5('T-DIGEST'),
        derOf.seq(
          derOf.int(1),
          derOf.utf8('证书摘要印章'),
          derOf.int(2),
          derOf.seq(
            ...digests.map(([type, value]) => derOf.seq(printable(type), derOf.octets(value))),
          ),
          derOf.generalizedTime(pki.notBefore),
          derOf.generalizedTime(pki.notBefore),
          derOf.generalizedTime(pki.notAfter),
        ),
        derOf.seq(derOf.ia5('PNG'), derOf.octets(new Uint8Array(0)), derOf.int(40), derOf.int(40)),
      )
      const made = await signWith(pki.maker.signer, info)
      const seal = sealV4(info, pki.maker.certificate, OID.sm2WithSm3, made.der)
      return { bytes: await resigned(seal, signer), seal }
    }

    it('finds the signer by an SM3 or SHA-256 digest of its certificate', async () => {
      const cert = pki.signer.certificate
      for (const digests of [
        [['SM3', sm3(cert)]],
        [['1.2.156.10197.1.401', sm3(cert)]],
        [['SHA-256', sha256(cert)]],
        [
          ['SM3', sm3(pki.signer2.certificate)],
          ['sha256', sha256(cert)],
        ],
      ] as [string, Uint8Array][][]) {
        const { bytes } = await signedWithDigests(digests)
        expect(await only(bytes), digests[0]![0]).toMatchObject({
          status: 'valid',
          sealName: '证书摘要印章',
        })
      }
      const { bytes } = await signedWithDigests([['SM3', sm3(pki.signer2.certificate)]])
      expect(await only(bytes)).toMatchObject({
        status: 'signature-invalid',
        reason: 'signer-not-in-seal',
      })
    })

    it('does not guess an unknown digest algorithm: unsupported-digest, never a silent SM3', async () => {
      // The value IS the SM3 of the signer's certificate: reading "MD5" as SM3 would accept it.
      const { bytes, seal } = await signedWithDigests([['MD5', sm3(pki.signer.certificate)]])
      expect(await only(bytes)).toMatchObject({
        status: 'signature-invalid',
        reason: 'unsupported-digest',
        detail: '证书摘要算法 MD5',
      })
      // A digest we can compute that matches still decides, whatever else the list holds.
      const mixed = await signedWithDigests([
        ['MD5', new Uint8Array(16)],
        ['SM3', sm3(pki.signer.certificate)],
      ])
      expect((await only(mixed.bytes)).status).toBe('valid')
      // The writer refuses the seal for the same reason, rather than writing what fails later.
      const { bytes: licence, stamp } = await unsigned()
      const error = await signOfd(licence, { signer: pki.signer.signer, seal, stamp }).catch(
        (e: unknown) => e,
      )
      expect(isCounterError(error) && error.code).toBe('OFD_SEAL_INVALID')
    })
  })

  describe('several signatures: the Signatures.xml rule', () => {
    it('keeps an earlier signature valid after a later one is added', async () => {
      const [first, second] = await verify(fixture('two-signatures.ofd'))
      expect(first).toMatchObject({ id: '1', status: 'valid', signer: '郑州市市场监督管理局' })
      expect(second).toMatchObject({
        id: '2',
        status: 'valid',
        signer: '郑州市金水区政务服务中心',
        stamps: [{ page: 0, boundary: [30, 190, 38, 38] }],
      })
    })

    it('tolerates a changed Signatures.xml for every signature but the last', async () => {
      const { bytes, stamp } = await unsigned()
      const seal = await sealFor(pki.signer)
      const once = await signOfd(bytes, {
        signer: pki.signer.signer,
        seal,
        stamp,
        referenceSignatureList: true,
      })
      expect((await only(once)).status).toBe('valid')
      // The last (only) signature protects the list: editing it alters the document.
      const edited = rewrite(once, 'Doc_0/Signs/Signatures.xml', (d) =>
        new TextEncoder().encode(new TextDecoder().decode(d) + '\n'),
      )
      expect(await only(edited)).toMatchObject({
        status: 'document-altered',
        reason: 'reference-mismatch',
        detail: '/Doc_0/Signs/Signatures.xml',
      })
      // A second signing rewrites the list; the first signature's reference to it no longer matches, by design.
      const twice = await signOfd(once, {
        signer: pki.signer2.signer,
        seal: await sealFor(pki.signer2),
        stamp: { page: 0, boundary: [20, 20, 30, 30] },
      })
      const results = await verify(twice)
      expect(results.map((r) => r.status)).toEqual(['valid', 'valid'])
      // …but changing anything else the first one protects still shows.
      const files: Record<string, Uint8Array> = unzipSync(twice)
      files['Doc_0/PublicRes.xml'] = new Uint8Array([...files['Doc_0/PublicRes.xml']!, 0x20])
      expect((await verify(zipSync(files))).map((r) => r.status)).toEqual([
        'document-altered',
        'document-altered',
      ])
    })

    describe("rule 3: only later signatures' folders are exempt from protecting drawn files", () => {
      const LIST = 'Doc_0/Signs/Signatures.xml'
      const RES = 'Doc_0/DocumentRes.xml'
      const FIRST = 'Doc_0/Signs/Sign_0'
      const SECOND = 'Doc_0/Signs/Sign_1'
      const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64')

      /** Points one signature's references at exactly `protect`, and signs it again. */
      async function resign(
        files: Record<string, Uint8Array>,
        dir: string,
        party: FixturePki['signer'],
        protect: (path: string) => boolean,
      ) {
        const sigPath = `${dir}/Signature.xml`
        const valuePath = `${dir}/SignedValue.dat`
        const refs = Object.keys(files)
          .filter(protect)
          .sort()
          .map(
            (f) =>
              `<ofd:Reference FileRef="/${f}"><ofd:CheckValue>${b64(sm3(files[f]!))}</ofd:CheckValue></ofd:Reference>`,
          )
          .join('')
        const xml = new TextDecoder()
          .decode(files[sigPath])
          .replace(/(<ofd:References[^>]*>)[\s\S]*?(<\/ofd:References>)/, `$1${refs}$2`)
        files[sigPath] = new TextEncoder().encode(xml)
        const ses = parseSesSignature(files[valuePath]!)
        const tbs = tbsSignV4(ses.seal.raw, ses.timeInfo!, sm3(files[sigPath]!), ses.propertyInfo)
        // The fixture's certificate (the one its seal lists), with the party's fixed key.
        const { der } = await signWith(softwareSealSigner(party.key, ses.signerCert), tbs)
        files[valuePath] = sesSignatureV4(tbs, ses.signerCert, OID.sm2WithSm3, der)
      }

      /**
       * The two-signature licence with one more drawn image, stored at `extra` (in a signature's
       * folder); each signature protects it or not, and everything else as our writer would.
       */
      async function withExtraImage(
        extra: string,
        firstProtects: boolean,
        secondProtects: boolean,
      ) {
        const files: Record<string, Uint8Array> = unzipSync(fixture('two-signatures.ofd'))
        files[extra] = files['Doc_0/Res/qr.png']!
        files[RES] = new TextEncoder().encode(
          new TextDecoder()
            .decode(files[RES])
            .replace(
              '</ofd:MultiMedias>',
              `<ofd:MultiMedia ID="990" Type="Image" Format="PNG"><ofd:MediaFile>/${extra}</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>`,
            ),
        )
        const inside = (dir: string, f: string) => f.startsWith(`${dir}/`)
        await resign(files, FIRST, pki.signer, (f) =>
          f === extra ? firstProtects : f !== LIST && !inside(FIRST, f) && !inside(SECOND, f),
        )
        await resign(files, SECOND, pki.signer2, (f) =>
          f === extra ? secondProtects : f !== LIST && !inside(SECOND, f),
        )
        return (await verify(zipSync(files))).map(
          (r) => `${r.status}:${r.reason}:${r.detail ?? ''}`,
        )
      }

      it("exempts a file in a later signature's folder", async () => {
        expect(await withExtraImage(`${SECOND}/extra.png`, false, true)).toEqual([
          'valid:ok:',
          'valid:ok:',
        ])
      })

      it("does not exempt a file in the signature's own folder", async () => {
        expect(await withExtraImage(`${FIRST}/extra.png`, false, true)).toEqual([
          `document-altered:unprotected-content:/${FIRST}/extra.png`,
          'valid:ok:',
        ])
        expect(await withExtraImage(`${SECOND}/extra.png`, true, false)).toEqual([
          'valid:ok:',
          `document-altered:unprotected-content:/${SECOND}/extra.png`,
        ])
      })

      it("does not exempt a file in an earlier signature's folder", async () => {
        expect(await withExtraImage(`${FIRST}/extra.png`, true, false)).toEqual([
          'valid:ok:',
          `document-altered:unprotected-content:/${FIRST}/extra.png`,
        ])
      })
    })

    it('gives each signature its own result', async () => {
      const files: Record<string, Uint8Array> = unzipSync(fixture('two-signatures.ofd'))
      files['Doc_0/Signs/Sign_1/SignedValue.dat'] = new Uint8Array(64)
      expect((await verify(zipSync(files))).map((r) => `${r.id}:${r.status}`)).toEqual([
        '1:valid',
        '2:signature-invalid',
      ])
    })
  })

  it('yields no results for an unsigned document', async () => {
    expect(await verify(fixture('licence-unsigned.ofd'))).toEqual([])
  })

  describe('a Signatures.xml that OFD.xml names but cannot be read', () => {
    const LIST = 'Doc_0/Signs/Signatures.xml'

    it('reports a missing list as the document altered, not as "no signatures"', async () => {
      const files: Record<string, Uint8Array> = unzipSync(fixture('licence-v4.ofd'))
      delete files[LIST]
      const result = await verifyOfd(await openOfd(zipSync(files)), { trust: trust() })
      expect(result.allValid).toBe(false)
      expect(result.signatures).toEqual([
        expect.objectContaining({
          status: 'document-altered',
          reason: 'signature-list-missing',
          detail: `/${LIST}`,
        }),
      ])
      expect(result.signatures[0]!.message).toContain('签名列表已缺失')
    })

    it('reports a list that does not parse, or is not a signature list, as the document altered', async () => {
      const signed = fixture('licence-v4.ofd')
      const broken = [
        '<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="1"',
        '<!DOCTYPE s [<!ENTITY x "y">]><ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"/>',
        '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"/>',
      ]
      for (const text of broken) {
        const s = await only(rewrite(signed, LIST, () => new TextEncoder().encode(text)))
        expect(s, text).toMatchObject({
          status: 'document-altered',
          reason: 'signature-list-malformed',
        })
        expect(s.detail).toMatch(new RegExp(`^/${LIST}: `))
        expect(s.message).toContain('签名列表已损坏')
      }
    })

    it('gives an entry without a location its own result', async () => {
      const signed = rewrite(fixture('two-signatures.ofd'), LIST, (d) =>
        new TextEncoder().encode(
          new TextDecoder().decode(d).replace(/ BaseLoc="Sign_1\/Signature.xml"/, ''),
        ),
      )
      expect((await verify(signed)).map((r) => `${r.id}:${r.status}:${r.reason}`)).toEqual([
        '1:valid:ok',
        '2:signature-invalid:signature-file-unreadable',
      ])
    })

    it('refuses to sign over a missing or broken list', async () => {
      const files: Record<string, Uint8Array> = unzipSync(fixture('licence-v4.ofd'))
      delete files[LIST]
      const error = await signOfd(zipSync(files), {
        signer: pki.signer.signer,
        seal: await sealFor(pki.signer),
        stamp: { page: 0, boundary: [10, 10, 30, 30] },
      }).catch((e: unknown) => e)
      expect(isCounterError(error) && error.code).toBe('OFD_STRUCTURE_INVALID')
    })
  })
})
