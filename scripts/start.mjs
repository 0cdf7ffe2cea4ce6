#!/usr/bin/env node
/**
 * `npm start`: build, make sure the Electron binary and an Electron build of the native modules
 * exist, then run the app. With no configuration it starts in training mode.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1
const bin = (name) => join(root, 'node_modules', '.bin', name)

if (run(bin('electron-vite'), ['build']) !== 0) process.exit(1)

function electronBinary() {
  try {
    const path = require('electron')
    return typeof path === 'string' && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

if (!electronBinary()) {
  console.log('Electron 程序未下载，正在下载… / Downloading the Electron binary…')
  const env = { ...process.env }
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD
  spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], {
    cwd: root,
    stdio: 'inherit',
    env,
  })
  if (!electronBinary()) {
    console.error(
      [
        '',
        '无法下载 Electron 程序。/ The Electron binary could not be downloaded.',
        'Set ELECTRON_MIRROR to a reachable mirror (or place the zip in the electron cache) and run `npm start` again.',
        'Everything else is built: `npm test` and `npm run -s cli -- …` work without it.',
      ].join('\n'),
    )
    process.exit(1)
  }
}

const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version
const nativeAddon = join(
  root,
  'build/electron-native',
  `electron-${electronVersion}`,
  'better_sqlite3.node',
)
if (
  !existsSync(nativeAddon) &&
  run(process.execPath, [join(root, 'scripts/electron-native.mjs')]) !== 0
)
  process.exit(1)

// electron-vite forwards to the app only what follows `--` (it hands that to Electron through
// ELECTRON_CLI_ARGS); anything before is its own option — `--config=x` would even be taken as its
// own build config file. So the user's arguments (`npm start -- --config=x`) go after `--`.
const userArgs = process.argv.slice(2)
const appArgs = userArgs[0] === '--' ? userArgs.slice(1) : userArgs
process.exit(run(bin('electron-vite'), ['preview', '--skipBuild', '--', ...appArgs]))
