/**
 * Passports and permits in the real renderer: the clerk types the MRZ (check digits shown as they
 * type), places the document on the simulated reader, watches the progress, sees the face, the
 * MRZ data and the chip's verdict; runs the real-name check and the real-person check with the
 * camera; meets a tampered chip. The camera is Chromium's fake device; permission is granted by
 * the fake UI in one browser and refused in another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { TrainingDocument } from '../../src/shared/domain'
import { CHROMIUM_FLAGS, launchApp } from './harness'

let browser: Browser

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...CHROMIUM_FLAGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  })
})
afterAll(async () => {
  await browser?.close()
})

const attr = (page: Page, testId: string, name: string) =>
  page.getByTestId(testId).first().getAttribute(name)

async function typeMrz(page: Page, lines: readonly string[]) {
  await page.getByTestId('mrz-lines').click()
  for (const [i, line] of lines.entries()) {
    if (i > 0) await page.keyboard.press('Shift+Enter')
    await page.keyboard.type(line, { delay: 0 })
  }
}

describe('passport and permit chips in the UI', () => {
  it('typed MRZ, F6, progress, face and chip verdict; real-name and real-person checks; a tampered chip', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      const docs = (await app.core.handlers.emrtd.trainingDocuments()) as TrainingDocument[]
      const liu = docs.find((d) => d.id === 'passport-liu')!
      await expect.poll(() => attr(page, 'device-emrtd-sim', 'data-state')).toBe('ready')
      await expect.poll(() => page.getByTestId('emrtd-training-panel').isVisible()).toBe(true)
      await expect
        .poll(() => page.getByTestId('emrtd-training-mrz').textContent())
        .toBe(liu.printedMrz.join('\n'))

      // A typo in the birth date is caught by its check digit while typing.
      const typo = [
        liu.printedMrz[0]!,
        liu.printedMrz[1]!.slice(0, 13) + '9' + liu.printedMrz[1]!.slice(14),
      ]
      await typeMrz(page, typo)
      await expect.poll(() => attr(page, 'mrz-check-birthDate', 'data-ok')).toBe('false')
      expect(await attr(page, 'mrz-check-documentNumber', 'data-ok')).toBe('true')
      await app.screenshot('emrtd-01-mrz-typo')
      await page.getByTestId('mrz-lines').fill('')
      await typeMrz(page, liu.printedMrz)
      await expect.poll(() => attr(page, 'mrz-checks', 'data-valid')).toBe('true')
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByTestId('emrtd-status').textContent())
        .toContain('放置证件即开始读取')

      await page.keyboard.press('F6')
      await expect
        .poll(() => attr(page, 'holder-panel', 'data-source'), { timeout: 30_000 })
        .toBe('emrtd')
      expect(await page.getByTestId('holder-name').textContent()).toBe('刘芳')
      expect(await page.getByTestId('holder-latin-name').textContent()).toBe('LIU FANG')
      expect(await page.getByTestId('holder-id-number').textContent()).toContain('E6*****73')
      expect(await page.getByTestId('holder-birth').textContent()).toBe('1986-04-23')
      expect(await attr(page, 'chip-badges', 'data-verdict')).toBe('genuine')
      expect(await page.getByTestId('chip-verdict').textContent()).toContain(
        '芯片真实，数据未被篡改',
      )
      expect(await attr(page, 'chip-ca', 'data-state')).toBe('passed')
      expect(await attr(page, 'chip-aa', 'data-state')).toBe('passed')
      expect(await page.getByTestId('chip-access').textContent()).toBe('PACE')
      expect(await page.locator('[data-testid="chip-dgs"] [data-ok="false"]').count()).toBe(0)
      // The JPEG 2000 face arrives converted, and the browser can draw it.
      expect(await attr(page, 'chip-photo', 'data-format')).toBe('jpeg2000')
      await expect
        .poll(() =>
          page.getByTestId('chip-photo').evaluate((img) => (img as HTMLImageElement).naturalWidth),
        )
        .toBe(240)
      // The full number is on the (simulated) data page the trainee reads, nowhere else.
      expect(await page.getByTestId('holder-panel').innerHTML()).not.toContain('E60418273')
      expect(await page.getByTestId('emrtd-panel').innerHTML()).not.toContain('E60418273')

      // Real-name check.
      await page.getByTestId('realname-check').click()
      await expect.poll(() => attr(page, 'realname-result', 'data-result')).toBe('consistent')
      // Real-person check with the camera.
      await page.getByTestId('camera-open').click()
      await expect
        .poll(() =>
          page.getByTestId('camera-video').evaluate((v) => (v as HTMLVideoElement).videoWidth),
        )
        .toBeGreaterThan(0)
      await page.getByTestId('camera-capture').click()
      await expect.poll(() => attr(page, 'camera', 'data-state')).toBe('captured')
      await page.getByTestId('camera-submit').click()
      await expect.poll(() => attr(page, 'realperson-result', 'data-result')).toBe('match')
      await app.screenshot('emrtd-02-passport-genuine')

      // A slow chip: the progress bar moves file by file.
      await page.getByTestId('emrtd-training-select').selectOption('permit-cs-wang')
      await page.getByTestId('emrtd-training-slow').check()
      await page.getByTestId('emrtd-training-place').click()
      await expect
        .poll(() => attr(page, 'emrtd-panel', 'data-phase'), { timeout: 20_000 })
        .toBe('need-key')
      await page.getByTestId('emrtd-training-fill').click()
      await page.getByTestId('mrz-submit').click()
      await expect
        .poll(() => page.getByTestId('emrtd-progress').isVisible(), { timeout: 10_000 })
        .toBe(true)
      const seen = new Set<string>()
      await expect
        .poll(
          async () => {
            const t = await page
              .getByTestId('emrtd-progress')
              .textContent()
              .catch(() => null)
            if (t) seen.add(t)
            return attr(page, 'holder-panel', 'data-document-type')
          },
          { timeout: 60_000, interval: 100 },
        )
        .toBe('cs')
      expect([...seen].some((t) => t.includes('读取 DG2'))).toBe(true)
      expect(await page.getByTestId('holder-name').textContent()).toBe('王晓东')
      await page.getByTestId('emrtd-training-slow').uncheck()

      // A tampered chip: the data group that changed is named, the verdict is red.
      await page.getByTestId('emrtd-training-select').selectOption('passport-liu-tampered')
      await page.keyboard.press('F6')
      await expect
        .poll(() => attr(page, 'emrtd-panel', 'data-phase'), { timeout: 20_000 })
        .toBe('need-key')
      await page.getByTestId('emrtd-training-fill').click()
      await page.getByTestId('mrz-submit').click()
      await expect
        .poll(() => attr(page, 'chip-badges', 'data-verdict'), { timeout: 30_000 })
        .toBe('altered')
      expect(await page.getByTestId('chip-verdict').textContent()).toContain('芯片数据被篡改')
      expect(
        await page.locator('[data-testid="chip-dgs"] [data-dg="1"]').getAttribute('data-ok'),
      ).toBe('false')
      await app.screenshot('emrtd-03-tampered')

      // Lifting the document forgets the holder.
      await page.getByTestId('emrtd-training-remove').click()
      await expect.poll(() => attr(page, 'holder-panel', 'data-source')).toBe(null)
      await expect.poll(() => attr(page, 'emrtd-panel', 'data-phase')).toBe('idle')
    } finally {
      await app.close()
    }
  })

  it('a wrong MRZ: the chip refuses, the clerk is told what to check', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      await expect.poll(() => page.getByTestId('emrtd-training-panel').isVisible()).toBe(true)
      await page.getByTestId('emrtd-training-select').selectOption('passport-liu-wrong-mrz')
      await page.keyboard.press('F6')
      await expect
        .poll(() => attr(page, 'emrtd-panel', 'data-phase'), { timeout: 20_000 })
        .toBe('need-key')
      // The MRZ field has the focus: the clerk just types.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'mrz-lines',
      )
      await page.getByTestId('emrtd-training-fill').click()
      await page.getByTestId('mrz-submit').click()
      await expect
        .poll(() => attr(page, 'emrtd-error', 'data-code'), { timeout: 30_000 })
        .toBe('EMRTD_ACCESS_DENIED')
      expect(await page.getByTestId('emrtd-error').textContent()).toContain(
        '请核对证件号码、出生日期和有效期至',
      )
      await app.screenshot('emrtd-04-access-denied')
    } finally {
      await app.close()
    }
  })
})

describe('camera permission refused', () => {
  it('says so and how to fix it', async () => {
    const denying = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_FLAGS, '--use-fake-device-for-media-stream', '--deny-permission-prompts'],
    })
    const app = await launchApp(denying)
    const { page } = app
    try {
      const docs = (await app.core.handlers.emrtd.trainingDocuments()) as TrainingDocument[]
      await app.core.dispatch('emrtd.setKey', [
        { kind: 'mrz', lines: docs.find((d) => d.id === 'permit-cs-wang')!.printedMrz },
      ])
      await app.core.dispatch('emrtd.trainingPlace', ['permit-cs-wang', {}])
      await expect
        .poll(() => attr(page, 'holder-panel', 'data-source'), { timeout: 30_000 })
        .toBe('emrtd')
      await page.getByTestId('camera-open').click()
      await expect.poll(() => attr(page, 'camera', 'data-state')).toBe('error')
      expect(await attr(page, 'camera-error', 'data-message')).toBe('camera.denied')
      expect(await page.getByTestId('camera-error').textContent()).toContain('摄像头权限被拒绝')
      await app.screenshot('emrtd-05-camera-denied')
    } finally {
      await app.close()
      await denying.close()
    }
  })
})
