#!/usr/bin/env node
/**
 * Builds better-sqlite3 against Electron's ABI into build/electron-native/electron-<version>/,
 * leaving node_modules (the Node build the tests use) untouched. The app loads this copy through
 * better-sqlite3's `nativeBinding` option, so `npm test` and `npm start` never undo each other.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version
const outDir = join(root, 'build/electron-native', `electron-${electronVersion}`)
const work = join(root, 'build/electron-native', `src-${electronVersion}`)
const pkgDir = dirname(require.resolve('better-sqlite3/package.json'))

rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
for (const part of ['binding.gyp', 'package.json', 'src', 'deps'])
  cpSync(join(pkgDir, part), join(work, part), { recursive: true })

const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js')
const result = spawnSync(
  process.execPath,
  [
    nodeGyp,
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ],
  { cwd: work, stdio: 'inherit' },
)
const built = join(work, 'build/Release/better_sqlite3.node')
if (result.status !== 0 || !existsSync(built)) {
  console.error(
    'better-sqlite3 could not be built for Electron (the Electron headers must be reachable).',
  )
  process.exit(1)
}
mkdirSync(outDir, { recursive: true })
cpSync(built, join(outDir, 'better_sqlite3.node'))
rmSync(work, { recursive: true, force: true })
console.log(
  `better-sqlite3 for Electron ${electronVersion}: ${join(outDir, 'better_sqlite3.node')}`,
)
