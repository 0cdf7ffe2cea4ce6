/**
 * PKCS#11 through SoftHSM2, a real token: initialised with softhsm2-util, keys and certificates
 * written by the administrator's tools, then read without a PIN, logged into, and signing ECDSA
 * P-256 and RSA — each signature verified against the certificate. SoftHSM never locks its PIN,
 * so the terminal counts wrong PINs itself and shows "还可尝试 N 次" from its own count.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/main/config'
import { createCore, type Core } from '../../../src/main/core'
import { Pkcs11Provider } from '../../../src/main/devices'
import { silentLogger } from '../../../src/main/log'
import { parseCertificate, toPem, verifySignature } from '../../../src/main/pki'
import { p256Ca, pkcs8Pem, staffSubject } from '../../fixtures/pki/test-pki'
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
      expect(await p.pinStatus(wang.id, '01')).toEqual({ locked: false, finalTry: false })
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
    const config = parseConfig({
      mode: 'production',
      terminal: {
        id: 'ZZ-JS-04',
        unitName: '测试单位',
        unitCode: '11410105MB1613052U',
        region: '410105',
      },
      library: {
        baseUrl: 'http://127.0.0.1:9/api',
        auth: { kind: 'token', accessId: 'a', token: 't' },
      },
      devices: { idcard: { kind: 'none' } },
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
