/**
 * Issuance on the OFD module: the licence is laid out by the OFD writer, previewed from the very
 * bytes that get signed, sealed with the training seal, and the sealed file verifies against the
 * training root with every previewed file unchanged. Seal keys that are not there are refused.
 */
import { resolve } from 'node:path'
import { unzipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createOfdDocuments,
  parseCatalogueEntries,
  TRAINING_LICENCE_TYPES,
  type ComposeInput,
  type IssuanceDocuments,
} from '../../../../src/main/issuance'
import { silentLogger } from '../../../../src/main/log'
import { createFontLibrary, openOfd, verifyOfd } from '../../../../src/main/ofd'
import { createTrainingSealKit } from '../../../../src/main/training'

const resourcesDir = resolve(import.meta.dirname, '../../../../resources')
const unit = { name: '培训演示政务服务中心', code: '11410100MB00000005' }
const [disability] = parseCatalogueEntries(TRAINING_LICENCE_TYPES).templates
const identifier =
  '1.2.156.3005.2.51100000500010176E001.11410100MB00000005.TRAINV0010000000001.001.X'

const input: ComposeInput = {
  template: disability!,
  identifier,
  number: 'CJTRAINV0010000000001',
  issuer: unit,
  holder: {
    name: '张建国',
    code: '410105197805160032',
    identityType: '111',
    identityTypeName: '公民身份号码',
  },
  values: {
    name: '张建国',
    sex: '男',
    birthDate: '1978-05-16',
    idNumber: '410105197805160032',
    address: '河南省郑州市金水区花园路38号院',
    category: '肢体残疾',
    level: '二级',
  },
  issuedOn: '2026-11-22',
  validFrom: '2026-11-22',
  validTo: '2036-11-21',
}

let docs: IssuanceDocuments

beforeAll(() => {
  docs = createOfdDocuments({
    resourcesDir,
    logger: silentLogger,
    unit,
    training: true,
    trainingSealKit: createTrainingSealKit,
  })
})

describe('the licence file', () => {
  it('is an OFD carrying the licence metadata, previewable page by page', async () => {
    const unsigned = await docs.compose(input)
    const doc = await openOfd(unsigned, { name: 'licence.ofd' })
    expect(doc.pageCount).toBe(1)
    const xml = new TextDecoder().decode(unzipSync(unsigned)['OFD.xml'])
    expect(xml).toContain(identifier)
    expect(xml).toContain('410105197805160032')
    const page = new TextDecoder().decode(unzipSync(unsigned)['Doc_0/Pages/Page_0/Content.xml'])
    expect(page).toContain('培训样本')
    const pages = await docs.render(unsigned)
    expect(pages).toHaveLength(1)
    expect(pages[0]).toMatchObject({ widthMm: 210, heightMm: 148 })
    expect(pages[0]!.image).toMatch(/^data:image\/png;base64,iVBORw0KGgo/)
  }, 60_000)

  it('is sealed over exactly the previewed content, and the seal verifies', async () => {
    const unsigned = await docs.compose(input)
    const signed = await docs.sign(unsigned, { kind: 'training' }, { identifier })
    expect(signed.sealName).toContain('培训')
    const before = unzipSync(unsigned)
    const after = unzipSync(signed.bytes)
    for (const [name, bytes] of Object.entries(before))
      if (name !== 'OFD.xml')
        expect(Buffer.from(after[name]!).equals(Buffer.from(bytes)), name).toBe(true)
    expect(Object.keys(after).some((n) => n.endsWith('SignedValue.dat'))).toBe(true)

    const kit = createTrainingSealKit(createFontLibrary({ resourcesDir }))
    const result = await verifyOfd(await openOfd(signed.bytes, { name: 'signed.ofd' }), {
      trust: { certificates: [kit.rootCertificate] },
    })
    expect(result.allValid).toBe(true)
    expect(result.signatures[0]).toMatchObject({ type: 'Seal', status: 'valid' })
    // Under another root it does not verify: the check is real.
    const other = await verifyOfd(await openOfd(signed.bytes, { name: 'signed.ofd' }), {
      trust: { certificates: [] },
    })
    expect(other.allValid).toBe(false)
  }, 60_000)

  it('signs only what it composed, and only with a seal that is there', async () => {
    await expect(
      docs.sign(Uint8Array.from([1, 2, 3]), { kind: 'training' }, { identifier }),
    ).rejects.toMatchObject({
      code: 'ISSUANCE_DRAFT_EXPIRED',
    })
    const unsigned = await docs.compose(input)
    await expect(
      docs.sign(unsigned, { kind: 'token', keyId: 'unit-seal' }, { identifier }),
    ).rejects.toMatchObject({
      code: 'ISSUANCE_SIGNER_UNAVAILABLE',
    })
    const production = createOfdDocuments({
      resourcesDir,
      logger: silentLogger,
      unit,
      training: false,
    })
    expect((await production.signers()).map((s) => [s.choice.kind, s.available])).toEqual([
      ['token', false],
    ])
    const file = await production.compose(input)
    await expect(production.sign(file, { kind: 'training' }, { identifier })).rejects.toMatchObject(
      {
        code: 'ISSUANCE_SIGNER_UNAVAILABLE',
      },
    )
    // No training watermark outside training mode.
    expect(
      new TextDecoder().decode(
        unzipSync(file)['Doc_0/Pages/Page_0/Content.xml'] ?? new Uint8Array(),
      ),
    ).not.toContain('培训样本')
  }, 60_000)
})
