/**
 * The signed matter catalogue end to end: an administrator makes a key, signs the catalogue,
 * a terminal checks it; a changed byte or a key the terminal does not trust is refused, and a
 * production core starts only with a signed catalogue from a trusted key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/main/config'
import { createCore } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'
import { cli, root } from './cli'

const dir = mkdtempSync(join(tmpdir(), 'catalogue-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const bundled = join(root, 'resources/catalogue/training-catalogue.json')

function production(catalogueFile: string, trustedKeys: string[]) {
  return parseConfig({
    mode: 'production',
    terminal: {
      id: 'SYS-02',
      unitName: '测试单位',
      unitCode: '11410105MB1613052U',
      region: '410105',
    },
    library: { baseUrl: 'http://127.0.0.1:9', auth: { kind: 'token', accessId: 'a', token: 't' } },
    devices: { idcard: { kind: 'none' } },
    catalogue: { file: catalogueFile, trustedKeys },
  })
}

async function core(catalogueFile: string, trustedKeys: string[]) {
  return createCore({
    config: production(catalogueFile, trustedKeys),
    dataDir: mkdtempSync(join(dir, 'data-')),
    resourcesDir: join(root, 'resources'),
    version: 'sys',
    logger: silentLogger,
  })
}

describe('signed matter catalogue', () => {
  const key = join(dir, 'catalogue.key')
  const signed = join(dir, 'signed.json')
  let publicKey = ''

  it('keygen → sign → check', () => {
    const k = cli(['licence', 'catalogue', 'keygen', '--out', key])
    expect(k.status).toBe(0)
    publicKey = k.json<{ publicKey: string }>().publicKey
    expect(publicKey).toMatch(/^04[0-9a-f]{128}$/)
    const s = cli([
      'licence',
      'catalogue',
      'sign',
      bundled,
      '--key',
      key,
      '--signer',
      '河南省事项目录管理员',
      '--out',
      signed,
    ])
    expect(s.status).toBe(0)
    const c = cli(['licence', 'catalogue', 'check', signed, '--trusted', publicKey])
    expect(c.status).toBe(0)
    expect(c.json()).toMatchObject({ valid: true, signer: '河南省事项目录管理员', matters: 7 })
  })

  it('a changed reason of use, or an untrusted key, is refused', () => {
    const tampered = join(dir, 'tampered.json')
    writeFileSync(tampered, readFileSync(signed, 'utf8').replace('办理生育登记', '办理任意查询'))
    const t = cli(['licence', 'catalogue', 'check', tampered, '--trusted', publicKey])
    expect(t.status).toBe(1)
    expect(t.json()).toMatchObject({ error: { code: 'CATALOGUE_SIGNATURE_INVALID' } })
    const other = cli(['licence', 'catalogue', 'keygen', '--out', join(dir, 'other.key')])
    const u = cli([
      'licence',
      'catalogue',
      'check',
      signed,
      '--trusted',
      other.json<{ publicKey: string }>().publicKey,
    ])
    expect(u.json()).toMatchObject({ error: { code: 'CATALOGUE_UNTRUSTED_SIGNER' } })
  })

  it('a production core starts with the signed file, and refuses an unsigned one', async () => {
    const c = await core(signed, [publicKey])
    try {
      expect(await c.dispatch('catalogue.info', [])).toMatchObject({
        ok: true,
        value: { source: 'signed-file', signer: '河南省事项目录管理员', matterCount: 7 },
      })
    } finally {
      await c.stop()
    }
    await expect(core(bundled, [publicKey])).rejects.toMatchObject({ code: 'CATALOGUE_UNSIGNED' })
  })
})
