/**
 * Licences at the window as the clerk works them, in Chromium against a real core and the sandbox
 * library at 50 ms latency: the list for a holder with thirty licences, the preview beside the
 * face data, unmissable warnings, materials, QR look-up, the offline label, and 下一位.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { HOLDERS, perfLicences, SEED_LICENCES } from '../../src/main/training'
import { launchApp, launchBrowser, type AppUnderTest } from './harness'
import type { CounterApi } from '../../src/shared/api'

declare global {
  interface Window {
    readonly counter: CounterApi
  }
}

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

const LATENCY_MS = 50

async function launch(): Promise<AppUnderTest> {
  return launchApp(browser, {
    sandbox: { latencyMs: LATENCY_MS, licences: [...SEED_LICENCES, ...perfLicences(30)] },
  })
}

async function ready(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('device-idcard-sim').getAttribute('data-state'), {
      timeout: 20_000,
    })
    .toBe('ready')
  await expect
    .poll(() => page.getByTestId('library-status').getAttribute('data-state'), { timeout: 20_000 })
    .toBe('online')
}

async function placeAndChoose(page: Page, card: string, search: string): Promise<void> {
  await page.getByTestId('training-card-select').selectOption(card)
  await page.keyboard.press('F2')
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
    .toBe('matter-search')
  await page.keyboard.type(search)
  await page.keyboard.press('Enter')
  await expect
    .poll(() => page.getByTestId('licence-list').getAttribute('data-state'))
    .toBe('loaded')
}

const queries = (app: AppUnderTest) =>
  app.core.training!.sandbox!.requests.filter((r) => r.path.endsWith('/query'))

const rowIdentifiers = (page: Page) =>
  page
    .getByTestId('licence-row')
    .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-identifier')))

/**
 * The open licence's first page is on screen as an OFD page painted by the renderer: an SVG of
 * real size holding the page's glyphs and lines (text is painted as glyph outlines).
 */
async function expectOfdPagePainted(page: Page): Promise<void> {
  const svg = page.getByTestId('document-ofd-page').locator('svg.ofd-page')
  await expect.poll(() => svg.count(), { timeout: 20_000 }).toBe(1)
  expect(await svg.getAttribute('data-page')).toBe('0')
  const painted = await svg.evaluate((el) => {
    const box = el.getBoundingClientRect()
    return {
      width: box.width,
      height: box.height,
      marks: el.querySelectorAll('text, path, image, use').length,
    }
  })
  expect(painted.width).toBeGreaterThan(100)
  expect(painted.height).toBeGreaterThan(100)
  expect(painted.marks).toBeGreaterThan(10)
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

describe('licences at the window', () => {
  it('card placed → the same thirty licences on screen for every card, one scoped query each (timings printed)', async () => {
    const app = await launch()
    const { page } = app
    try {
      await ready(page)
      await placeAndChoose(page, 'resident-li', '不动产转移')
      expect(await page.getByTestId('licence-row').count()).toBe(30)
      // The window handles this matter all morning: keep it, so a card queries at once.
      await page.getByTestId('licence-pin').click()
      await expect.poll(() => page.getByTestId('licence-pinned').isVisible()).toBe(true)

      const firstRows = await rowIdentifiers(page)
      const queriesBefore = queries(app).length

      // Each card placement: the pinned matter is queried at once and the same thirty rows are
      // painted again. Timings are printed for the record; the targets are checked by
      // `npm run bench:retrieval`, not here.
      const samples: number[] = []
      for (let i = 0; i < 15; i++) {
        await page.evaluate(() => window.counter.training.removeCard())
        await expect
          .poll(() => page.getByTestId('holder-panel').textContent())
          .toContain('尚未识别办事人')
        expect(await page.getByTestId('licence-row').count()).toBe(0)
        const ms = await page.evaluate(async () => {
          const t0 = performance.now()
          await window.counter.training.placeCard('resident-li')
          // Gives up after 20 s with -1, rather than hanging the test.
          return await new Promise<number>((resolve) => {
            const check = () => {
              const list = document.querySelector('[data-testid="licence-list"]')
              const rows = document.querySelectorAll('[data-testid="licence-row"]').length
              if (list?.getAttribute('data-state') === 'loaded' && rows === 30)
                resolve(performance.now() - t0)
              else if (performance.now() - t0 > 20_000) resolve(-1)
              else requestAnimationFrame(check)
            }
            check()
          })
        })
        // Every placement ended with the thirty rows on screen…
        expect(ms, `placement ${i + 1}: 30 rows never rendered`).toBeGreaterThanOrEqual(0)
        // …and they are the applicant's licences, the same ones as at first.
        expect(await rowIdentifiers(page)).toEqual(firstRows)
        samples.push(ms)
      }
      console.log(
        `[e2e] card placed → 30 licences rendered (sandbox latency ${LATENCY_MS} ms, n=${samples.length}): ` +
          `p50 ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms, ` +
          `max ${Math.max(...samples).toFixed(0)} ms (target p95 < 800 ms, checked by bench:retrieval)`,
      )
      // One query per card, for this holder and only the matter's licence types.
      const asked = queries(app).slice(queriesBefore)
      expect(asked).toHaveLength(15)
      for (const q of asked)
        expect(q.body).toMatchObject({
          holderCode: HOLDERS.li.code,
          serviceItemCode: '410100-ZRZY-0031',
          licenseTypeCodes: [
            '11100000717832007F001',
            '11100000000014146K004',
            '11100000000013338W002',
          ],
        })
      await app.screenshot('licences-01-thirty')
    } finally {
      await app.close()
    }
  })

  it('previews a licence with its face data beside the painted OFD page: zoom, pages, seal; every licence opens on its OFD page', async () => {
    const app = await launch()
    const { page } = app
    try {
      await ready(page)
      await placeAndChoose(page, 'resident-zhang', '不动产')
      // Keyboard: the cursor row, Enter opens it.
      await page.getByTestId('licence-table').focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByTestId('licence-detail').getAttribute('data-state'), {
          timeout: 20_000,
        })
        .toBe('open')
      const face = await page.getByTestId('detail-face').textContent()
      expect(face).toContain('坐落')
      expect(face).toContain('张建国')
      // The library's signed OFD, painted from the render model: not an image in its place.
      expect(await page.getByTestId('detail-document').getAttribute('data-kind')).toBe('ofd')
      await expectOfdPagePainted(page)
      // The page shows first; the seal check follows on its own and fills the badge.
      await expect
        .poll(() => page.getByTestId('detail-head-seal').getAttribute('data-seal'), {
          timeout: 20_000,
        })
        .toBe('valid')
      // Zoom in, out, back to fit; the page indicator.
      const fit = await page.getByTestId('zoom-level').textContent()
      await page.keyboard.press('+')
      expect(await page.getByTestId('zoom-level').textContent()).not.toBe(fit)
      await page.keyboard.press('0')
      expect(await page.getByTestId('zoom-level').textContent()).toBe(fit)
      expect(await page.getByTestId('page-indicator').textContent()).toContain('1')
      await app.screenshot('licences-02-preview')

      // The check (again with V): the library agrees; the verdict is shown.
      await page.keyboard.press('v')
      await expect
        .poll(() => page.getByTestId('licence-verification').getAttribute('data-verdict'))
        .toBe('ok')

      // Download the annotated copy (D).
      await page.keyboard.press('d')
      await expect.poll(() => page.getByTestId('detail-copied').isVisible()).toBe(true)
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByTestId('licence-detail').count()).toBe(0)

      // First page visible after the click, for each licence opened for the first time. A real
      // library serves stored files; the sandbox makes and signs each on first request, so have
      // it make them now, outside the measurement.
      const sandbox = app.core.training!.sandbox!
      const ids = await page
        .getByTestId('licence-row')
        .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-identifier')!))
      for (const id of ids) {
        const r = await fetch(`${sandbox.url}/share/v1/licences/file`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-access-id': sandbox.accessId,
            'x-access-token': sandbox.token,
          },
          body: JSON.stringify({
            licenseIdentifier: id,
            format: 'ofd',
            useReason: '预热',
            serviceItemCode: 'warm-up',
            operator: { name: 'e2e', code: 'e2e', role: 'clerk' },
            terminalId: 'e2e',
          }),
        })
        await r.body?.cancel()
      }
      const times: number[] = []
      const rows = page.getByTestId('licence-open')
      const n = await rows.count()
      expect(n).toBe(ids.length)
      for (let i = 1; i < n; i++) {
        await page.evaluate(() => performance.clearMeasures('preview:first-page'))
        await rows.nth(i).click()
        const ms = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const t0 = performance.now()
              const check = () => {
                const m = performance.getEntriesByName('preview:first-page', 'measure')[0]
                if (m) resolve(m.duration)
                else if (performance.now() - t0 > 20_000) resolve(-1)
                else requestAnimationFrame(check)
              }
              check()
            }),
        )
        // The licence clicked is the one open, and its first page is an OFD page, painted.
        expect(ms, `licence ${i + 1}: no first page painted`).toBeGreaterThanOrEqual(0)
        expect(await page.getByTestId('licence-detail').getAttribute('data-identifier')).toBe(
          ids[i],
        )
        expect(await page.getByTestId('detail-document').getAttribute('data-kind')).toBe('ofd')
        await expectOfdPagePainted(page)
        times.push(ms)
        await page.keyboard.press('Escape')
        await expect.poll(() => page.getByTestId('licence-detail').count()).toBe(0)
      }
      console.log(
        `[e2e] click → first OFD page painted (n=${times.length}): ` +
          times.map((t) => `${t.toFixed(0)} ms`).join(', ') +
          ` (target < 500 ms, checked by bench:retrieval)`,
      )
    } finally {
      await app.close()
    }
  })

  it('warns unmissably, exports materials, looks up QR codes, labels offline data, forgets at 下一位', async () => {
    const app = await launch()
    const { page } = app
    try {
      await ready(page)
      await placeAndChoose(page, 'resident-zhang', '不动产')
      // The cancelled property certificate: its detail opens with an alarm, and it cannot be picked.
      const cancelled = page.locator('[data-testid="licence-row"][data-tone="danger"]')
      await cancelled.getByTestId('licence-open').click()
      await expect.poll(() => page.getByTestId('detail-warning').textContent()).toContain('注销')
      expect(await page.getByTestId('detail-pick').isDisabled()).toBe(true)
      await app.screenshot('licences-03-cancelled')
      await page.keyboard.press('Escape')

      // Pick the usable ones with Space, F8, the serial number, Enter.
      await page.getByTestId('licence-table').focus()
      await page.keyboard.press('Home')
      const rows = await page.getByTestId('licence-row').all()
      for (const [i, row] of rows.entries()) {
        if ((await row.getAttribute('data-tone')) === 'ok') await page.keyboard.press(' ')
        if (i < rows.length - 1) await page.keyboard.press('ArrowDown')
      }
      await app.screenshot('licences-04a-picked')
      await page.keyboard.press('F8')
      await page.getByTestId('attach-serial').fill('ZZJS-2026-004711')
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByTestId('attach-dialog').getAttribute('data-state'), {
          timeout: 40_000,
        })
        .not.toBe('saving')
      await app.screenshot('licences-04-attached')
      expect(await page.getByTestId('attach-done').textContent()).toContain('已导出 3 份材料')
      await app.screenshot('licences-04-attached')
      const exportPath = (await page.getByTestId('attach-done').textContent())!.match(
        /至 (\S+)，/,
      )![1]!
      await page.getByTestId('attach-close').click()

      // F9: the applicant's own licence QR (training samples), then someone else's.
      await page.keyboard.press('F9')
      const samples = page.getByTestId('qr-samples')
      await expect.poll(() => samples.locator('option').count()).toBeGreaterThan(2)
      const labels = await samples.locator('option').allTextContents()
      await samples.selectOption({ label: labels.find((l) => l.startsWith('结婚证'))! })
      await expect.poll(() => page.getByTestId('qr-result').isVisible()).toBe(true)
      await app.screenshot('licences-05-qr')
      await samples.selectOption({ label: labels.find((l) => l.startsWith('他人'))! })
      await expect
        .poll(() => page.getByTestId('qr-error').getAttribute('data-code'))
        .toBe('SCOPE_QR_OTHER_HOLDER')
      await page.keyboard.press('Escape')

      // The library goes away: F5 shows the cached list, labelled with its time.
      app.core.training!.sandbox!.setFault({ kind: 'reset' })
      await page.keyboard.press('F5')
      await expect
        .poll(() => page.getByTestId('licence-offline').textContent(), { timeout: 20_000 })
        .toContain('离线 — 数据截至')
      expect(await page.getByTestId('licence-row').count()).toBe(4)
      await app.screenshot('licences-06-offline')
      app.core.training!.sandbox!.setFault({ kind: 'none' })

      // 下一位: nothing of this applicant remains, on screen or in the core.
      await page.keyboard.press('F12')
      await expect
        .poll(() => page.getByTestId('holder-panel').textContent())
        .toContain('尚未识别办事人')
      expect(await page.getByTestId('licence-row').count()).toBe(0)
      expect(await page.getByTestId('licence-detail').count()).toBe(0)
      const body = await page.evaluate(() => {
        const clone = document.body.cloneNode(true) as HTMLElement
        clone.querySelector('[data-testid="training-panel"]')?.remove()
        return clone.textContent ?? ''
      })
      for (const trace of ['张建国', '0032', '结婚证', 'ZZJS-2026-004711'])
        expect(body).not.toContain(trace)

      // What the access log recorded.
      const logged = await app.core.dispatch('audit.list', [{}])
      // The trainee is a clerk: the log is for supervisors only.
      expect(logged).toMatchObject({ ok: false, error: { code: 'ROLE_SUPERVISOR_REQUIRED' } })
      const actions = app.core.db
        .prepare('SELECT action, result FROM audit_log ORDER BY seq')
        .all() as { action: string; result: string }[]
      expect(actions.map((a) => a.action)).toEqual(
        expect.arrayContaining(['list', 'preview', 'attach', 'qr-lookup']),
      )
      expect(actions).toContainEqual({ action: 'list', result: 'cache' })
      expect(actions).toContainEqual({
        action: 'qr-lookup',
        result: 'refused:SCOPE_QR_OTHER_HOLDER',
      })
      const manifests = app.core.db.prepare('SELECT export_path FROM licence_attachment').all() as {
        export_path: string
      }[]
      expect(manifests.map((m) => m.export_path)).toEqual([exportPath])
    } finally {
      await app.close()
    }
  })
})
