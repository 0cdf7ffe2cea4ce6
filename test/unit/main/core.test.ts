import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionView } from '../../../src/shared/api'
import { trainingConfig } from '../../../src/main/config'
import { createCore, type Core } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'

const cores: Core[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop()
})

async function core(): Promise<Core> {
  const c = await createCore({
    config: trainingConfig(),
    dataDir: mkdtempSync(join(tmpdir(), 'core-')),
    resourcesDir: resolve(import.meta.dirname, '../../../resources'),
    version: 'test',
    logger: silentLogger,
  })
  cores.push(c)
  await c.start()
  return c
}

function nextSession(c: Core, predicate: (v: SessionView) => boolean): Promise<SessionView> {
  return new Promise((resolve) => {
    const off = c.onEvent((event, payload) => {
      if (event === 'session' && predicate(payload as SessionView)) {
        off()
        resolve(payload as SessionView)
      }
    })
  })
}

describe('core scope enforcement', () => {
  it('refuses a licence query with no applicant, then with no matter', async () => {
    const c = await core()
    expect(await c.dispatch('licences.list', [])).toMatchObject({
      ok: false,
      error: { code: 'SCOPE_NO_HOLDER' },
    })
    const identified = nextSession(c, (v) => v.holder !== null)
    await c.dispatch('training.placeCard', ['resident-li'])
    await identified
    expect(await c.dispatch('licences.list', [])).toMatchObject({
      ok: false,
      error: { code: 'SCOPE_NO_MATTER' },
    })
  })

  it('asks the library only for the matter’s types and the identified holder', async () => {
    const c = await core()
    const identified = nextSession(c, (v) => v.holder !== null)
    await c.dispatch('training.placeCard', ['resident-li'])
    expect((await identified).holder).toMatchObject({
      name: '李秀兰',
      idNumberMasked: '410203********1020',
      validTo: 'long-term',
    })
    expect(await c.dispatch('session.selectMatter', ['410100-MZ-0204'])).toMatchObject({ ok: true })
    const r = await c.dispatch('licences.list', [])
    expect(r.ok).toBe(true)
    const list = (r as { value: { items: { typeName: string }[]; missingTypes: unknown[] } }).value
    expect(list.items.map((i) => i.typeName)).toEqual(['中华人民共和国残疾人证', '居民户口簿'])
    expect(list.missingTypes).toEqual([])
    const q = c.training!.sandbox!.requests.at(-1)!.body as {
      holderCode: string
      licenseTypeCodes: string[]
      useReason: string
    }
    expect(q.holderCode).toBe('410203196211031020')
    expect(q.licenseTypeCodes).toEqual(['51100000500010176E001', '11100000000013338W002'])
    expect(q.useReason).toContain('残疾人两项补贴')
  })

  it('refuses a matter that does not exist or does not fit the holder', async () => {
    const c = await core()
    const identified = nextSession(c, (v) => v.holder !== null)
    await c.dispatch('training.placeCard', ['resident-zhang'])
    await identified
    expect(await c.dispatch('session.selectMatter', ['NOPE'])).toMatchObject({
      ok: false,
      error: { code: 'SCOPE_UNKNOWN_MATTER' },
    })
    expect(await c.dispatch('session.selectMatter', ['410100-SC-0415'])).toMatchObject({
      ok: false,
      error: { code: 'SCOPE_HOLDER_KIND' },
    })
  })

  it('forgets the applicant on 下一位 and on lifting the card', async () => {
    const c = await core()
    let identified = nextSession(c, (v) => v.holder !== null)
    await c.dispatch('training.placeCard', ['resident-zhang'])
    await identified
    await c.dispatch('session.next', [])
    expect(await c.dispatch('session.current', [])).toEqual({
      ok: true,
      value: { holder: null, matterCode: null },
    })
    expect(await c.dispatch('licences.list', [])).toMatchObject({
      ok: false,
      error: { code: 'SCOPE_NO_HOLDER' },
    })

    identified = nextSession(c, (v) => v.holder?.name === '王磊')
    await c.dispatch('training.placeCard', ['resident-wang-expired'])
    expect((await identified).holder).toMatchObject({ expired: true })
    const cleared = nextSession(c, (v) => v.holder === null)
    await c.dispatch('training.removeCard', [])
    await cleared
  })

  it('validates arguments at the door', async () => {
    const c = await core()
    expect(await c.dispatch('session.selectMatter', [42])).toMatchObject({
      ok: false,
      error: { code: 'IPC_BAD_ARGUMENT' },
    })
    expect(await c.dispatch('session.selectMatter', [])).toMatchObject({
      ok: false,
      error: { code: 'IPC_BAD_ARGUMENT' },
    })
    expect(await c.dispatch('constructor', [])).toMatchObject({
      ok: false,
      error: { code: 'IPC_BAD_ARGUMENT' },
    })
    expect(await c.dispatch('training.placeCard', ['no-such-card'])).toMatchObject({
      ok: false,
      error: { code: 'TRAINING_UNKNOWN_CARD' },
    })
  })
})
