/**
 * Runs the real renderer in Debian's Chromium against a real core in this process. The page gets
 * `window.counter` from the browser client; its calls arrive here through Playwright bindings and
 * go to `core.dispatch`, exactly where the Electron IPC handlers send them.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { trainingConfig, type Config } from '../../../src/main/config'
import { createCore, type Core, type CoreOptions } from '../../../src/main/core'
import { createLogger } from '../../../src/main/log'
import type { SandboxOptions } from '../../../src/main/training'
import { serveDirectory } from './static-server'

const root = resolve(import.meta.dirname, '../../..')
export const screenshotsDir = join(root, 'test/e2e/screenshots')

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  })
}

export interface AppUnderTest {
  readonly page: Page
  readonly core: Core
  /** What the Content-Security-Policy blocked in the page so far: `directive blocked-uri`. */
  cspViolations(): Promise<string[]>
  screenshot(name: string): Promise<void>
  close(): Promise<void>
}

export interface LaunchOptions {
  readonly config?: Config
  readonly sandbox?: SandboxOptions
  readonly viewport?: { width: number; height: number }
  /** A printing port standing in for the Electron shell's. */
  readonly printing?: CoreOptions['printing']
}

export async function launchApp(
  browser: Browser,
  options: LaunchOptions = {},
): Promise<AppUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterdesk-e2e-'))
  const core = await createCore({
    config: options.config ?? trainingConfig(),
    dataDir,
    resourcesDir: join(root, 'resources'),
    version: 'e2e',
    logger: createLogger({ file: join(dataDir, 'e2e.log') }),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.printing ? { printing: options.printing } : {}),
  })
  const server = await serveDirectory(join(root, 'out/renderer'))
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: 'zh-CN',
  })
  const page = await context.newPage()
  await page.exposeBinding('__counterInvoke', (_source, method: string, args: unknown[]) =>
    core.dispatch(method, args),
  )
  await page.addInitScript({ content: readFileSync(join(root, 'out/e2e/client.js'), 'utf8') })
  // A blocked picture or stream fails quietly in the page; the report is the only trace of it.
  await page.addInitScript(() => {
    const seen: string[] = []
    Object.defineProperty(window, '__cspViolations', { value: seen })
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI.slice(0, 40)}`),
    )
  })
  const off = core.onEvent((event, payload) => {
    page
      .evaluate(([e, p]) => window.__counterEmit(e, p), [event, payload] as const)
      .catch(() => undefined)
  })
  await core.start()
  await page.goto(server.url + '/index.html')
  return {
    page,
    core,
    cspViolations: () =>
      page.evaluate(() => [
        ...(window as unknown as { __cspViolations: string[] }).__cspViolations,
      ]),
    async screenshot(name) {
      mkdirSync(screenshotsDir, { recursive: true })
      await page.screenshot({ path: join(screenshotsDir, `${name}.png`) })
    },
    async close() {
      off()
      await context.close()
      await core.stop()
      await server.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
