import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { openOfd, verifyOfd } from '../../../../src/main/ofd'
import {
  createLicenceFileSource,
  createTrainingSealKit,
  SEED_LICENCES,
  LICENCE_TYPES,
} from '../../../../src/main/training'
import { fonts, RESOURCES } from './helpers'

describe('the sandbox library’s licence files', { timeout: 60_000 }, () => {
  const source = createLicenceFileSource({ resourcesDir: RESOURCES, fonts: fonts() })

  it('signs each seed licence with its issuer’s training seal, verifiable in a later session', async () => {
    const business = SEED_LICENCES.find((l) => l.licenseTypeCode === LICENCE_TYPES.business.code)!
    const marriage = SEED_LICENCES.find((l) => l.licenseTypeCode === LICENCE_TYPES.marriage.code)!
    // Another session's kit: the same training root, so files made now still verify then.
    const later = createTrainingSealKit(fonts()).rootCertificate
    for (const licence of [business, marriage]) {
      const bytes = (await source.fileFor(licence, 'ofd'))!
      const doc = await openOfd(bytes)
      expect(doc.info.customData['证照标识']).toBe(licence.licenseIdentifier)
      const result = await verifyOfd(doc, { trust: { certificates: [later] } })
      expect(result.signatures).toHaveLength(1)
      expect(result.signatures[0]).toMatchObject({
        status: 'valid',
        signer: `${licence.issueOrgName}（培训）`,
        sealName: `${licence.issueOrgName}电子印章（培训）`,
      })
    }
    expect(await source.fileFor(business, 'ofd')).toBe(await source.fileFor(business, 'ofd'))
  })

  it('serves a PNG of the first page', async () => {
    const png = PNG.sync.read(Buffer.from((await source.fileFor(SEED_LICENCES[0]!, 'png'))!))
    expect(png.width).toBe(Math.round((210 * 120) / 25.4))
  })
})
