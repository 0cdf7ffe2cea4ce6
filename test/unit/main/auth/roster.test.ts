/**
 * The staff roster: validated with the bad entry named, bound to people and optionally to exact
 * certificates, read from a file or a URL, and cached without ID numbers for offline sign-in.
 */
import { createServer, type Server } from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RosterService, parseRosterFile } from '../../../../src/main/auth'
import { openDatabase } from '../../../../src/main/db'
import { silentLogger } from '../../../../src/main/log'
import { authEnv, codeOf, LINA, WANG, type Env } from './env'

const roster = {
  version: '2027-03',
  staff: [
    { name: LINA.name, idNumber: LINA.id, role: 'clerk' },
    { name: WANG.name, idNumber: WANG.id, role: 'administrator', active: false },
  ],
}

const servers: Server[] = []
let env: Env | undefined
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
  await env?.close()
  env = undefined
})

function serve(body: () => string): Promise<string> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(body())
  })
  servers.push(server)
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address()
      resolve(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/roster.json`)
    }),
  )
}

describe('roster file', () => {
  it('names the bad entry', () => {
    expect(() =>
      parseRosterFile({
        version: '1',
        staff: [{ name: '甲', idNumber: '410105198806120028', role: 'clerk' }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'AUTH_ROSTER_INVALID',
        message: expect.stringContaining('staff.0.idNumber'),
      }),
    )
    expect(() =>
      parseRosterFile({ version: '1', staff: [{ name: '甲', idNumber: LINA.id, role: 'boss' }] }),
    ).toThrow(expect.objectContaining({ code: 'AUTH_ROSTER_INVALID' }))
  })

  it('matches people, honours certificate bindings and disabled entries', async () => {
    const db = openDatabase({ file: ':memory:' })
    const service = new RosterService(db, { timeoutMs: 500, builtIn: roster }, silentLogger)
    const r = await service.load()
    expect(service.match(r, LINA.id, 'ab'.repeat(32)).role).toBe('clerk')
    expect(() => service.match(r, WANG.id, 'ab'.repeat(32))).toThrow(
      expect.objectContaining({ code: 'AUTH_STAFF_DISABLED' }),
    )
    expect(() => service.match(r, '11010519491231002X', 'ab'.repeat(32))).toThrow(
      expect.objectContaining({ code: 'AUTH_NOT_IN_ROSTER' }),
    )
    const bound = new RosterService(
      db,
      {
        timeoutMs: 500,
        builtIn: {
          version: '2',
          staff: [
            {
              name: LINA.name,
              idNumber: LINA.id,
              role: 'clerk',
              certificates: ['AB:'.repeat(31) + 'AB'],
            },
          ],
        },
      },
      silentLogger,
    )
    const rb = await bound.load()
    expect(bound.match(rb, LINA.id, 'ab'.repeat(32)).name).toBe(LINA.name)
    expect(() => bound.match(rb, LINA.id, 'cd'.repeat(32))).toThrow(
      expect.objectContaining({ code: 'AUTH_NOT_IN_ROSTER' }),
    )
    db.close()
  })
})

describe('roster sources and the offline cache', () => {
  it('reads a file; caches it with hashed ID numbers only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-'))
    const file = join(dir, 'roster.json')
    writeFileSync(file, '\uFEFF' + JSON.stringify(roster))
    const db = openDatabase({ file: join(dir, 'db.sqlite') })
    const service = new RosterService(db, { file, timeoutMs: 500 }, silentLogger)
    expect((await service.load()).cached).toBe(false)
    const stored = JSON.stringify(db.prepare('SELECT * FROM auth_roster').all())
    expect(stored).not.toContain(LINA.id)
    expect(stored).toContain(LINA.name)
    db.close()
  })

  it('signs in offline from the cache when the roster server is unreachable, flagged', async () => {
    let up = true
    const url = await serve(() => (up ? JSON.stringify(roster) : 'not json'))
    env = await authEnv({ rosterSource: { url, timeoutMs: 5000 } })
    await env.insert('lina')
    expect((await env.service.signIn('sim/lina', '123456')).staff).toMatchObject({
      offline: false,
      offlineReasons: [],
    })
    env.service.signOut()
    // The server goes away: the cached roster still signs the clerk in, flagged offline.
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
    up = false
    expect((await env.service.signIn('sim/lina', '123456')).staff).toMatchObject({
      offline: true,
      offlineReasons: ['roster-cached'],
    })
  })

  it('with neither source nor cache, nobody signs in', async () => {
    env = await authEnv({ rosterSource: { url: 'http://127.0.0.1:9/none.json', timeoutMs: 300 } })
    await env.insert('lina')
    expect(await codeOf(env.service.signIn('sim/lina', '123456'))).toBe('AUTH_ROSTER_UNAVAILABLE')
  })
})
