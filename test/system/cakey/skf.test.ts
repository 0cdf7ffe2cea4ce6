/**
 * The SKF path through a real shared library: the test SKF library (C, OpenSSL's SM2/SM3) is
 * built here and loaded with koffi exactly as a vendor's DLL would be. Signatures made by OpenSSL
 * are verified by the pure-JS SM2; PIN retries, lockout, insert/remove events, the on-token digest
 * with configurable algorithm ids, and a key pulled out mid-signature are all exercised, and a
 * production core signs a clerk in through it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../src/main/core'
import { sm2Verify, derToRawSignature } from '../../../src/main/crypto'
import {
  loadSkfLibrary,
  SkfProvider,
  type SkfAlgorithmIds,
  type TokenEvent,
} from '../../../src/main/devices'
import { createLogger, silentLogger } from '../../../src/main/log'
import { toPem } from '../../../src/main/pki'
import {
  enterpriseSubject,
  sm2Ca,
  sm2Pkcs8Pem,
  staffSubject,
  usccExtension,
} from '../../fixtures/pki/test-pki'
import { productionConfig } from '../../fixtures/pki/production-config'
import { buildSkfLibrary, SkfStore } from '../../fixtures/skf/store'

const root = resolve(import.meta.dirname, '../../..')
const ca = sm2Ca()
const lina = ca.issue({
  subject: staffSubject('李娜', '410105198806120029'),
  notBefore: new Date(Date.now() - 86_400_000),
  notAfter: new Date(Date.now() + 365 * 86_400_000),
})
const ent = ca.issue({
  subject: enterpriseSubject('郑州市金水区鑫源餐饮管理有限公司'),
  extensions: [usccExtension('91410105MA44K7QX15')],
  notBefore: new Date(Date.now() - 86_400_000),
  notAfter: new Date(Date.now() + 365 * 86_400_000),
})

let library: string
let store: SkfStore

beforeAll(() => {
  library = buildSkfLibrary()
  store = new SkfStore().activate()
  store.add({
    name: 'LINA-KEY',
    label: '李娜的证书',
    serial: 'HN0001',
    certificate: lina.der,
    privateKeyPem: sm2Pkcs8Pem(lina.sm2!),
    maxRetries: 3,
  })
  store.add({
    name: 'ENT-KEY',
    certificate: ent.der,
    privateKeyPem: sm2Pkcs8Pem(ent.sm2!),
    pin: '888888',
  })
})
afterAll(() => store?.cleanup())

const provider = (
  options: { algorithms?: SkfAlgorithmIds; digestOnToken?: boolean; events?: 'wait' | 'poll' } = {},
) =>
  new SkfProvider({
    id: 'skf',
    label: 'soft',
    load: () => loadSkfLibrary({ library }),
    pollIntervalMs: 100,
    ...options,
  })

const code = async (p: Promise<unknown>) => {
  try {
    await p
    return 'resolved'
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Polls until `check` holds; generous, since the machine is shared. */
const until = async (check: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(25)
  }
}

describe('the test SKF library through koffi', () => {
  it('enumerates keys, reads DEVINFO and certificates without a PIN', async () => {
    const p = provider()
    await p.open()
    try {
      const tokens = await p.tokens()
      expect(tokens.map((t) => [t.id, t.label, t.serial])).toEqual([
        ['skf/ENT-KEY', 'ENT-KEY', 'SN-ENT-KEY'],
        ['skf/LINA-KEY', '李娜的证书', 'HN0001'],
      ])
      const [key] = await p.keys('skf/LINA-KEY')
      expect(key?.ref).toBe('APP_SIGN/SIGN_CON')
      expect(Buffer.from(key!.certificate).equals(Buffer.from(lina.der))).toBe(true)
      expect(await p.pinStatus('skf/LINA-KEY', key!.ref)).toEqual({
        locked: false,
        remaining: 3,
        max: 3,
        finalTry: false,
      })
    } finally {
      await p.close()
    }
  })

  it.each([false, true])(
    'signs SM2 (digest on token: %s) and the pure-JS SM2 verifies OpenSSL’s signature',
    async (digestOnToken) => {
      const p = provider({ digestOnToken })
      await p.open()
      try {
        const session = await p.login('skf/LINA-KEY', 'APP_SIGN/SIGN_CON', '123456')
        const message = new TextEncoder().encode(`challenge ${digestOnToken}`)
        const der = await session.sign({
          keyRef: 'APP_SIGN/SIGN_CON',
          algorithm: 'sm2-sm3',
          message,
          publicKey: lina.sm2!.publicKey,
        })
        await session.logout()
        const raw = derToRawSignature(der)!
        expect(sm2Verify(message, raw, lina.sm2!.publicKey)).toBe(true)
        expect(sm2Verify(new TextEncoder().encode('other'), raw, lina.sm2!.publicKey)).toBe(false)
        // After logout the key no longer signs.
        expect(
          await code(
            session.sign({
              keyRef: 'APP_SIGN/SIGN_CON',
              algorithm: 'sm2-sm3',
              message,
              publicKey: lina.sm2!.publicKey,
            }),
          ),
        ).toBe('CAKEY_NOT_LOGGED_IN')
      } finally {
        await p.close()
      }
    },
  )

  it('uses the configured algorithm ids: a token whose SGD_SM3 differs needs them', async () => {
    store.setConf('ENT-KEY', 'alg_sm3', 0x00000009)
    const sign = async (algorithms?: SkfAlgorithmIds) => {
      const p = provider({ digestOnToken: true, ...(algorithms ? { algorithms } : {}) })
      await p.open()
      try {
        const s = await p.login('skf/ENT-KEY', 'APP_SIGN/SIGN_CON', '888888')
        try {
          return await s.sign({
            keyRef: 'APP_SIGN/SIGN_CON',
            algorithm: 'sm2-sm3',
            message: Uint8Array.of(1, 2, 3),
            publicKey: ent.sm2!.publicKey,
          })
        } finally {
          await s.logout()
        }
      } finally {
        await p.close()
      }
    }
    expect(await code(sign())).toBe('CAKEY_LIBRARY_CALL_FAILED')
    const der = await sign({ sm2Sign: 0x00020100, sm3: 0x00000009 })
    expect(sm2Verify(Uint8Array.of(1, 2, 3), derToRawSignature(der)!, ent.sm2!.publicKey)).toBe(
      true,
    )
    store.setConf('ENT-KEY', 'alg_sm3', 1)
  })

  it('warns when a key does not list the configured SGD_SM2_1 (vendor headers differ)', async () => {
    store.setConf('ENT-KEY', 'alg_sm2_1', 0x00020200)
    const lines: string[] = []
    const logger = createLogger({ level: 'warn', sink: (l) => lines.push(l) })
    const check = async (sm2Sign: number) => {
      lines.length = 0
      const p = new SkfProvider({
        id: 'skf',
        label: 'soft',
        load: () => loadSkfLibrary({ library }),
        algorithms: { sm2Sign, sm3: 1 },
        logger,
      })
      await p.open()
      try {
        await p.tokens()
      } finally {
        await p.close()
      }
      return lines.filter((l) => l.includes('SGD_SM2_1') && l.includes('ENT-KEY')).length
    }
    expect(await check(0x00020100)).toBe(1)
    expect(await check(0x00020200)).toBe(0)
    store.setConf('ENT-KEY', 'alg_sm2_1', 0x00020100)
  })

  it('reports PIN retries and locks after the last one', async () => {
    store.add({
      name: 'LOCKME',
      certificate: lina.der,
      privateKeyPem: sm2Pkcs8Pem(lina.sm2!),
      maxRetries: 2,
    })
    const p = provider()
    await p.open()
    try {
      const ref = 'APP_SIGN/SIGN_CON'
      await expect(p.login('skf/LOCKME', ref, '000000')).rejects.toMatchObject({
        code: 'CAKEY_PIN_INCORRECT',
        params: { remaining: 1 },
      })
      expect(await code(p.login('skf/LOCKME', ref, '000000'))).toBe('CAKEY_PIN_LOCKED')
      expect(await code(p.login('skf/LOCKME', ref, '123456'))).toBe('CAKEY_PIN_LOCKED')
      expect(await p.pinStatus('skf/LOCKME', ref)).toMatchObject({ locked: true, remaining: 0 })
    } finally {
      await p.close()
    }
  })

  it.each(['wait', 'poll'] as const)('reports insert and remove events (%s)', async (events) => {
    const p = provider({ events })
    await p.open()
    const seen: TokenEvent[] = []
    const stop = p.watch((e) => seen.push(e))
    try {
      await until(() => seen.some((e) => e.type === 'inserted' && e.tokenId === 'skf/LINA-KEY'))
      const initial = seen.length
      store.remove('LINA-KEY')
      await until(() => seen.length > initial)
      store.insert('LINA-KEY')
      await until(() => seen.length > initial + 1)
      expect(seen.slice(initial)).toEqual([
        { type: 'removed', tokenId: 'skf/LINA-KEY' },
        { type: 'inserted', tokenId: 'skf/LINA-KEY' },
      ])
    } finally {
      stop()
      await p.close()
    }
  })

  it('a key pulled out mid-signature fails the signature with CAKEY_TOKEN_REMOVED', async () => {
    store.setConf('LINA-KEY', 'sign_delay_ms', 400)
    const p = provider()
    await p.open()
    try {
      const session = await p.login('skf/LINA-KEY', 'APP_SIGN/SIGN_CON', '123456')
      const signing = session.sign({
        keyRef: 'APP_SIGN/SIGN_CON',
        algorithm: 'sm2-sm3',
        message: Uint8Array.of(7),
        publicKey: lina.sm2!.publicKey,
      })
      await sleep(120)
      store.remove('LINA-KEY')
      expect(await code(signing)).toBe('CAKEY_TOKEN_REMOVED')
      expect((await p.tokens()).map((t) => t.id)).not.toContain('skf/LINA-KEY')
    } finally {
      store.insert('LINA-KEY')
      store.setConf('LINA-KEY', 'sign_delay_ms', 0)
      await p.close()
    }
  })

  it('a key whose certificate is garbage is listed, not crashed on', async () => {
    store.add({
      name: 'JUNK',
      certificate: Uint8Array.of(0x30, 0x82, 0x7f, 0xff, 0, 1),
      privateKeyPem: sm2Pkcs8Pem(lina.sm2!),
    })
    const p = provider()
    await p.open()
    try {
      const [key] = await p.keys('skf/JUNK')
      expect(key?.certificate.length).toBe(6)
    } finally {
      await p.close()
      store.remove('JUNK')
    }
  })
})

describe('a production core with the SKF library configured', () => {
  let core: Core
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skf-core-'))
    writeFileSync(join(dir, 'roots.pem'), toPem(ca.der))
    writeFileSync(
      join(dir, 'roster.json'),
      JSON.stringify({
        version: '1',
        staff: [{ name: '李娜', idNumber: '410105198806120029', role: 'supervisor' }],
      }),
    )
    const config = productionConfig('ZZ-JS-03', {
      cakey: {
        providers: [{ kind: 'skf', id: 'hnca', label: '测试 CA', library, events: 'poll' }],
        pollIntervalMs: 200,
      },
      pki: { roots: [join(dir, 'roots.pem')] },
      auth: { roster: { file: join(dir, 'roster.json') } },
    })
    core = await createCore({
      config,
      dataDir: dir,
      resourcesDir: join(root, 'resources'),
      version: 'sys',
      logger: silentLogger,
    })
    await core.start()
  })
  afterAll(async () => {
    await core?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('signs the clerk in with the PIN and locks when the key is pulled out', async () => {
    await until(async () => {
      const r = (await core.dispatch('auth.keys', [])) as { ok: boolean; value?: unknown[] }
      return r.ok && (r.value?.length ?? 0) >= 2
    })
    const keys = (await core.dispatch('auth.keys', [])) as {
      ok: true
      value: { tokenId: string; use: string }[]
    }
    expect(keys.value.find((k) => k.tokenId === 'hnca/LINA-KEY')?.use).toBe('staff')
    expect(keys.value.find((k) => k.tokenId === 'hnca/ENT-KEY')?.use).toBe('enterprise')
    expect(await core.dispatch('auth.signIn', ['hnca/LINA-KEY', '123456'])).toMatchObject({
      ok: true,
      value: {
        status: 'signed-in',
        staff: {
          name: '李娜',
          role: 'supervisor',
          offlineReasons: ['crl-missing'],
          revocation: 'unchecked',
        },
      },
    })
    store.remove('LINA-KEY')
    await until(
      async () =>
        ((await core.dispatch('auth.state', [])) as { value: { status: string } }).value.status ===
        'locked',
    )
    expect(await core.dispatch('auth.state', [])).toMatchObject({
      ok: true,
      value: { status: 'locked', lockReason: 'key-removed' },
    })
    store.insert('LINA-KEY')
    await until(async () => {
      const r = (await core.dispatch('auth.keys', [])) as { value: { tokenId: string }[] }
      return r.value.some((k) => k.tokenId === 'hnca/LINA-KEY')
    })
    expect(await core.dispatch('auth.unlock', ['123456'])).toMatchObject({
      ok: true,
      value: { status: 'signed-in' },
    })
  })

  it('a status-bar device reports the library', async () => {
    const status = (await core.dispatch('app.status', [])) as {
      ok: true
      value: { devices: { id: string; state: string }[] }
    }
    expect(status.value.devices.find((d) => d.id === 'cakey-hnca')?.state).toBe('ready')
  })
})

describe('a library that is not there', () => {
  it('is CAKEY_LIBRARY_LOAD_FAILED, not a crash', () => {
    expect(() => loadSkfLibrary({ library: join(tmpdir(), 'no-such-skf.so') })).toThrow(
      expect.objectContaining({ code: 'CAKEY_LIBRARY_LOAD_FAILED' }),
    )
  })
})
