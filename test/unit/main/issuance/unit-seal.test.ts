/**
 * The unit's seal on a CA token: a key the seal lists but whose certificate cannot make an SM2
 * seal is refused before its PIN is tried — a wrong try would count on the key, and a session
 * opened for nothing would stay open.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createUnitSeal, type TokenAccess } from '../../../../src/main/issuance'
import { createFontLibrary } from '../../../../src/main/ofd'
import { createTrainingSealKit } from '../../../../src/main/training'

const ROOT = resolve(import.meta.dirname, '../../../..')

function der(pemFile: string): Uint8Array {
  const pem = readFileSync(resolve(ROOT, 'test/fixtures/pki/openssl', pemFile), 'utf8')
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
}

describe('the unit seal', () => {
  it('refuses a listed key whose certificate is not SM2 without logging in', async () => {
    const certificate = der('p256-enterprise.pem')
    const kit = createTrainingSealKit(
      createFontLibrary({ resourcesDir: resolve(ROOT, 'resources') }),
    )
    const seal = await kit.sealFor('培训演示政务服务中心', '11410100MB00000005', certificate)
    const logins: string[] = []
    const tokens: TokenAccess = {
      tokens: () => [
        {
          id: 'test/ukey',
          providerId: 'test',
          label: '测试 Key',
          serial: '1',
          manufacturer: 'test',
          simulated: true,
        },
      ],
      keys: async () => [{ ref: 'seal', certificate }],
      pinStatus: async () => ({ locked: false }),
      login: async (tokenId, keyRef) => {
        logins.push(`${tokenId}#${keyRef}`)
        return { sign: async () => new Uint8Array(), logout: async () => undefined }
      },
    }
    const unit = createUnitSeal({ tokens, seal: async () => seal })

    const [option] = await unit.options()
    expect(option).toMatchObject({ available: true, choice: { keyId: 'test/ukey#seal' } })
    await expect(unit.open('test/ukey#seal', '123456')).rejects.toMatchObject({
      code: 'ISSUANCE_SIGNER_UNAVAILABLE',
      params: { reason: '印章证书不是 SM2 证书' },
    })
    expect(logins).toEqual([])
  })
})
