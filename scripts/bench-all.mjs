#!/usr/bin/env node
/** `npm run bench`: every `bench:*` script in package.json, one after another. */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const scripts = Object.keys(
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts,
)
const benches = scripts.filter((s) => s.startsWith('bench:'))
let failed = 0
for (const name of benches) {
  console.log(`\n=== ${name} ===`)
  const r = spawnSync('npm', ['run', '-s', name], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
if (benches.length === 0) console.log('no bench:* scripts yet')
process.exit(failed ? 1 : 0)
