/**
 * The foundation's processes as a user starts them: the sandbox library as its own process, a
 * production-mode core talking to it over real HTTP, and the CLI's exit codes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/main/config'
import { createCore } from '../../src/main/core'
import { silentLogger } from '../../src/main/log'

const root = resolve(import.meta.dirname, '../..')
const tsx = join(root, 'node_modules/.bin/tsx')
const cliEntry = join(root, 'src/main/cli.ts')

let sandbox: ChildProcess
let sandboxInfo: { url: string; accessId: string; token: string }

beforeAll(async () => {
  sandbox = spawn(tsx, [cliEntry, 'sandbox', '--port', '0', '--token', 'system-test-token'], {
    cwd: root,
  })
  sandboxInfo = await new Promise((resolveInfo, reject) => {
    let out = ''
    sandbox.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        resolveInfo(JSON.parse(out))
      } catch {
        // not all of it yet
      }
    })
    sandbox.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)))
  })
})

afterAll(() => {
  sandbox?.kill('SIGINT')
})

describe('sandbox library as a separate process', () => {
  it('serves a production-mode core over loopback HTTP, which still refuses queries until staff sign in', async () => {
    const config = parseConfig({
      mode: 'production',
      terminal: {
        id: 'SYS-01',
        unitName: '测试单位',
        unitCode: '11410105MB1613052U',
        region: '410105',
      },
      library: {
        baseUrl: sandboxInfo.url,
        auth: { kind: 'token', accessId: sandboxInfo.accessId, token: 'system-test-token' },
      },
      devices: { idcard: { kind: 'none' } },
    })
    const core = await createCore({
      config,
      dataDir: mkdtempSync(join(tmpdir(), 'sys-')),
      resourcesDir: join(root, 'resources'),
      version: 'sys',
      logger: silentLogger,
    })
    const libraryStates: string[] = []
    core.onEvent((e, p) => e === 'library' && libraryStates.push((p as { state: string }).state))
    await core.start()
    try {
      expect(libraryStates).toEqual(['online'])
      expect(core.training).toBeUndefined()
      expect(await core.dispatch('training.placeCard', ['resident-zhang'])).toMatchObject({
        ok: false,
        error: { code: 'NOT_IN_TRAINING' },
      })
      expect(await core.dispatch('licences.list', [])).toMatchObject({
        ok: false,
        error: { code: 'AUTH_REQUIRED' },
      })
      expect(await core.dispatch('app.info', [])).toMatchObject({
        ok: true,
        value: { mode: 'production', terminalId: 'SYS-01' },
      })
    } finally {
      await core.stop()
    }
  })
})

describe('CLI as a process', () => {
  const cli = (...args: string[]) =>
    spawnSync(tsx, [cliEntry, ...args], { cwd: root, encoding: 'utf8' })

  it('exits 0 with JSON for id check', () => {
    const r = cli('id', 'check', '11010519491231002X')
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'citizen-id', valid: true })
  })

  it('exits non-zero naming the bad key, with no stack trace, for a malformed config', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({
        mode: 'training',
        terminal: { id: 'T', unitName: 'u', unitCode: '91350100M000100Y43', region: '41' },
      }),
    )
    const r = cli('config', 'check', file)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('terminal.region')
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /)
  })
})
