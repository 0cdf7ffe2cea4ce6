/**
 * Staff sign-in end to end over the real SKF provider and simulated keys: the challenge signed
 * on the key and verified against the certificate, roles from the roster, PIN retries and
 * lockout, every certificate failure refused before the PIN is spent, the lock on key removal,
 * idle time and the hotkey, and unlocking only with the same key.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { day, enterpriseSubject, NOW, sm2Ca, staffSubject } from '../../../fixtures/pki/test-pki'
import { authEnv, codeOf, LINA, WANG, type Env } from './env'

let env: Env | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

async function start(options?: Parameters<typeof authEnv>[0]) {
  env = await authEnv(options)
  return env
}

describe('signing in', () => {
  it('signs in with the PIN: role from the roster, identity from the certificate', async () => {
    const e = await start()
    await e.insert('wang')
    const state = await e.service.signIn('sim/wang', '123456')
    expect(state).toMatchObject({
      status: 'signed-in',
      staff: {
        name: WANG.name,
        role: 'supervisor',
        idNumberMasked: '410102********4511',
        offline: false,
      },
    })
    expect(e.staff.current()).toMatchObject({
      code: WANG.id,
      role: 'supervisor',
      tokenId: 'sim/wang',
    })
    expect(e.staff.current()?.certificate?.sha256).toBe(e.issued.wang!.cert.sha256)
    expect(e.states.at(-1)?.status).toBe('signed-in')
  })

  it('a wrong PIN says how many attempts are left, and the last one locks the key for good', async () => {
    const e = await start()
    await e.insert('lina')
    const err = (pin: string): Promise<{ code?: string; message?: string }> =>
      e.service.signIn('sim/lina', pin).then(
        () => ({}),
        (x: unknown) => x as { code: string; message: string },
      )
    expect(await err('111111')).toMatchObject({
      code: 'CAKEY_PIN_INCORRECT',
      message: 'PIN 码错误，还可尝试 2 次',
    })
    expect(await err('222222')).toMatchObject({ message: 'PIN 码错误，还可尝试 1 次' })
    expect((await err('333333')).code).toBe('CAKEY_PIN_LOCKED')
    // Locked: even the right PIN is not tried (the token would refuse it anyway).
    expect((await err('123456')).code).toBe('CAKEY_PIN_LOCKED')
    expect(e.staff.current()).toBeNull()
    const [view] = await e.service.keyViews()
    expect(view?.pin).toMatchObject({ locked: true, remaining: 0 })
  })

  it('a right PIN after a wrong one resets the count', async () => {
    const e = await start()
    await e.insert('lina')
    expect(await codeOf(e.service.signIn('sim/lina', '000000'))).toBe('CAKEY_PIN_INCORRECT')
    await e.service.signIn('sim/lina', '123456')
    expect((await e.service.keyViews())[0]?.pin).toMatchObject({ remaining: 3 })
  })

  it('refuses before the PIN: not on the roster, an enterprise key, expired, revoked, unknown issuer', async () => {
    const stranger = { id: 'stranger', subject: staffSubject('陌生人', '11010519491231002X') }
    const expired = {
      id: 'expired',
      subject: staffSubject(LINA.name, LINA.id),
      leaf: {
        notBefore: new Date(NOW.getTime() - 900 * day),
        notAfter: new Date(NOW.getTime() - day),
      },
    }
    const foreign = {
      id: 'foreign',
      subject: staffSubject(LINA.name, LINA.id),
      ca: sm2Ca('他处 CA'),
    }
    const e = await start({
      keys: [
        stranger,
        { id: 'ent', subject: enterpriseSubject('某公司'), leaf: { extensions: [] } },
        expired,
        foreign,
        { id: 'revoked', subject: staffSubject(LINA.name, LINA.id), leaf: { serial: 0x777n } },
      ],
    })
    e.trust.importCrl(
      e.ca.crl([{ serial: 0x777n }], {
        crlNumber: 2n,
        thisUpdate: new Date(NOW.getTime() - day / 2),
      }),
      'test',
    )
    // `ent` names no USCC in a recognised place: a problem, not an enterprise.
    const cases: [string, string][] = [
      ['stranger', 'AUTH_NOT_IN_ROSTER'],
      ['ent', 'CERT_NO_IDENTITY'],
      ['expired', 'CERT_EXPIRED'],
      ['foreign', 'CERT_UNKNOWN_ISSUER'],
      ['revoked', 'CERT_REVOKED'],
    ]
    for (const [id, code] of cases) {
      await e.insert(id)
      expect(await codeOf(e.service.signIn(`sim/${id}`, '000000')), id).toBe(code)
      // No PIN attempt was spent.
      const view = (await e.service.keyViews()).find((v) => v.tokenId === `sim/${id}`)
      if (view?.pin) expect(view.pin.remaining).toBe(3)
    }
    expect(e.staff.current()).toBeNull()
  })

  it('an enterprise key cannot sign staff in', async () => {
    const e = await start()
    await e.insert('xinyuan')
    expect(await codeOf(e.service.signIn('sim/xinyuan', '123456'))).toBe('AUTH_ENTERPRISE_KEY')
  })

  it('a clerk whose personal certificate also carries the unit’s USCC signs in as that clerk', async () => {
    const UNIT_USCC = '11410105MB1613052U'
    const e = await start({
      keys: [
        {
          id: 'employee',
          // The unit's USCC comes first, in OU, as many CAs write their employees' certificates.
          subject: [
            ['C', 'CN'],
            ['O', '郑州市金水区政务服务中心'],
            ['OU', UNIT_USCC],
            ['CN', `${LINA.name}@${LINA.id}`],
          ],
        },
      ],
    })
    await e.insert('employee')
    const [view] = await e.service.keyViews()
    expect(view).toMatchObject({
      use: 'staff',
      problem: null,
      holder: {
        kind: 'person',
        name: LINA.name,
        organization: { name: '郑州市金水区政务服务中心', uscc: UNIT_USCC },
      },
    })
    const state = await e.service.signIn('sim/employee', '123456')
    expect(state).toMatchObject({ status: 'signed-in', staff: { name: LINA.name, role: 'clerk' } })
    expect(e.staff.current()?.code).toBe(LINA.id)
  })

  it('a key whose private key does not match its certificate fails the challenge', async () => {
    const e = await start({
      keys: [{ id: 'odd', subject: staffSubject(LINA.name, LINA.id), mismatched: true }],
    })
    await e.insert('odd')
    expect(await codeOf(e.service.signIn('sim/odd', '123456'))).toBe('AUTH_CHALLENGE_FAILED')
    expect(e.staff.current()).toBeNull()
  })

  it('a garbage certificate on the key is reported and signs nobody in', async () => {
    const e = await start({
      keys: [{ id: 'junk', garbage: Uint8Array.of(0x30, 0x82, 0xff, 0xff, 1, 2, 3) }],
    })
    await e.insert('junk')
    expect(await codeOf(e.service.signIn('sim/junk', '123456'))).toBe('CERT_MALFORMED')
    const [view] = await e.service.keyViews()
    expect(view).toMatchObject({
      use: 'unknown',
      holder: null,
      problem: { code: 'CERT_MALFORMED' },
    })
  })

  it('a key pulled out mid-signature signs nobody in', async () => {
    const e = await start()
    await e.insert('lina')
    e.sim.signDelayMs = 150
    const attempt = e.service.signIn('sim/lina', '123456')
    setTimeout(() => e.sim.remove('lina'), 60)
    expect(await codeOf(attempt)).toBe('CAKEY_TOKEN_REMOVED')
    expect(e.staff.current()).toBeNull()
    // Back in, it works.
    e.sim.signDelayMs = 0
    await e.insert('lina')
    expect((await e.service.signIn('sim/lina', '123456')).status).toBe('signed-in')
  })

  it('one sign-in at a time', async () => {
    const e = await start()
    await e.insert('lina')
    e.sim.signDelayMs = 50
    const first = e.service.signIn('sim/lina', '123456')
    expect(await codeOf(e.service.signIn('sim/lina', '123456'))).toBe('AUTH_BUSY')
    await first
  })
})

describe('the lock', () => {
  async function signedIn() {
    const e = await start()
    await e.insert('lina')
    await e.insert('wang')
    await e.service.signIn('sim/lina', '123456')
    return e
  }

  it('pulling the signed-in key out locks the window; nobody is current until unlocked', async () => {
    const e = await signedIn()
    await e.remove('lina')
    expect(e.service.state()).toMatchObject({
      status: 'locked',
      lockReason: 'key-removed',
      staff: { name: LINA.name },
    })
    expect(e.staff.current()).toBeNull()
    // Another key does not unlock it.
    expect(await codeOf(e.service.unlock('123456'))).toBe('AUTH_WRONG_KEY')
    await e.insert('lina')
    expect(await codeOf(e.service.unlock('654321'))).toBe('CAKEY_PIN_INCORRECT')
    expect(e.service.state().status).toBe('locked')
    expect((await e.service.unlock('123456')).status).toBe('signed-in')
    expect(e.staff.current()?.code).toBe(LINA.id)
  })

  it('pulling out some other key does not lock', async () => {
    const e = await signedIn()
    await e.remove('wang')
    expect(e.service.state().status).toBe('signed-in')
  })

  it('locks after the idle time and on the hotkey; signing out clears everything', async () => {
    const e = await signedIn()
    e.service.systemIdle(9 * 60)
    expect(e.service.state().status).toBe('signed-in')
    e.service.systemIdle(10 * 60)
    expect(e.service.state()).toMatchObject({ status: 'locked', lockReason: 'idle' })
    await e.service.unlock('123456')
    expect(e.service.lock('hotkey')).toMatchObject({ status: 'locked', lockReason: 'hotkey' })
    expect(await codeOf(e.service.signIn('sim/wang', '123456'))).toBe('AUTH_LOCKED')
    expect(e.service.signOut()).toMatchObject({ status: 'signed-out', staff: null })
    expect(e.signedOut.count).toBe(1)
    expect((await e.service.signIn('sim/wang', '123456')).staff?.name).toBe(WANG.name)
  })
})

describe('offline', () => {
  it('a CRL past its next update still signs in, flagged offline', async () => {
    const e = await start({ crl: 'stale' })
    await e.insert('lina')
    expect((await e.service.signIn('sim/lina', '123456')).staff).toMatchObject({
      offline: true,
      offlineReasons: ['crl-stale'],
      revocation: 'stale',
    })
  })

  it('a current CRL: revocation checked, nothing flagged', async () => {
    const e = await start()
    await e.insert('lina')
    expect((await e.service.signIn('sim/lina', '123456')).staff).toMatchObject({
      offline: false,
      offlineReasons: [],
      revocation: 'good',
    })
  })

  it('without any CRL the sign-in result flags that revocation was not checked', async () => {
    const e = await start({ crl: 'none' })
    await e.insert('lina')
    const state = await e.service.signIn('sim/lina', '123456')
    expect(state.staff).toMatchObject({
      offline: false,
      offlineReasons: ['crl-missing'],
      revocation: 'unchecked',
    })
    // The flag stays for the session: also in the state the badge reads later.
    expect(e.service.state().staff?.revocation).toBe('unchecked')
  })

  it('`requireCrl`: without a CRL nobody signs in, and no PIN attempt is spent', async () => {
    const e = await start({ crl: 'none', requireCrl: true })
    await e.insert('lina')
    expect(await codeOf(e.service.signIn('sim/lina', '000000'))).toBe('CERT_CRL_MISSING')
    expect((await e.service.keyViews())[0]?.pin).toMatchObject({ remaining: 3 })
    expect(e.staff.current()).toBeNull()
  })
})
