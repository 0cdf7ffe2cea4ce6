/**
 * What only supervisors and administrators do with licences, in Chromium against a real core:
 * typing a holder in by hand (with the reason, on record), reading, verifying and exporting the
 * access log, and editing the matter catalogue. A clerk is offered none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { HOLDERS } from '../../src/main/training'
import { launchApp, launchBrowser, type AppUnderTest } from './harness'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

async function call<T>(app: AppUnderTest, method: string, ...args: unknown[]): Promise<T> {
  const r = await app.core.dispatch(method, args)
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`)
  return r.value as T
}

async function signIn(app: AppUnderTest, key: 'staff-supervisor' | 'staff-admin'): Promise<void> {
  await call(app, 'auth.signOut')
  await call(app, 'cakey.trainingInsert', key)
  await expect
    .poll(async () => (await call<{ tokenId: string }[]>(app, 'auth.keys')).map((k) => k.tokenId), {
      timeout: 20_000,
    })
    .toContain(`sim/${key}`)
  await call(app, 'auth.signIn', `sim/${key}`, '123456')
}

describe('supervisors and administrators', () => {
  it('a supervisor types a holder in with a reason, queries, and finds it all in the access log', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      await expect
        .poll(() => page.getByTestId('library-status').getAttribute('data-state'), {
          timeout: 20_000,
        })
        .toBe('online')
      // The trainee is a clerk: no manual entry, no access log.
      await expect.poll(() => page.getByTestId('holder-panel').isVisible()).toBe(true)
      expect(await page.getByTestId('manual-open').count()).toBe(0)
      expect(await page.getByTestId('nav-audit').count()).toBe(0)

      await signIn(app, 'staff-supervisor')
      await page.getByTestId('manual-open').click()
      await page.getByTestId('manual-code').fill(HOLDERS.zhang.code)
      await page.getByTestId('manual-name').fill('张建国')
      await page.getByTestId('manual-reason').fill('身份证芯片损坏，已核对户口簿原件')
      await page.getByTestId('manual-submit').click()
      await expect
        .poll(() => page.getByTestId('holder-manual-reason').textContent())
        .toBe('身份证芯片损坏，已核对户口簿原件')
      expect(await page.getByTestId('holder-id-number').textContent()).toBe('410105********0032')
      await app.screenshot('licences-sup-01-manual-holder')

      await page.getByTestId('matter-search').fill('不动产')
      await page.getByTestId('matter-search').press('Enter')
      await expect.poll(() => page.getByTestId('licence-row').count(), { timeout: 20_000 }).toBe(4)

      await page.getByTestId('nav-audit').click()
      await expect
        .poll(() => page.getByTestId('audit-row').count(), { timeout: 20_000 })
        .toBeGreaterThanOrEqual(2)
      const actions = await page
        .getByTestId('audit-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))
      expect(actions).toEqual(expect.arrayContaining(['manual-holder', 'list']))
      await page.getByTestId('audit-verify').click()
      await expect.poll(() => page.getByTestId('audit-chain').getAttribute('data-ok')).toBe('true')
      await page.getByTestId('audit-export-csv').click()
      await expect.poll(() => page.getByTestId('audit-exported').textContent()).toContain('.csv')
      await app.screenshot('licences-sup-02-audit')
      // The export is on record too.
      expect(
        (await call<{ action: string }[]>(app, 'audit.list', {})).map((e) => e.action)[0],
      ).toBe('audit-export')
    } finally {
      await app.close()
    }
  })

  it('an administrator edits a matter’s reason of use; the next query carries it', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      await expect
        .poll(() => page.getByTestId('library-status').getAttribute('data-state'), {
          timeout: 20_000,
        })
        .toBe('online')
      expect(await page.getByTestId('nav-catalogue').count()).toBe(0)
      await signIn(app, 'staff-admin')
      await page.getByTestId('nav-catalogue').click()
      const matter = page.getByTestId('catalogue-410100-ZRZY-0031')
      await matter.locator('input.search').fill('办理不动产转移登记，核验权属（测试修改）')
      await page.getByTestId('catalogue-save').click()
      await expect
        .poll(async () => (await call<{ source: string }>(app, 'catalogue.info')).source)
        .toBe('edited')
      await app.screenshot('licences-adm-01-catalogue')
      const m = (await call<{ code: string; reasonOfUse: string }[]>(app, 'matters.list')).find(
        (x) => x.code === '410100-ZRZY-0031',
      )
      expect(m?.reasonOfUse).toBe('办理不动产转移登记，核验权属（测试修改）')
      const log = app.core.db
        .prepare("SELECT staff_role, result FROM audit_log WHERE action = 'catalogue-change'")
        .all()
      expect(log).toEqual([{ staff_role: 'administrator', result: 'ok' }])

      // The next query for that matter asks the library with the new reason of use.
      await page.getByTestId('nav-counter').click()
      await page.getByTestId('training-card-select').selectOption('resident-li')
      await page.getByTestId('training-place').click()
      await page.getByTestId('matter-search').fill('不动产转移')
      await page.getByTestId('matter-search').press('Enter')
      await expect
        .poll(() => page.getByTestId('licence-list').getAttribute('data-state'), {
          timeout: 20_000,
        })
        .toBe('loaded')
      const queries = app.core.training!.sandbox!.requests.filter((r) => r.path.endsWith('/query'))
      expect(queries.at(-1)?.body).toMatchObject({
        serviceItemCode: '410100-ZRZY-0031',
        useReason: '办理不动产转移登记，核验权属（测试修改）',
      })
    } finally {
      await app.close()
    }
  })
})
