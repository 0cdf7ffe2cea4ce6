/**
 * PKCS#11 through SoftHSM2, a real token: initialised with softhsm2-util, keys and certificates
 * written by the administrator's tools, then read without a PIN, logged into, and signing ECDSA
 * P-256 and RSA — each signature verified against the certificate. SoftHSM never locks its PIN,
 * so the terminal counts wrong PINs itself and shows "还可尝试 N 次" from its own count, capped by
 * the flags a vendor token raises (count low, final try, locked). A module that does not log out
 * answers CKR_USER_ALREADY_LOGGED_IN without looking at the PIN: that is never a right PIN.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthService } from '../../../src/main/auth'
import { createCore, type Core } from '../../../src/main/core'
import { loadPkcs11Module, Pkcs11Provider, type Pkcs11Module } from '../../../src/main/devices'
import { silentLogger } from '../../../src/main/log'
import { parseCertificate, toPem, verifySignature } from '../../../src/main/pki'
import { p256Ca, pkcs8Pem, staffSubject } from '../../fixtures/pki/test-pki'
import { productionConfig } from '../../fixtures/pki/production-config'
import { startAuthStack } from '../../unit/main/auth/env'
import { createSoftHsm, type SoftHsm } from './softhsm'

const root = resolve(import.meta.dirname, '../../..')
const ca = p256Ca()
const valid = {
  notBefore: new Date(Date.now() - 86_400_000),
  notAfter: new Date(Date.now() + 365 * 86_400_000),
}
const ecc = ca.issue({ subject: staffSubject('王磊', '410102199001204511'), key: 'p256', ...valid })
const rsa = ca.issue({
  subject: staffSubject('李秀兰', '410203196211031020'),
  key: 'rsa',
  ...valid,
})

let hsm: SoftHsm
beforeAll(() => {
  hsm = createSoftHsm()
  hsm.initToken('wang', '246810')
  hsm.importKey('wang', '246810', '01', pkcs8Pem(ecc.software!), ecc.der)
  hsm.initToken('li', '135790')
  hsm.importKey('li', '135790', 'a1', pkcs8Pem(rsa.software!), rsa.der)
})
afterAll(() => hsm?.cleanup())

const code = async (p: Promise<unknown>) => {
  try {
    await p
    return 'resolved'
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}

describe('SoftHSM2 through koffi', () => {
  it('lists initialised tokens and reads their certificates without a PIN', async () => {
    const p = new Pkcs11Provider({ id: 'hsm', label: 'SoftHSM', module: hsm.module })
    await p.open()
    try {
      const tokens = await p.tokens()
      expect(tokens.map((t) => t.label).sort()).toEqual(['li', 'wang'])
      const wang = tokens.find((t) => t.label === 'wang')!
      expect(wang.manufacturer).toBe('SoftHSM project')
      const keys = await p.keys(wang.id)
      expect(keys).toHaveLength(1)
      expect(keys[0]!.ref).toBe('01')
      expect(parseCertificate(keys[0]!.certificate).sha256).toBe(ecc.cert.sha256)
      expect(await p.pinStatus(wang.id, '01')).toEqual({
        locked: false,
        finalTry: false,
        countLow: false,
      })
    } finally {
      await p.close()
    }
  })

  it.each([
    ['wang', '246810', '01', 'ecdsa-sha256', () => ecc.cert],
    ['li', '135790', 'a1', 'rsa-sha256', () => rsa.cert],
  ] as const)(
    '%s: the PIN opens the key, which signs %s; the certificate verifies it',
    async (label, pin, ref, algorithm, cert) => {
      const p = new Pkcs11Provider({ id: 'hsm', label: 'SoftHSM', module: hsm.module })
      await p.open()
      try {
        const token = (await p.tokens()).find((t) => t.label === label)!
        expect(await code(p.login(token.id, ref, '000000'))).toBe('CAKEY_PIN_INCORRECT_UNCOUNTED')
        const session = await p.login(token.id, ref, pin)
        const message = new TextEncoder().encode('CounterDesk staff sign-in')
        const signature = await session.sign({
          keyRef: ref,
          algorithm,
          message,
          publicKey: cert().publicKey.key,
        })
        expect(verifySignature(algorithm, cert().publicKey, message, signature)).toBe(true)
        expect(verifySignature(algorithm, cert().publicKey, Uint8Array.of(1), signature)).toBe(
          false,
        )
        // An SM2 request on a token without an SM2 mechanism is refused plainly.
        expect(
          await code(
            session.sign({
              keyRef: ref,
              algorithm: 'sm2-sm3',
              message,
              publicKey: cert().publicKey.key,
            }),
          ),
        ).toBe('CAKEY_UNSUPPORTED_KEY')
        await session.logout()
      } finally {
        await p.close()
      }
    },
  )
})

/** SoftHSM2 behind a vendor's quirks: C_Logout that does nothing, PIN flags the token raises. */
function quirkyModule(options: { logoutIgnored?: boolean; flags?: () => number }) {
  const real = loadPkcs11Module(hsm.module)
  const module: Pkcs11Module = {
    ...real,
    logout: async (session) => (options.logoutIgnored ? 0 : real.logout(session)),
    tokenInfo: async (slot) => {
      const info = await real.tokenInfo(slot)
      return { ...info, flags: info.flags | (options.flags?.() ?? 0) }
    },
  }
  return module
}

const CKF_USER_PIN_COUNT_LOW = 0x10000
const CKF_USER_PIN_FINAL_TRY = 0x20000
const CKF_USER_PIN_LOCKED = 0x40000

describe('a module that stays logged in after C_Logout', () => {
  it('CKR_USER_ALREADY_LOGGED_IN is refused: a wrong PIN never opens the key', async () => {
    const p = new Pkcs11Provider({
      id: 'hsm',
      label: 'SoftHSM',
      module: hsm.module,
      load: () => quirkyModule({ logoutIgnored: true }),
    })
    await p.open()
    try {
      const token = (await p.tokens()).find((t) => t.label === 'wang')!
      // Someone logged the token in (another session of this process), and it stays so.
      const first = await p.login(token.id, '01', '246810')
      expect(await code(p.login(token.id, '01', '000000'))).toBe('CAKEY_PIN_NOT_VERIFIED')
      // Not even the right PIN is taken as checked while the module has not looked at it.
      expect(await code(p.login(token.id, '01', '246810'))).toBe('CAKEY_PIN_NOT_VERIFIED')
      await first.logout()
    } finally {
      await p.close()
    }
  })
})

describe('PIN flags of a token that does not count aloud', () => {
  let flags = 0
  let service: AuthService
  let stop: () => Promise<void>
  beforeAll(async () => {
    const provider = new Pkcs11Provider({
      id: 'hsm',
      label: 'SoftHSM',
      module: hsm.module,
      load: () => quirkyModule({ flags: () => flags }),
    })
    const stack = await startAuthStack({
      providers: [provider],
      ca,
      crl: ca.crl([], {
        thisUpdate: new Date(Date.now() - 3600_000),
        nextUpdate: new Date(Date.now() + 86_400_000),
      }),
      roster: {
        timeoutMs: 1000,
        builtIn: {
          version: 't',
          staff: [{ name: '王磊', idNumber: '410102199001204511', role: 'clerk' }],
        },
      },
      pinAttempts: 5,
      terminalId: 'SYS-01',
    })
    service = stack.service
    for (let i = 0; i < 500 && stack.keys.tokens().length < 2; i++)
      await new Promise((r) => setTimeout(r, 10))
    stop = () => stack.close()
  })
  afterAll(() => stop?.())

  const wangKey = async () => (await service.keyViews()).find((k) => k.holder?.name === '王磊')!
  const message = async (pin: string) => {
    try {
      await service.signIn((await wangKey()).tokenId, pin)
      service.signOut()
      return 'signed in'
    } catch (e) {
      return (e as Error).message
    }
  }

  it('shows this terminal’s count while the token raises no flag', async () => {
    flags = 0
    expect((await wangKey()).pin).toEqual({ locked: false, remaining: 5 })
  })

  it('COUNT_LOW: a wrong PIN was typed elsewhere, so not every attempt is left', async () => {
    flags = CKF_USER_PIN_COUNT_LOW
    expect((await wangKey()).pin).toEqual({ locked: false, remaining: 4, countLow: true })
    expect(await message('111111')).toBe('PIN 码错误，还可尝试 4 次')
  })

  it('FINAL_TRY: one attempt is shown whatever this terminal counted', async () => {
    flags = CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW
    expect((await wangKey()).pin).toMatchObject({ locked: false, remaining: 1 })
    expect(await message('111111')).toBe('PIN 码错误，还可尝试 1 次')
  })

  it('LOCKED: refused before the PIN is tried', async () => {
    flags = CKF_USER_PIN_LOCKED
    expect((await wangKey()).pin).toMatchObject({ locked: true, remaining: 0 })
    expect(await message('246810')).toBe('证书 PIN 码已锁定')
  })

  it('the right PIN with no flag signs in', async () => {
    flags = 0
    expect(await message('246810')).toBe('signed in')
  })
})

describe('a production core with SoftHSM2 as the staff keys', () => {
  let core: Core
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p11-core-'))
    writeFileSync(join(dir, 'roots.pem'), toPem(ca.der))
    writeFileSync(
      join(dir, 'roster.json'),
      JSON.stringify({
        version: '1',
        staff: [
          {
            name: '王磊',
            idNumber: '410102199001204511',
            role: 'administrator',
            certificates: [ecc.cert.sha256],
          },
        ],
      }),
    )
    writeFileSync(
      join(dir, 'ca.crl'),
      ca.crl([], {
        thisUpdate: new Date(Date.now() - 3600_000),
        nextUpdate: new Date(Date.now() + 7 * 86_400_000),
      }),
    )
    const config = productionConfig('ZZ-JS-04', {
      cakey: {
        providers: [{ kind: 'pkcs11', id: 'hsm', label: 'SoftHSM', module: hsm.module }],
        pollIntervalMs: 300,
      },
      pki: { roots: [join(dir, 'roots.pem')], crlDir: dir, requireCrl: true },
      auth: { roster: { file: join(dir, 'roster.json') }, pinAttempts: 3 },
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

  it('counts wrong PINs itself, says how many are left, and refuses the key after the last', async () => {
    const keys = (await core.dispatch('auth.keys', [])) as {
      ok: true
      value: { tokenId: string; use: string; pin: unknown; problem: { code: string } | null }[]
    }
    const wang = keys.value.find((k) => k.use === 'staff')!
    expect(wang.pin).toEqual({ locked: false, remaining: 3 })
    // The RSA key's holder is not on the roster.
    expect(keys.value.find((k) => k.tokenId !== wang.tokenId)?.problem?.code).toBe(
      'AUTH_NOT_IN_ROSTER',
    )
    expect(await core.dispatch('auth.signIn', [wang.tokenId, '111111'])).toMatchObject({
      ok: false,
      error: { message: 'PIN 码错误，还可尝试 2 次' },
    })
    expect(await core.dispatch('auth.signIn', [wang.tokenId, '111111'])).toMatchObject({
      ok: false,
      error: { message: 'PIN 码错误，还可尝试 1 次' },
    })
    expect(await core.dispatch('auth.signIn', [wang.tokenId, '111111'])).toMatchObject({
      ok: false,
      error: { code: 'CAKEY_SOFT_LOCKED' },
    })
    // Even the right PIN is not tried while the key is refused here.
    expect(await core.dispatch('auth.signIn', [wang.tokenId, '246810'])).toMatchObject({
      ok: false,
      error: { code: 'CAKEY_SOFT_LOCKED' },
    })
    core.db.prepare('DELETE FROM auth_pin_failures').run()
    expect(await core.dispatch('auth.signIn', [wang.tokenId, '246810'])).toMatchObject({
      ok: true,
      value: {
        status: 'signed-in',
        staff: { name: '王磊', role: 'administrator', offline: false, offlineReasons: [] },
      },
    })
  })
})
