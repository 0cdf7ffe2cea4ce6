/**
 * Production never accepts a practice card as the applicant: the training levers answer only in
 * training mode, and a production configuration carrying the simulated reader is refused before
 * the core builds anything. Training never talks to a real library.
 */
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig, trainingConfig, type Config } from '../../../src/main/config'
import { createCore, type Core } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'

const terminal = {
  id: 'ZZ-JS-03',
  unitName: '郑州市金水区政务服务中心',
  unitCode: '11410105MB1613052U',
  region: '410105',
}
// Nothing listens on port 9: the core is never started, so nothing is asked of it.
const library = {
  baseUrl: 'http://127.0.0.1:9/api',
  auth: { kind: 'token', accessId: 'a', token: 't' },
}

const cores: Core[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop()
})

async function build(config: Config, dataDir = mkdtempSync(join(tmpdir(), 'gate-'))) {
  const core = await createCore({
    config,
    dataDir,
    resourcesDir: resolve(import.meta.dirname, '../../../resources'),
    version: 'test',
    logger: silentLogger,
  })
  cores.push(core)
  return core
}

describe('training levers outside training mode', () => {
  it.each([
    ['training.cards', []],
    ['training.placeCard', ['resident-zhang']],
    ['training.removeCard', []],
  ])('a production core refuses %s', async (method, args) => {
    const core = await build(
      parseConfig({ terminal, library, devices: { idcard: { kind: 'none' } } }),
    )
    expect(await core.dispatch(method, args)).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_TRAINING' },
    })
    expect(core.training).toBeUndefined()
    expect(await core.dispatch('session.current', [])).toEqual({
      ok: true,
      value: { holder: null, matterCode: null },
    })
  })

  it('a training core still answers them', async () => {
    const core = await build(trainingConfig())
    expect(await core.dispatch('training.cards', [])).toMatchObject({ ok: true })
  })

  it('refuses a training configuration made in code that names a real library', async () => {
    const config: Config = {
      ...trainingConfig(),
      library: parseConfig({ terminal, library }).library,
    }
    await expect(build(config)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      params: { key: 'library' },
    })
  })

  it('refuses a production configuration made in code with the simulated reader, creating nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gate-'))
    const config: Config = {
      ...trainingConfig(),
      mode: 'production',
      library: parseConfig({ terminal, library }).library,
    }
    await expect(build(config, dataDir)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      params: { key: 'devices.idcard.kind' },
    })
    expect(readdirSync(dataDir)).toEqual([])
  })
})
