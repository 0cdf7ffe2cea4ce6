/**
 * The ID card in the real renderer: the training panel places each card type and the holder
 * panel shows what that type carries; faces from a decoding reader; a clear placeholder without
 * a decoder. Also measures "card placed → holder shown" from performance marks on both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { parseConfig } from '../../src/main/config'
import { MARKS } from '../../src/main/idcard-module'
import { launchApp, launchBrowser, type AppUnderTest } from './harness'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

function trainingWith(idcard: Record<string, unknown>) {
  return parseConfig({
    mode: 'training',
    terminal: {
      id: 'TRAIN-01',
      unitName: '培训演示政务服务中心',
      unitCode: '11410100MB00000005',
      region: '410100',
    },
    devices: { idcard: { kind: 'simulated', ...idcard }, pollIntervalMs: 150 },
  })
}

async function place(page: Page, cardId: string) {
  await page.getByTestId('training-card-select').selectOption(cardId)
  await page.keyboard.press('F2')
}

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent()

/** One placement's figures, from the core's marks (this process) and the page's. */
async function timing(app: AppUnderTest) {
  // The core's marks, in this process (Node's global performance, the one perf_hooks exports).
  const node = (name: string) => {
    const m = globalThis.performance.getEntriesByName(name, 'mark').at(-1)
    if (!m) throw new Error(`no mark ${name}`)
    return globalThis.performance.timeOrigin + m.startTime
  }
  const shown = await app.page.evaluate(() => {
    const m = performance.getEntriesByName('holder-shown', 'mark').at(-1)
    return m ? performance.timeOrigin + m.startTime : undefined
  })
  if (shown === undefined) throw new Error('no holder-shown mark')
  const placed = node(MARKS.placed)
  const found = node(MARKS.found)
  const readDone = node(MARKS.readDone)
  return {
    total: shown - placed,
    pollWait: found - placed,
    read: readDone - found,
    delivery: shown - readDone,
  }
}

describe('ID card holder panel', () => {
  it('shows every card type the training panel places, with faces from a decoding reader', async () => {
    const app = await launchApp(browser, { config: trainingWith({ photo: 'bmp' }) })
    const { page } = app
    const figures: {
      card: string
      total: number
      pollWait: number
      read: number
      delivery: number
    }[] = []
    try {
      await expect
        .poll(() => page.getByTestId('device-idcard-sim').getAttribute('data-state'))
        .toBe('ready')

      // Resident card: nation, address and the newer appended address, fingerprints on file.
      await place(page, 'resident-zhang')
      await expect.poll(() => text(page, 'holder-name')).toBe('张建国')
      await expect.poll(() => page.getByTestId('holder-photo').isVisible()).toBe(true)
      figures.push({ card: 'resident', ...(await timing(app)) })
      expect(await page.getByTestId('holder-panel').getAttribute('data-card-type')).toBe('resident')
      expect(await text(page, 'holder-card-type')).toBe('居民身份证')
      expect(await text(page, 'holder-id-number')).toBe('410105********0032')
      expect(await text(page, 'holder-nation')).toBe('汉')
      expect(await text(page, 'holder-appended-address')).toContain(
        '河南省郑州市金水区文化路97号院3号楼2单元601号',
      )
      expect(await text(page, 'holder-fingerprints')).toBe('已采集 2 枚')
      // The face is a real image the browser decoded at the chip photo's size.
      const size = await page
        .getByTestId('holder-photo')
        .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])
      expect(size).toEqual([102, 126])
      await app.screenshot('idcard-01-resident')

      // HK/Macau/Taiwan residence permit: pass number and issue count, no nation.
      await place(page, 'permit-chen')
      await expect.poll(() => text(page, 'holder-name')).toBe('陈嘉欣')
      figures.push({ card: 'J', ...(await timing(app)) })
      expect(await text(page, 'holder-card-type')).toBe('港澳台居民居住证')
      expect(await text(page, 'holder-pass-number')).toBe('H60412785')
      expect(await text(page, 'holder-issue-count')).toBe('01')
      expect(await page.getByTestId('holder-nation').count()).toBe(0)
      await app.screenshot('idcard-02-permit-J')

      // 2017 foreigner card: Chinese and English names, nationality with its name.
      await place(page, 'foreigner-smith-2017')
      await expect.poll(() => text(page, 'holder-name')).toBe('史密斯')
      figures.push({ card: 'I', ...(await timing(app)) })
      expect(await text(page, 'holder-english-name')).toBe('SMITH, MICHAEL JOHN')
      expect(await text(page, 'holder-nationality')).toBe('USA 美国')
      expect(await text(page, 'holder-card-version')).toBe('01')
      expect(await text(page, 'holder-id-number')).toContain('USA410*****1201')
      expect(await page.getByTestId('holder-checkdigit').count()).toBe(0)
      await app.screenshot('idcard-03-foreigner-I')

      // 2023 foreigner card.
      await place(page, 'foreigner-garcia-2023')
      await expect.poll(() => text(page, 'holder-name')).toBe('加西亚·玛丽亚')
      figures.push({ card: 'Y', ...(await timing(app)) })
      expect(await text(page, 'holder-card-type')).toBe('外国人永久居留身份证（2023）')
      expect(await text(page, 'holder-english-name')).toBe('GARCIA MARIA')
      expect(await text(page, 'holder-nationality')).toBe('ESP 西班牙')
      expect(await text(page, 'holder-renewal-count')).toBe('00')
      expect(await text(page, 'holder-validity')).toBe('2024-01-15 — 2034-01-15')
      await app.screenshot('idcard-04-foreigner-Y')

      // Lifting clears the panel; the full numbers never reached the page.
      await page.keyboard.press('F3')
      await expect.poll(() => text(page, 'holder-panel')).toContain('尚未识别办事人')
      const html = await page.content()
      for (const full of ['410105197805160032', '810000199509120024', '934840198802290023'])
        expect(html).not.toContain(full)
    } finally {
      await app.close()
    }
    const rows = figures.map(
      (f) =>
        `  ${f.card.padEnd(9)} total ${f.total.toFixed(0).padStart(4)} ms = poll wait ${f.pollWait.toFixed(0).padStart(3)} + read ${f.read.toFixed(0).padStart(3)} + delivery ${f.delivery.toFixed(0).padStart(3)}; beyond the read ${(f.total - f.read).toFixed(0)} ms`,
    )
    console.log(`card placed → holder shown (training reader, 150 ms poll):\n${rows.join('\n')}`)
    for (const f of figures) {
      expect(f.total).toBeGreaterThan(0)
      expect(f.delivery).toBeGreaterThan(0)
    }
  })

  it('shows a clear placeholder, never a broken image, when no decoder is configured', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      await expect
        .poll(() => page.getByTestId('device-idcard-sim').getAttribute('data-state'))
        .toBe('ready')
      await place(page, 'resident-li')
      await expect.poll(() => text(page, 'holder-name')).toBe('李秀兰')
      expect(await page.getByTestId('photo-placeholder').getAttribute('data-state')).toBe(
        'no-decoder',
      )
      expect(await text(page, 'photo-placeholder')).toContain('照片解码器未配置')
      expect(await page.locator('img').count()).toBe(0)
      expect(await text(page, 'holder-validity')).toBe('2012-08-20 — 长期')
      expect(await page.getByTestId('holder-appended-address').count()).toBe(0)
      await app.screenshot('idcard-05-no-decoder')
    } finally {
      await app.close()
    }
  })
})
