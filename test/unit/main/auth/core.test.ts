/**
 * The auth module inside the real core, in training mode: the trainee signed in automatically
 * with the simulated key, enterprise applicants identified by their CA key and queried as holder
 * type 001 with the clerk's certificate identity, and bad enterprise keys refused with a notice.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig, trainingConfig, type Config } from '../../../../src/main/config'
import { createCore, type Core } from '../../../../src/main/core'
import { silentLogger } from '../../../../src/main/log'
import { TRAINEE_ID_NUMBER } from '../../../../src/main/training'

const root = resolve(import.meta.dirname, '../../../..')
const cores: { core: Core; dir: string }[] = []

afterEach(async () => {
  for (const { core, dir } of cores.splice(0)) {
    await core.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

async function startCore(config: Config = trainingConfig()) {
  const dir = mkdtempSync(join(tmpdir(), 'auth-core-'))
  const core = await createCore({
    config,
    dataDir: dir,
    resourcesDir: join(root, 'resources'),
    version: 't',
    logger: silentLogger,
  })
  const events: { event: string; payload: unknown }[] = []
  core.onEvent((event, payload) => events.push({ event, payload }))
  cores.push({ core, dir })
  await core.start()
  return { core, events }
}

const call = async <T = never>(core: Core, method: string, ...args: unknown[]): Promise<T> => {
  const r = await core.dispatch(method, args)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value as T
}
const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 500; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('timed out')
}

describe('training mode', () => {
  it('signs the trainee in with the simulated key before the window shows', async () => {
    const { core } = await startCore()
    expect(await call(core, 'auth.state')).toMatchObject({
      status: 'signed-in',
      staff: { name: '培训学员', role: 'clerk', idNumberMasked: '410100********0016' },
    })
    expect(core.config.mode).toBe('training')
  })

  it('an enterprise key identifies the applicant (USCC, holder type 001) and the query carries the clerk', async () => {
    const { core } = await startCore()
    await call(core, 'cakey.trainingInsert', 'enterprise-xinyuan')
    await until(
      async () => (await call<{ holder: unknown }>(core, 'session.current')).holder !== null,
    )
    const view = (await call(core, 'session.current')) as { holder: Record<string, unknown> }
    expect(view.holder).toMatchObject({
      source: 'cakey',
      holderTypeCode: '001',
      name: '郑州市金水区鑫源餐饮管理有限公司',
      uscc: '91410105MA44K7QX15',
      revocation: 'good',
    })
    await call(core, 'session.selectMatter', '410100-SC-0416')
    const list = (await call(core, 'licences.list')) as { items: { typeName: string }[] }
    expect(list.items.map((i) => i.typeName).sort()).toEqual(['营业执照', '食品经营许可证'])
    const query = core.training!.sandbox!.requests.find((r) => r.path.endsWith('/query'))
    expect(query?.body).toMatchObject({
      holderCode: '91410105MA44K7QX15',
      holderIdentityType: '001',
      operator: { name: '培训学员', code: TRAINEE_ID_NUMBER, role: 'clerk' },
    })
    // Pulling the key out ends that applicant's service.
    await call(core, 'cakey.trainingRemove', 'enterprise-xinyuan')
    await until(
      async () => (await call<{ holder: unknown }>(core, 'session.current')).holder === null,
    )
  })

  it('a revoked or expired enterprise certificate identifies nobody and says why', async () => {
    const { core, events } = await startCore()
    for (const [key, code] of [
      ['enterprise-laowang-revoked', 'CERT_REVOKED'],
      ['enterprise-zhongyuan-expired', 'CERT_EXPIRED'],
    ]) {
      await call(core, 'cakey.trainingInsert', key)
      await until(() =>
        events.some((e) => e.event === 'notice' && (e.payload as { code: string }).code === code),
      )
      expect(((await call(core, 'session.current')) as { holder: unknown }).holder).toBeNull()
    }
  })

  it('with auto sign-in off, the PIN is asked for and nothing is queried before it', async () => {
    const { core } = await startCore(
      parseConfig({ ...trainingConfig(), auth: { autoSignIn: false } }),
    )
    expect(await call(core, 'auth.state')).toMatchObject({ status: 'signed-out', staff: null })
    expect(await core.dispatch('licences.list', [])).toMatchObject({
      ok: false,
      error: { code: 'AUTH_REQUIRED' },
    })
    const keys = (await call(core, 'auth.keys')) as {
      tokenId: string
      use: string
      pin: { remaining: number }
    }[]
    expect(keys).toEqual([
      expect.objectContaining({
        tokenId: 'sim/staff-trainee',
        use: 'staff',
        pin: { locked: false, remaining: 6, max: 6 },
      }),
    ])
    expect(await core.dispatch('auth.signIn', ['sim/staff-trainee', '000000'])).toMatchObject({
      ok: false,
      error: { code: 'CAKEY_PIN_INCORRECT', message: 'PIN 码错误，还可尝试 5 次' },
    })
    expect(
      (await call(core, 'auth.signIn', 'sim/staff-trainee', '123456')) as object,
    ).toMatchObject({ status: 'signed-in' })
    expect(await call(core, 'auth.lock')).toMatchObject({ status: 'locked', lockReason: 'hotkey' })
    core.auth.systemLocked()
    expect(await call(core, 'auth.unlock', '123456')).toMatchObject({ status: 'signed-in' })
    core.auth.systemIdle(3600)
    expect(await call(core, 'auth.state')).toMatchObject({ status: 'locked', lockReason: 'idle' })
  })
})

describe('configuration', () => {
  it('accepts vendor algorithm ids as hex and refuses simulated keys in production', () => {
    const base = {
      terminal: { id: 'T', unitName: '单位', unitCode: '11410105MB1613052U', region: '410105' },
      library: {
        baseUrl: 'https://lib.example/api',
        auth: { kind: 'token', accessId: 'a', token: 't' },
      },
    }
    const c = parseConfig({
      ...base,
      cakey: {
        providers: [
          { kind: 'skf', library: 'C:/CA/skf.dll', algorithms: { sm2Sign: '0x00020200' } },
        ],
      },
    })
    const skf = c.cakey.providers[0]
    expect(skf?.kind === 'skf' && skf.algorithms).toEqual({ sm2Sign: 0x20200, sm3: 1 })
    expect(c.auth).toMatchObject({ idleLockMinutes: 10, pinAttempts: 5 })
    expect(() => parseConfig({ ...base, cakey: { providers: [{ kind: 'simulated' }] } })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('cakey.providers'),
      }),
    )
    expect(() =>
      parseConfig({
        ...base,
        pki: { identity: { rules: [{ from: 'subject', field: 'CN', pattern: '(' }] } },
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })

  it('a production core with no CA key library shows no keys and signs nobody in', async () => {
    const config = parseConfig({
      terminal: { id: 'T', unitName: '单位', unitCode: '11410105MB1613052U', region: '410105' },
      library: {
        baseUrl: 'http://127.0.0.1:9/api',
        auth: { kind: 'token', accessId: 'a', token: 't' },
      },
      devices: { idcard: { kind: 'none' } },
    })
    const { core } = await startCore(config)
    expect(await call(core, 'auth.keys')).toEqual([])
    expect(await call(core, 'auth.state')).toMatchObject({ status: 'signed-out' })
    expect(await core.dispatch('cakey.trainingKeys', [])).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_TRAINING' },
    })
  })
})
