/**
 * GM/T 0031 (v1) seal signatures, positive and negative. The signed values are built by
 * test/fixtures/ofd/gmt0031.ts straight from the standard's structures (asn1js, sm-crypto-v2),
 * not by our v1 writer, so the reader is checked against the standard rather than against itself.
 */
import { unzipSync, zipSync } from 'fflate'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { openOfd, parseSesSignature, verifyOfd, type SealResult } from '../../../../src/main/ofd'
import {
  gmt0031Seal,
  gmt0031Shape,
  gmt0031Signature,
  sm3V1,
  withBrokenMakerSignature,
  withSignature,
  type V1Party,
  type V1SealSpec,
  type V1TimeInfo,
} from '../../../fixtures/ofd/gmt0031'
import { fixturePki, type FixturePki } from '../../../fixtures/ofd/pki'
import { fixture } from './helpers'

const SIGNATURE_XML = 'Doc_0/Signs/Sign_0/Signature.xml'
const SIGNED_VALUE = 'Doc_0/Signs/Sign_0/SignedValue.dat'
const PAGE = 'Doc_0/Pages/Page_0/Content.xml'
/** Signature.xml of the base package says 2024-05-01T01:30:00Z; the v1 values say the same. */
const SIGNED_AT = new Date('2024-05-01T01:30:00Z')

let pki: FixturePki
/** The signed licence's package: its Signature.xml (references, dataHash) is reused as it is. */
let base: Record<string, Uint8Array>
beforeAll(async () => {
  pki = await fixturePki()
  base = unzipSync(fixture('licence-v4.ofd'))
})

function stampPng(): Uint8Array {
  const png = new PNG({ width: 8, height: 8 })
  for (let i = 0; i < 64; i++) png.data.set([214, 30, 30, 255], i * 4)
  return new Uint8Array(PNG.sync.write(png))
}

function seal(overrides: Partial<V1SealSpec> = {}) {
  return gmt0031Seal({
    esId: 'GMT0031-TEST',
    name: '郑州市市场监督管理局电子印章（独立构造）',
    signerCerts: [pki.signer.certificate],
    createDate: pki.notBefore,
    validStart: pki.notBefore,
    validEnd: pki.notAfter,
    picture: { type: 'PNG', data: stampPng(), width: 40, height: 40 },
    maker: pki.maker,
    ...overrides,
  })
}

interface Sign {
  readonly sealDer?: Uint8Array
  readonly signer?: V1Party
  readonly time?: V1TimeInfo
  readonly form?: 'der' | 'raw'
}

function signedValue(o: Sign = {}) {
  return gmt0031Signature({
    seal: o.sealDer ?? seal().der,
    time: o.time ?? { text: '2024-05-01 09:30:00' },
    dataHash: sm3V1(base[SIGNATURE_XML]!),
    propertyInfo: `/${SIGNATURE_XML}`,
    signer: o.signer ?? pki.signer,
    signatureForm: o.form ?? 'der',
  })
}

function pack(value: Uint8Array, changes: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({ ...base, [SIGNED_VALUE]: value, ...changes })
}

async function only(bytes: Uint8Array, certificates = [pki.root.certificate]): Promise<SealResult> {
  const { signatures } = await verifyOfd(await openOfd(bytes), { trust: { certificates } })
  expect(signatures).toHaveLength(1)
  return signatures[0]!
}

describe('GM/T 0031 (v1) seal signatures built from the standard', { timeout: 60_000 }, () => {
  it('accepts a well-formed v1 signature: text timeInfo in Beijing time, DER signature values', async () => {
    expect(await only(pack(signedValue().der))).toMatchObject({
      status: 'valid',
      reason: 'ok',
      version: 1,
      signer: '郑州市市场监督管理局',
      sealName: '郑州市市场监督管理局电子印章（独立构造）',
      sealId: 'GMT0031-TEST',
      signedAt: SIGNED_AT.toISOString(),
    })
  })

  it('reads timeInfo as text and as a DER time, each to the same instant', async () => {
    const forms: V1TimeInfo[] = [
      { text: '2024-05-01 09:30:00' },
      { text: '2024-05-01T09:30:00' },
      { text: '2024-05-01T01:30:00Z' },
      { text: '2024-05-01 09:30:00+08:00' },
      { text: '20240501013000Z' },
      { text: '240501013000Z' },
      { utcTime: SIGNED_AT },
      { generalizedTime: SIGNED_AT },
    ]
    for (const time of forms) {
      const parsed = parseSesSignature(signedValue({ time }).der)
      expect(parsed.timeInfo?.toISOString(), JSON.stringify(time)).toBe(SIGNED_AT.toISOString())
      expect(await only(pack(signedValue({ time }).der))).toMatchObject({
        status: 'valid',
        signedAt: SIGNED_AT.toISOString(),
      })
    }
  })

  it("falls back to Signature.xml's SignatureDateTime when timeInfo is not a time", async () => {
    const parsed = parseSesSignature(signedValue({ time: { text: 'not a time' } }).der)
    expect(parsed.timeInfo).toBeUndefined()
    expect(await only(pack(signedValue({ time: { text: 'not a time' } }).der))).toMatchObject({
      status: 'valid',
      signedAt: SIGNED_AT.toISOString(),
      validityAt: SIGNED_AT.toISOString(),
      timeSource: 'signer-asserted',
    })
  })

  it('accepts a raw r‖s signature value and a maker that signed the seal information alone', async () => {
    const narrow = seal({ makerSigns: 'info' })
    expect(await only(pack(signedValue({ sealDer: narrow.der, form: 'raw' }).der))).toMatchObject({
      status: 'valid',
    })
  })

  it('reports the document altered when a content file changes after signing', async () => {
    const page = base[PAGE]!.slice()
    page[page.length - 20]! ^= 0x01
    expect(await only(pack(signedValue().der, { [PAGE]: page }))).toMatchObject({
      status: 'document-altered',
      reason: 'reference-mismatch',
      detail: `/${PAGE}`,
    })
    // Signature.xml itself (what dataHash covers): a space is enough.
    const xml = new TextDecoder().decode(base[SIGNATURE_XML])
    const spaced = new TextEncoder().encode(xml.replace('<ofd:SignedInfo>', '<ofd:SignedInfo> '))
    expect(await only(pack(signedValue().der, { [SIGNATURE_XML]: spaced }))).toMatchObject({
      status: 'document-altered',
      reason: 'data-hash-mismatch',
    })
  })

  it('reports the signature invalid when its bytes change, in either encoding', async () => {
    for (const form of ['der', 'raw'] as const) {
      const signed = signedValue({ form })
      const changed = signed.signature.slice()
      changed[changed.length - 2]! ^= 0x01
      expect(await only(pack(withSignature(signed, changed))), form).toMatchObject({
        status: 'signature-invalid',
        reason: 'signature-mismatch',
        version: 1,
      })
    }
  })

  it("reports the signature invalid when the seal maker's signature is broken", async () => {
    const good = seal()
    const broken = withBrokenMakerSignature(good, pki.maker)
    // The signer signs over the broken seal, so only the maker's signature is wrong.
    expect(await only(pack(signedValue({ sealDer: broken }).der))).toMatchObject({
      status: 'signature-invalid',
      reason: 'seal-signature-invalid',
    })
    // A maker signature by someone else than the certificate in the seal says.
    const impostor = seal({ maker: { key: pki.signer2.key, certificate: pki.maker.certificate } })
    expect(await only(pack(signedValue({ sealDer: impostor.der }).der))).toMatchObject({
      status: 'signature-invalid',
      reason: 'seal-signature-invalid',
    })
  })

  it('reports the signature invalid when the signer certificate is not one the seal lists', async () => {
    expect(await only(pack(signedValue({ signer: pki.signer2 }).der))).toMatchObject({
      status: 'signature-invalid',
      reason: 'signer-not-in-seal',
      signer: '郑州市金水区政务服务中心',
    })
  })

  it('reports the certificate untrusted when it was expired at signing, or chains to no trusted root', async () => {
    const expiredSeal = seal({ signerCerts: [pki.expired.certificate] }).der
    expect(
      await only(pack(signedValue({ sealDer: expiredSeal, signer: pki.expired }).der)),
    ).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'certificate-expired',
      signer: '已过期的签章人',
    })
    const strangerSeal = seal({ signerCerts: [pki.stranger.certificate] }).der
    const stranger = pack(signedValue({ sealDer: strangerSeal, signer: pki.stranger }).der)
    expect(await only(stranger)).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'certificate-untrusted',
    })
    expect(await only(stranger, [pki.root.certificate, pki.otherRoot.certificate])).toMatchObject({
      status: 'valid',
    })
    // Without any trusted root, the well-formed signature is intact but untrusted.
    expect(await only(pack(signedValue().der), [])).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'certificate-untrusted',
    })
  })

  it('our own v1 writer produces the structure the standard describes', () => {
    const ours = unzipSync(fixture('licence-v1-bmp-seal.ofd'))[SIGNED_VALUE]!
    const independent = signedValue({ time: { utcTime: SIGNED_AT } }).der
    expect(gmt0031Shape(ours)).toEqual(gmt0031Shape(independent))
    expect(gmt0031Shape(independent)).toEqual([
      [
        'INTEGER',
        [
          [
            ['IA5String', 'INTEGER', 'IA5String'],
            'IA5String',
            ['INTEGER', 'UTF8String', ['OCTET STRING'], 'UTCTime', 'UTCTime', 'UTCTime'],
            ['IA5String', 'OCTET STRING', 'INTEGER', 'INTEGER'],
          ],
          ['OCTET STRING', 'OID', 'BIT STRING'],
        ],
        'BIT STRING',
        'BIT STRING',
        'IA5String',
        'OCTET STRING',
        'OID',
      ],
      'BIT STRING',
    ])
  })
})
