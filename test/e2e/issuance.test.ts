/**
 * Issuing at the window in Chromium against the real core (training mode): the form prefilled
 * from the card and checked as the clerk types, the preview of the exact OFD, the training seal,
 * the licence delivered to the sandbox library, a status change through the dialog — and the
 * supervisor's dashboard with a rejected item, an overdue one in red, the chart and the calendar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { Envelope } from '../../src/shared/api'
import { citizenId, encodeGb18030 } from '../unit/main/issuance/bulk-helpers'
import { launchApp, launchBrowser, type AppUnderTest } from './harness'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

async function call<T>(app: AppUnderTest, method: string, ...args: unknown[]): Promise<T> {
  const r = (await app.core.dispatch(method, args)) as Envelope<T>
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.value
}

const DISABILITY = '51100000500010176E001'
const BATCH = '/exchange/v1/licences/batch'

/** A disability card for the holder at the window, filled in and previewed (Enter on the form). */
async function previewThroughTheForm(app: AppUnderTest): Promise<void> {
  const { page } = app
  await page.getByTestId(`issuance-type-${DISABILITY}`).click()
  await expect.poll(() => page.getByTestId('face-category').isVisible()).toBe(true)
  await page.getByTestId('face-category').selectOption('肢体残疾')
  await page.getByTestId('face-level').selectOption('二级')
  await page.getByTestId('face-address').press('Enter')
  try {
    await expect
      .poll(() => page.getByTestId('issuance-preview-image').isVisible(), { timeout: 60_000 })
      .toBe(true)
  } catch (error) {
    await app.screenshot('issuance-failed-preview')
    throw error
  }
}

/** Signs out and signs in a training staff member on their simulated key. */
async function signInAs(app: AppUnderTest, key: 'staff-supervisor' | 'staff-admin') {
  await call(app, 'auth.signOut')
  await call(app, 'cakey.trainingInsert', key)
  await expect
    .poll(async () => (await call<{ tokenId: string }[]>(app, 'auth.keys')).map((k) => k.tokenId), {
      timeout: 20_000,
    })
    .toContain(`sim/${key}`)
  await call(app, 'auth.signIn', `sim/${key}`, '123456')
}

async function issueThroughTheForm(app: AppUnderTest, shot?: string): Promise<string> {
  const { page } = app
  await previewThroughTheForm(app)
  const identifier = (await page.getByTestId('issuance-identifier').textContent())!
  if (shot) await app.screenshot(shot)
  // The sign button has the focus: Enter seals and issues.
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
    .toBe('issuance-sign')
  await page.keyboard.press('Enter')
  await expect
    .poll(() => page.getByTestId('issuance-done').isVisible(), { timeout: 60_000 })
    .toBe(true)
  return identifier
}

describe('issuance and delivery', () => {
  it('a clerk issues a licence that reaches the library; a supervisor watches the deadlines', async () => {
    const app = await launchApp(browser)
    const { page } = app
    const sandbox = app.core.training!.sandbox!
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    try {
      await expect
        .poll(async () => (await call<{ status: string }>(app, 'auth.state')).status, {
          timeout: 20_000,
        })
        .toBe('signed-in')
      await expect
        .poll(() => page.getByTestId('device-idcard-sim').getAttribute('data-state'), {
          timeout: 20_000,
        })
        .toBe('ready')
      await call(app, 'training.placeCard', 'resident-zhang')
      await expect
        .poll(() => page.getByTestId('holder-name').textContent(), { timeout: 20_000 })
        .toBe('张建国')

      await page.getByTestId('nav-issuance').click()
      await expect
        .poll(() => page.getByTestId(`issuance-type-${DISABILITY}`).isEnabled(), {
          timeout: 20_000,
        })
        .toBe(true)
      // An enterprise licence is listed, but not for this holder.
      expect(await page.getByTestId('issuance-type-11100000000018569J006').isDisabled()).toBe(true)

      await page.getByTestId(`issuance-type-${DISABILITY}`).click()
      await expect.poll(() => page.getByTestId('face-name').inputValue()).toBe('张建国')
      expect(await page.getByTestId('face-idNumber').inputValue()).toBe('410105********0032')
      expect(await page.getByTestId('face-idNumber').isDisabled()).toBe(true)
      // Checked as the clerk types: a phone number of the wrong shape is named at once.
      await page.getByTestId('face-guardianPhone').fill('12345')
      await expect
        .poll(() => page.locator('#face-guardianPhone-issue').textContent())
        .toContain('11 位手机号码')
      await page.getByTestId('face-guardianPhone').fill('')
      // Enter with required fields empty: every problem shown, nothing composed.
      await page.getByTestId('face-address').press('Enter')
      await expect.poll(() => page.getByTestId('issuance-fix').textContent()).toContain('2 项')
      await app.screenshot('issuance-01-form')

      const first = await issueThroughTheForm(app, 'issuance-02-preview')
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 20_000 }).toBe(1)
      await expect
        .poll(() => page.getByTestId('issuance-done-pushed').isVisible(), { timeout: 20_000 })
        .toBe(true)
      expect([...sandbox.exchange.received.values()][0]!.metadata.licenseIdentifier).toBe(first)
      await app.screenshot('issuance-03-issued')

      // A status change through the dialog, with its reason.
      await page.getByTestId('issuance-change-status').first().click()
      await page.getByTestId('status-action-suspend').check()
      await page.getByTestId('status-reason').fill('法院协助执行通知书（2026）豫0105执123号')
      await app.screenshot('issuance-04-status-dialog')
      await page.getByTestId('status-confirm').click()
      await expect
        .poll(() => page.getByTestId('issuance-recent-row').first().textContent())
        .toContain('挂起')
      await expect.poll(() => sandbox.exchange.versionOf(first), { timeout: 20_000 }).toBe(2)

      // The library refuses the next one outright: it is parked for a supervisor, with the reason.
      sandbox.setFault({ kind: 'status', status: 400, paths: [BATCH] })
      await page.getByTestId('issuance-another').click()
      await issueThroughTheForm(app)
      await expect
        .poll(async () => (await call<{ parked: number }>(app, 'outbox.summary')).parked, {
          timeout: 20_000,
        })
        .toBe(1)
      // Then it is down: the next waits, and (as if two days passed) is overdue.
      sandbox.setFault({ kind: 'status', status: 503, paths: [BATCH] })
      await page.getByTestId('issuance-another').click()
      const late = await issueThroughTheForm(app)
      const pastDeadline = Date.now() - 2 * 86_400_000
      app.core.db
        .prepare(
          `UPDATE outbox SET completed_at = ?, deadline = ?, deadline_ms = ? WHERE identifier = ?`,
        )
        .run(
          new Date(Date.now() - 3 * 86_400_000).toISOString(),
          new Date(pastDeadline + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00',
          pastDeadline,
          late,
        )
      // Nothing personal beyond masked forms ever reached the page.
      expect(await page.content()).not.toContain('410105197805160032')

      // The supervisor's dashboard.
      expect(await page.getByTestId('nav-sync').count()).toBe(0)
      await signInAs(app, 'staff-supervisor')
      await expect
        .poll(() => page.getByTestId('nav-sync').isVisible(), { timeout: 20_000 })
        .toBe(true)
      await page.getByTestId('nav-sync').click()
      await page.keyboard.press('F5')
      await expect
        .poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 20_000 })
        .toMatch(/backoff|offline/)
      await expect.poll(() => page.getByTestId('tile-overdue').textContent()).toContain('1')
      const overdueRow = page.locator('[data-testid="outbox-row"][data-urgency="overdue"]')
      await expect.poll(() => overdueRow.count()).toBe(1)
      expect(await overdueRow.getByTestId('outbox-left').textContent()).toMatch(/逾期 \d+ 个工作日/)
      expect(await page.getByTestId('sync-error').textContent()).toContain('503')
      await expect
        .poll(() => page.getByTestId('sync-alerts').textContent(), { timeout: 20_000 })
        .toContain('已超过推送时限')
      expect(await page.getByTestId('sync-parked').textContent()).toContain('沙箱故障模式')
      expect(await page.getByTestId('chart-day').count()).toBe(14)
      expect(await page.getByTestId('calendar-provisional').textContent()).toContain(
        '年节假日安排尚未导入',
      )
      await app.screenshot('sync-01-dashboard')

      // The library is back: the overdue one goes on the next push; the parked one on request.
      sandbox.setFault({ kind: 'none' })
      await page.getByTestId('sync-push-now').click()
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 20_000 }).toBe(3)
      await page.getByTestId('outbox-select').check()
      await page.getByTestId('outbox-retry').click()
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 20_000 }).toBe(4)
      await expect
        .poll(() => page.getByTestId('tile-parked').textContent(), { timeout: 20_000 })
        .toContain('0')
      expect(await page.getByTestId('sync-compliance').textContent()).toMatch(/按时率 \d+%/)
      await app.screenshot('sync-02-recovered')

      // An administrator loads next year's arrangement; 2027 deadlines stop being provisional.
      expect(await page.getByTestId('calendar-import').count()).toBe(0)
      await signInAs(app, 'staff-admin')
      await expect
        .poll(() => page.getByTestId('nav-sync').isVisible(), { timeout: 20_000 })
        .toBe(true)
      await page.getByTestId('nav-sync').click()
      await expect.poll(() => page.getByTestId('calendar-import').isVisible()).toBe(true)
      await page.getByTestId('calendar-file').setInputFiles({
        name: '2027.json',
        mimeType: 'application/json',
        buffer: Buffer.from(
          JSON.stringify({
            year: 2027,
            notice: {
              title: '国务院办公厅关于2027年部分节假日安排的通知',
              published: '2026-11-10',
            },
            holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
            workdays: [],
          }),
        ),
      })
      await expect
        .poll(() => page.getByTestId('calendar-imported').textContent(), { timeout: 20_000 })
        .toContain('已导入 2027 年安排')
      expect(await page.getByTestId('calendar-provisional').textContent()).toContain('2028 年')
      expect(pageErrors).toEqual([])
    } catch (error) {
      await app.screenshot('issuance-failure')
      throw error
    } finally {
      await app.close()
    }
  }, 240_000)
  it("a clerk seals with the unit's seal UKey: chooses it, types its PIN, Enter issues", async () => {
    const app = await launchApp(browser)
    const { page } = app
    const sandbox = app.core.training!.sandbox!
    try {
      await expect
        .poll(async () => (await call<{ status: string }>(app, 'auth.state')).status, {
          timeout: 20_000,
        })
        .toBe('signed-in')
      await call(app, 'cakey.trainingInsert', 'unit-seal')
      await call(app, 'training.placeCard', 'resident-zhang')
      await expect
        .poll(() => page.getByTestId('holder-name').textContent(), { timeout: 20_000 })
        .toBe('张建国')
      await page.getByTestId('nav-issuance').click()
      await previewThroughTheForm(app)
      const signer = page.getByTestId('issuance-signer')
      const sealOption = signer.locator('option', { hasText: '单位电子印章 Key' })
      await expect.poll(() => sealOption.count(), { timeout: 20_000 }).toBe(1)
      await signer.selectOption((await sealOption.getAttribute('value'))!)
      // The PIN is asked for, and the sign button waits for it.
      await expect.poll(() => page.getByTestId('issuance-seal-pin').isVisible()).toBe(true)
      expect(await page.getByTestId('issuance-sign').isDisabled()).toBe(true)
      await page.getByTestId('issuance-seal-pin').fill('123456')
      await app.screenshot('issuance-05-seal-ukey-pin')
      await page.getByTestId('issuance-seal-pin').press('Enter')
      await expect
        .poll(() => page.getByTestId('issuance-done').isVisible(), { timeout: 60_000 })
        .toBe(true)
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 20_000 }).toBe(1)
    } finally {
      await app.close()
    }
  })
})

const RESIDENCE = '11100000000013338W011'
const BULK_HEADER =
  '持证主体,持证主体代码类型,持证主体代码,居住地址,居住起始日期,联系电话,签发派出所'
const bulkPeople = Array.from({ length: 8 }, (_, i) => ({
  name: ['李红梅', '王建军', '赵晓燕', '孙志强', '周丽', '吴刚', '郑海燕', '冯磊'][i]!,
  id: citizenId(`4101051985031500${i}`.slice(0, 17)),
}))
const bulkLine = (p: { name: string; id: string }, i: number, station = '金水区花园路派出所') =>
  `${p.name},111,${p.id},河南省郑州市金水区花园路${20 + i}号院,2025/9/1,13800138000,${station}`

describe('bulk issuance', () => {
  it('a supervisor imports a GB18030 list, sees its problems, previews, seals with progress; the items queue', async () => {
    const app = await launchApp(browser)
    const { page } = app
    const sandbox = app.core.training!.sandbox!
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    try {
      await expect
        .poll(async () => (await call<{ status: string }>(app, 'auth.state')).status, {
          timeout: 20_000,
        })
        .toBe('signed-in')
      await expect
        .poll(async () => (await call<unknown[]>(app, 'issuance.types')).length, {
          timeout: 20_000,
        })
        .toBe(3)
      // A clerk: bulk mode says it is not theirs (its holders were never identified here).
      await page.getByTestId('nav-issuance').click()
      await expect.poll(() => page.getByTestId('issuance-mode').isVisible()).toBe(true)
      await page.keyboard.press('b')
      await expect
        .poll(() => page.getByTestId('bulk-supervisor-only').textContent())
        .toContain('仅限审核人员')

      await signInAs(app, 'staff-supervisor')
      await expect
        .poll(() => page.getByTestId('nav-issuance').isVisible(), { timeout: 20_000 })
        .toBe(true)
      await page.getByTestId('nav-issuance').click()
      await expect.poll(() => page.getByTestId('bulk-pick').isVisible()).toBe(true)
      await page.getByTestId('bulk-type').focus()
      await page.getByTestId('bulk-type').selectOption(RESIDENCE)
      expect(await page.getByTestId('bulk-header').textContent()).toContain(
        '持证主体,持证主体代码类型,持证主体代码,居住地址',
      )

      // A list with mistakes: every one named by row and column, nothing issued.
      const wrong = [
        BULK_HEADER,
        bulkLine(bulkPeople[0]!, 0),
        bulkLine({ ...bulkPeople[1]!, id: '4.10105E+17' }, 1),
        bulkLine(bulkPeople[2]!, 2, '不存在的派出所'),
      ].join('\r\n')
      await page.getByTestId('bulk-file').setInputFiles({
        name: '居住证批量清单（有误）.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(encodeGb18030(wrong + '\r\n')),
      })
      await expect
        .poll(() => page.getByTestId('bulk-problems').isVisible(), { timeout: 30_000 })
        .toBe(true)
      const problems = page.getByTestId('bulk-problem')
      expect(await problems.count()).toBe(2)
      expect(await problems.nth(0).getAttribute('data-row')).toBe('3')
      expect(await problems.nth(0).textContent()).toContain('科学计数法')
      expect(await problems.nth(1).getAttribute('data-row')).toBe('4')
      expect(await page.getByTestId('bulk-problems').textContent()).toContain('GB18030')
      expect(await page.getByTestId('bulk-problems').textContent()).toContain('未签发任何证照')
      await app.screenshot('issuance-bulk-01-problems')
      expect(await call<unknown[]>(app, 'issuance.bulkBatches')).toEqual([])

      // Corrected: Enter goes back to choose the file again.
      await page.keyboard.press('Enter')
      await expect.poll(() => page.getByTestId('bulk-pick').isVisible()).toBe(true)
      const good = [BULK_HEADER, ...bulkPeople.map((p, i) => bulkLine(p, i))].join('\r\n')
      await page.getByTestId('bulk-file').setInputFiles({
        name: '居住证批量清单.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(encodeGb18030(good + '\r\n')),
      })
      await expect
        .poll(() => page.getByTestId('bulk-preview-image').isVisible(), { timeout: 60_000 })
        .toBe(true)
      expect(await page.getByTestId('bulk-batch').getAttribute('data-state')).toBe('ready')
      expect(await page.getByTestId('bulk-row').count()).toBe(8)
      expect(await page.getByTestId('bulk-row-code').first().textContent()).toBe(
        bulkPeople[0]!.id.slice(0, 6) + '********' + bulkPeople[0]!.id.slice(-4),
      )
      expect(await page.getByTestId('bulk-count').textContent()).toContain('居住证 · 共 8 张')
      const content = await page.content()
      for (const p of bulkPeople) expect(content).not.toContain(p.id)
      await app.screenshot('issuance-bulk-02-preview')

      // The library is down: what is issued stays queued, visibly.
      sandbox.setFault({ kind: 'status', status: 503, paths: [BATCH] })
      await page.evaluate(() => {
        const seen: number[] = []
        ;(window as unknown as { __bulkDone: number[] }).__bulkDone = seen
        window.counter.on('issuance.bulkProgress', (v) => seen.push(v.done))
      })
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe('bulk-sign')
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByTestId('bulk-batch').getAttribute('data-state'), { timeout: 120_000 })
        .toBe('done')
      const seen = await page.evaluate(
        () => (window as unknown as { __bulkDone: number[] }).__bulkDone,
      )
      expect(seen.at(-1)).toBe(8)
      expect(new Set(seen).size).toBeGreaterThan(4) // one step per licence
      expect(await page.getByTestId('bulk-meter').getAttribute('aria-valuenow')).toBe('8')
      expect(await page.getByTestId('bulk-done').textContent()).toContain('5 个工作日')
      await expect
        .poll(() => page.getByTestId('bulk-row').first().getAttribute('data-state'))
        .toBe('issued')
      const listed = page.locator('[data-testid="bulk-batch-row"][data-state="done"]')
      await expect.poll(() => listed.count()).toBe(1)
      expect(await listed.textContent()).toContain('8/8')
      await app.screenshot('issuance-bulk-03-done')

      // Eight items queued for the library, in bulk mode under one batch number.
      const [batch] = await call<{ batchNo: string }[]>(app, 'issuance.bulkBatches')
      expect(await call<{ pending: number }>(app, 'outbox.summary')).toMatchObject({ pending: 8 })
      expect(
        app.core.db.prepare('SELECT DISTINCT mode, batch_no AS batchNo FROM outbox').all(),
      ).toEqual([{ mode: 'bulk', batchNo: batch!.batchNo }])
      sandbox.setFault({ kind: 'none' })
      await call(app, 'sync.pushNow')
      await expect.poll(() => sandbox.exchange.received.size, { timeout: 30_000 }).toBe(8)
      expect(pageErrors).toEqual([])
    } catch (error) {
      await app.screenshot('issuance-bulk-failure')
      throw error
    } finally {
      await app.close()
    }
  }, 240_000)
})
