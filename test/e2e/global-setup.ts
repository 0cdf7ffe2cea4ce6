/**
 * Builds what the end-to-end tests load: the renderer exactly as the app ships it, and the
 * browser-side client that stands in for the preload.
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { build } from 'vite'

const root = resolve(import.meta.dirname, '../..')

export default async function setup(): Promise<void> {
  execFileSync(
    process.execPath,
    [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    },
  )
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      outDir: resolve(root, 'out/e2e'),
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: resolve(root, 'test/e2e/harness/browser-client.ts'),
        formats: ['iife'],
        name: 'counterHarness',
        fileName: () => 'client.js',
      },
    },
  })
}
