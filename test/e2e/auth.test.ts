/**
 * Staff sign-in as the clerk lives it, in real Chromium against the real core with the simulated
 * CA keys: the PIN screen, a wrong PIN with the attempts left, the lock (hotkey, key pulled out)
 * and unlocking with the same key, PIN lockout, and an enterprise applicant identified by its key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { parseConfig, trainingConfig } from '../../src/main/config'
import { toPem } from '../../src/main/pki'
import { sm2Ca, sm2Pkcs8Pem, staffSubject } from '../fixtures/pki/test-pki'
import { productionConfig } from '../fixtures/pki/production-config'
import { buildSkfLibrary, SkfStore } from '../fixtures/skf/store'
import { launchApp, launchBrowser } from './harness'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** expect.poll with room for a shared, busy machine. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 50 })

const requireSignIn = () => parseConfig({ ...trainingConfig(), auth: { autoSignIn: false } })

async function typePin(page: Page, testId: string, pin: string) {
  await page.getByTestId(`${testId}-pin`).fill(pin)
  await page.keyboard.press('Enter')
}

describe('staff sign-in', () => {
  it('signs in with the PIN, says how many attempts are left, locks and unlocks with the same key', async () => {
    const app = await launchApp(browser, { config: requireSignIn() })
    const { page } = app
    try {
      await poll(() => page.getByTestId('sign-in').isVisible()).toBe(true)
      // The counter is not reachable before sign-in.
      expect(await page.getByTestId('holder-panel').count()).toBe(0)
      const key = page.locator('[data-testid="key"][data-token="sim/staff-trainee"]')
      await poll(() => key.getAttribute('aria-selected')).toBe('true')
      expect(await key.textContent()).toContain('培训学员')
      expect(await key.textContent()).toContain('410100********0016')
      expect(await key.getByTestId('key-pin').textContent()).toBe('还可尝试 6 次（共 6 次）')
      // The cursor is in the PIN field already.
      await poll(() =>
        page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      ).toBe('sign-in-pin')
      await app.screenshot('auth-01-sign-in')

      await typePin(page, 'sign-in', '000000')
      await poll(() => page.getByTestId('sign-in-error').textContent()).toContain(
        'PIN 码错误，还可尝试 5 次',
      )
      expect(await page.getByTestId('sign-in-pin').inputValue()).toBe('')
      await poll(() => key.getByTestId('key-pin').textContent()).toBe('还可尝试 5 次（共 6 次）')
      await app.screenshot('auth-02-wrong-pin')

      await typePin(page, 'sign-in', '123456')
      await poll(() => page.getByTestId('holder-panel').isVisible()).toBe(true)
      expect(await page.getByTestId('staff-name').textContent()).toBe('培训学员')
      expect(await page.getByTestId('staff-role').textContent()).toBe('窗口人员')
      // The training CA's CRL is on this terminal: revocation was checked, nothing to flag.
      expect(await page.getByTestId('staff-crl-missing').count()).toBe(0)
      // A clerk sees no supervisor or administrator tabs.
      expect(await page.getByTestId('nav-audit').count()).toBe(0)

      // F10 locks; the applicant view is gone until the same key and PIN unlock it.
      await page.keyboard.press('F10')
      await poll(() => page.getByTestId('lock-screen').isVisible()).toBe(true)
      expect(await page.getByTestId('lock-reason').textContent()).toBe('已手动锁定')
      expect(await page.getByTestId('holder-panel').count()).toBe(0)
      await typePin(page, 'unlock', '999999')
      await poll(() => page.getByTestId('unlock-error').textContent()).toContain('还可尝试 5 次')
      await typePin(page, 'unlock', '123456')
      await poll(() => page.getByTestId('holder-panel').isVisible()).toBe(true)

      // Pulling the key out locks at once; unlocking needs that key back in.
      await page.getByTestId('training-cakey-select').selectOption('staff-trainee')
      await page.getByTestId('training-cakey-toggle').click()
      await poll(() => page.getByTestId('lock-screen').getAttribute('data-reason')).toBe(
        'key-removed',
      )
      expect(await page.getByTestId('lock-reason').textContent()).toBe('证书已拔出')
      await poll(() => page.getByTestId('lock-key-state').textContent()).toBe('未插入该证书')
      await app.screenshot('auth-03-locked-key-removed')
      await typePin(page, 'unlock', '123456')
      await poll(() => page.getByTestId('unlock-error').getAttribute('data-code')).toBe(
        'AUTH_WRONG_KEY',
      )
      await app.core.dispatch('cakey.trainingInsert', ['staff-trainee'])
      await poll(() => page.getByTestId('lock-key-state').textContent()).toBe('证书已插入')
      await typePin(page, 'unlock', '123456')
      await poll(() => page.getByTestId('staff-badge').isVisible()).toBe(true)
      expect(await page.getByTestId('lock-screen').count()).toBe(0)
    } finally {
      await app.close()
    }
  })

  it('a PIN entered wrong until the key locks: warned before the last try, then refused', async () => {
    const app = await launchApp(browser, { config: requireSignIn() })
    const { page } = app
    try {
      await poll(() => page.getByTestId('sign-in').isVisible()).toBe(true)
      for (let left = 5; left >= 1; left--) {
        await typePin(page, 'sign-in', '111111')
        await poll(() => page.getByTestId('sign-in-error').textContent()).toContain(
          `还可尝试 ${left} 次`,
        )
      }
      await poll(() => page.getByTestId('final-try').isVisible()).toBe(true)
      await app.screenshot('auth-04-final-try')
      await typePin(page, 'sign-in', '111111')
      await poll(() => page.getByTestId('sign-in-error').textContent()).toContain(
        '证书 PIN 码已锁定',
      )
      await poll(() =>
        page.locator('[data-testid="key"] [data-testid="key-pin"]').textContent(),
      ).toBe('PIN 码已锁定')
      expect(await page.getByTestId('sign-in-pin').isDisabled()).toBe(true)
      await app.screenshot('auth-05-pin-locked')
      expect(await app.core.dispatch('auth.signIn', ['sim/staff-trainee', '123456'])).toMatchObject(
        {
          ok: false,
          error: { code: 'CAKEY_PIN_LOCKED' },
        },
      )
    } finally {
      await app.close()
    }
  })
})

describe('enterprise applicants', () => {
  it('an enterprise CA key identifies the applicant and its licences are listed', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      // Training mode: the trainee is signed in without a PIN prompt.
      await poll(() => page.getByTestId('staff-name').textContent()).toBe('培训学员')
      await poll(() => page.getByTestId('training-cakey-select').isVisible()).toBe(true)
      await page.getByTestId('training-cakey-select').selectOption('enterprise-xinyuan')
      await page.keyboard.press('F4')
      await poll(() => page.getByTestId('holder-name').textContent()).toBe(
        '郑州市金水区鑫源餐饮管理有限公司',
      )
      expect(await page.getByTestId('holder-uscc').textContent()).toBe('91410105MA44K7QX15')
      expect(await page.getByTestId('holder-revocation').getAttribute('data-state')).toBe('good')
      await page.getByTestId('matter-search').fill('食品经营许可（延续）')
      await page.keyboard.press('Enter')
      await poll(() => page.getByTestId('licence-list').getAttribute('data-state')).toBe('loaded')
      const types = await page.locator('[data-testid="licence-row"] td.type').allTextContents()
      expect(types.sort()).toEqual(['营业执照', '食品经营许可证'])
      await app.screenshot('auth-06-enterprise-applicant')

      // A revoked enterprise certificate identifies nobody: the clerk reads why.
      await page.getByTestId('training-cakey-select').selectOption('enterprise-laowang-revoked')
      await page.keyboard.press('F4')
      await poll(() => page.getByTestId('holder-panel').textContent()).toContain('尚未识别办事人')
      await poll(() => page.locator('body').textContent()).toContain('证书已于 2026-06-01 被吊销')
      await app.screenshot('auth-07-revoked-enterprise-key')
    } finally {
      await app.close()
    }
  })
})

describe('production set-up problems the sign-in screen explains', () => {
  const production = (cakey: unknown) => productionConfig('ZZ-JS-09', { cakey })

  it('no CA-key driver configured, or one that will not load', async () => {
    const none = await launchApp(browser, { config: production({ providers: [] }) })
    try {
      await poll(() => none.page.getByTestId('no-provider').isVisible()).toBe(true)
      expect(await none.page.getByTestId('no-keys').textContent()).toContain('未检测到 CA 证书')
    } finally {
      await none.close()
    }
    const broken = await launchApp(browser, {
      config: production({
        providers: [{ kind: 'skf', label: '某CA', library: '/nonexistent/skf.so' }],
      }),
    })
    try {
      await poll(() => broken.page.getByTestId('provider-error').textContent()).toContain(
        'CA 证书（某CA）无法使用：无法加载 CA 证书驱动',
      )
      expect(await broken.page.getByTestId('device-banner').textContent()).toContain(
        'CA 证书（某CA）的驱动无法加载',
      )
      await broken.screenshot('auth-08-driver-missing')
    } finally {
      await broken.close()
    }
  })
})

describe('a CA whose revocation list this terminal does not have', () => {
  it('signs the clerk in, and the badge says revocation was not checked', async () => {
    const library = buildSkfLibrary()
    const store = new SkfStore().activate()
    const dir = mkdtempSync(join(tmpdir(), 'e2e-no-crl-'))
    const ca = sm2Ca()
    const lina = ca.issue({
      subject: staffSubject('李娜', '410105198806120029'),
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
    })
    store.add({
      name: 'LINA-KEY',
      label: '李娜的证书',
      certificate: lina.der,
      privateKeyPem: sm2Pkcs8Pem(lina.sm2!),
    })
    writeFileSync(join(dir, 'roots.pem'), toPem(ca.der))
    writeFileSync(
      join(dir, 'roster.json'),
      JSON.stringify({
        version: '1',
        staff: [{ name: '李娜', idNumber: '410105198806120029', role: 'clerk' }],
      }),
    )
    // An administrator set up the roots but no CRL folder; requireCrl is left at its default.
    const config = productionConfig('ZZ-JS-10', {
      cakey: {
        providers: [{ kind: 'skf', id: 'hnca', label: '测试 CA', library, events: 'poll' }],
        pollIntervalMs: 200,
      },
      pki: { roots: [join(dir, 'roots.pem')] },
      auth: { roster: { file: join(dir, 'roster.json') } },
    })
    const app = await launchApp(browser, { config })
    const { page } = app
    try {
      const key = page.locator('[data-testid="key"][data-token="hnca/LINA-KEY"]')
      await poll(() => key.getAttribute('aria-selected')).toBe('true')
      await typePin(page, 'sign-in', '123456')
      await poll(() => page.getByTestId('staff-name').textContent()).toBe('李娜')
      const flag = page.getByTestId('staff-crl-missing')
      expect(await flag.textContent()).toBe('未检查吊销（无 CRL）')
      expect(await flag.getAttribute('title')).toContain('pki.crlDir')
      await app.screenshot('auth-09-revocation-unchecked')
    } finally {
      await app.close()
      store.cleanup()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
