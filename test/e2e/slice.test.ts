/**
 * The foundation's vertical slice, as the clerk lives it: place a card, see the holder, pick a
 * matter, see that holder's licences for it, then "下一位" and nothing of them remains.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator } from 'playwright-core'
import { launchApp, launchBrowser } from './harness'

let browser: Browser

/**
 * Whether the clerk can see and hit the element without scrolling: wholly inside the window and
 * the topmost thing at its centre. (A click would scroll to it first, so it proves nothing.)
 */
async function inSight(locator: Locator): Promise<boolean> {
  if (!(await locator.isVisible())) return false
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect()
    const inside =
      r.width > 0 &&
      r.height > 0 &&
      r.top >= 0 &&
      r.left >= 0 &&
      r.bottom <= window.innerHeight &&
      r.right <= window.innerWidth
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
    return inside && !!top && el.contains(top)
  })
}

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('training-mode slice', () => {
  it('identifies the applicant, lists the matter’s licences, and forgets them on 下一位', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      await expect
        .poll(() => page.getByTestId('training-banner').textContent())
        .toContain('培训模式')
      await expect
        .poll(() => page.getByTestId('device-idcard-sim').getAttribute('data-state'))
        .toBe('ready')
      await expect
        .poll(() => page.getByTestId('library-status').getAttribute('data-state'))
        .toBe('online')
      await expect
        .poll(() => page.getByTestId('next-action').textContent())
        .toContain('按 F2 放置身份证')
      // The training panel's button is in sight at the default window size: the clerk clicks it.
      const place = page.getByTestId('training-place')
      expect(await place.textContent()).toContain('放置身份证')
      expect(await inSight(place)).toBe(true)
      await app.screenshot('01-waiting-for-card')

      await place.click()
      await expect.poll(() => page.getByTestId('holder-name').textContent()).toBe('张建国')
      // A tall holder panel does not push the training levers out of sight.
      expect(await inSight(place)).toBe(true)
      expect(await page.getByTestId('holder-id-number').textContent()).toBe('410105********0032')
      expect(await page.getByTestId('holder-sex').textContent()).toBe('男')
      expect(await page.getByTestId('holder-nation').textContent()).toBe('汉')
      expect(await page.getByTestId('holder-birth').textContent()).toBe('1978-05-16')
      expect(await page.getByTestId('holder-address').textContent()).toBe(
        '河南省郑州市金水区花园路38号院2号楼1单元502号',
      )
      expect(await page.getByTestId('holder-validity').textContent()).toBe(
        '2016-03-01 — 2036-03-01',
      )
      expect(await page.getByTestId('photo-placeholder').textContent()).toContain(
        '照片解码器未配置',
      )
      // The full number never reaches the page.
      expect(await page.content()).not.toContain('410105197805160032')

      // The cursor is already in the matter search: type, Enter.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe('matter-search')
      await page.keyboard.type('不动产')
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByTestId('licence-list').getAttribute('data-state'))
        .toBe('loaded')
      const rows = page.getByTestId('licence-row')
      expect(await rows.count()).toBe(4)
      const types = await page.locator('[data-testid="licence-row"] td.type').allTextContents()
      expect(types).toEqual(['不动产权证书', '不动产权证书', '结婚证', '居民户口簿'])
      const cancelled = page.locator('[data-testid="licence-row"][data-tone="danger"]')
      expect(await cancelled.count()).toBe(1)
      expect(await page.getByTestId('licence-warning').first().textContent()).toContain(
        '注销 — 不得作为有效材料',
      )
      await expect.poll(() => page.getByTestId('next-action').textContent()).toContain('F12 下一位')
      await app.screenshot('02-licences-for-matter')

      // Only the matter's licence types were asked for, and only for this holder.
      const queries = app.core.training!.sandbox!.requests.filter((r) => r.path.endsWith('/query'))
      expect(queries).toHaveLength(1)
      expect(queries[0]!.body).toMatchObject({
        holderCode: '410105197805160032',
        serviceItemCode: '410100-ZRZY-0031',
        licenseTypeCodes: [
          '11100000717832007F001',
          '11100000000014146K004',
          '11100000000013338W002',
        ],
      })

      await page.keyboard.press('F12')
      await expect
        .poll(() => page.getByTestId('holder-panel').textContent())
        .toContain('尚未识别办事人')
      // Everything on screen except the training panel, whose card labels name the practice people.
      const body = await page.evaluate(() => {
        const clone = document.body.cloneNode(true) as HTMLElement
        clone.querySelector('[data-testid="training-panel"]')?.remove()
        return clone.textContent ?? ''
      })
      for (const trace of ['张建国', '410105********0032', '花园路', '不动产权第0123456号'])
        expect(body).not.toContain(trace)
      expect(await page.getByTestId('licence-list').getAttribute('data-state')).toBe('idle')
      expect(await page.getByTestId('matter-search').inputValue()).toBe('')
      expect(await app.core.dispatch('session.current', [])).toEqual({
        ok: true,
        value: { holder: null, matterCode: null },
      })
      await app.screenshot('03-after-next-applicant')
      // The page needed nothing its Content-Security-Policy refuses.
      expect(await app.cspViolations()).toEqual([])
    } finally {
      await app.close()
    }
  })

  it('keeps the training panel and its button in sight in a 1280×800 window', async () => {
    const app = await launchApp(browser, { viewport: { width: 1280, height: 800 } })
    const { page } = app
    try {
      await expect
        .poll(() => page.getByTestId('device-idcard-sim').getAttribute('data-state'))
        .toBe('ready')
      const place = page.getByTestId('training-place')
      expect(await inSight(page.getByTestId('training-card-select'))).toBe(true)
      expect(await inSight(place)).toBe(true)
      expect(await inSight(page.getByTestId('training-remove'))).toBe(true)
      await place.click()
      await expect.poll(() => page.getByTestId('holder-name').textContent()).toBe('张建国')
      expect(await inSight(place)).toBe(true)
      expect(await inSight(page.getByTestId('holder-name'))).toBe(true)
      await app.screenshot('05-training-panel-1280x800')
    } finally {
      await app.close()
    }
  })

  it('clears the applicant when the card is lifted, and warns about expired cards and bad check digits', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      await expect
        .poll(() => page.getByTestId('device-idcard-sim').getAttribute('data-state'))
        .toBe('ready')
      await page.getByTestId('training-card-select').selectOption('resident-wang-expired')
      expect(await inSight(page.getByTestId('training-place'))).toBe(true)
      await page.getByTestId('training-place').click()
      await expect.poll(() => page.getByTestId('holder-name').textContent()).toBe('王磊')
      expect(await page.getByTestId('holder-expired').isVisible()).toBe(true)
      await app.screenshot('04-expired-card')

      await page.getByTestId('training-card-select').selectOption('resident-zhao-badcheck')
      await page.keyboard.press('F2')
      await expect.poll(() => page.getByTestId('holder-name').textContent()).toBe('赵小明')
      expect(await page.getByTestId('holder-checkdigit').isVisible()).toBe(true)

      await page.keyboard.press('F3')
      await expect
        .poll(() => page.getByTestId('holder-panel').textContent())
        .toContain('尚未识别办事人')
    } finally {
      await app.close()
    }
  })
})
