/** Where the app finds its parts, in development and when packaged. */
import { app } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export function resourcesDir(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'resources')
    : join(app.getAppPath(), 'resources')
}

export function rendererDir(): string {
  return join(import.meta.dirname, '../renderer')
}

export function preloadFile(): string {
  return join(import.meta.dirname, '../preload/index.cjs')
}

/**
 * better-sqlite3 compiled against Electron's ABI, kept apart from the Node build that the tests
 * use (see `npm run rebuild:electron`), so neither runtime's build overwrites the other's.
 */
export function electronNativeBinding(): string | undefined {
  const candidates = app.isPackaged
    ? [join(process.resourcesPath, 'native', 'better_sqlite3.node')]
    : [
        join(
          app.getAppPath(),
          'build',
          'electron-native',
          `electron-${process.versions.electron}`,
          'better_sqlite3.node',
        ),
      ]
  return candidates.find((p) => existsSync(p))
}

/** `--config=<file>`, then `COUNTERDESK_CONFIG`, then `config.json` in the user data folder. */
export function configFile(argv: readonly string[]): string | undefined {
  const flag = argv.find((a) => a.startsWith('--config='))
  if (flag) return flag.slice('--config='.length)
  if (process.env.COUNTERDESK_CONFIG) return process.env.COUNTERDESK_CONFIG
  const inUserData = join(app.getPath('userData'), 'config.json')
  return existsSync(inUserData) ? inUserData : undefined
}
