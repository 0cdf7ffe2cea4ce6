/**
 * The access log as supervisors use it: list, verify, export as CSV or JSON with the chain
 * checked — each export itself logged — and nobody else may.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HOLDERS } from '../../../../src/main/training'
import { codeOf, fixture, SUPERVISOR, type Fixture } from '../licences/fixture'

const open: Fixture[] = []
afterEach(async () => {
  for (const f of open.splice(0)) await f.close()
})

async function withEntries(): Promise<Fixture> {
  const f = await fixture()
  open.push(f)
  f.identify(HOLDERS.zhang.code, '410100-ZRZY-0031')
  await f.handlers.licences.list()
  const [first] = (await f.handlers.licences.list()).items
  await f.handlers.licences.preview(first!.identifier)
  return f
}

describe('the access log for supervisors', () => {
  it('is closed to clerks, and the refusal is itself on record', async () => {
    const f = await withEntries()
    const before = f.audit.count()
    expect(await codeOf(Promise.resolve().then(() => f.handlers.audit.list({})))).toBe(
      'ROLE_SUPERVISOR_REQUIRED',
    )
    expect(
      await codeOf(Promise.resolve().then(() => f.handlers.audit.export({ format: 'csv' }))),
    ).toBe('ROLE_SUPERVISOR_REQUIRED')
    expect(await codeOf(Promise.resolve().then(() => f.handlers.audit.verify()))).toBe(
      'ROLE_SUPERVISOR_REQUIRED',
    )
    f.staff.who = null
    expect(await codeOf(Promise.resolve().then(() => f.handlers.audit.list({})))).toBe(
      'AUTH_REQUIRED',
    )
    expect(f.audit.count()).toBe(before + 4)
    expect(
      f.audit
        .list({ limit: 4 })
        .map((e) => [e.action, e.staffName, e.staffRole, e.result, e.detail]),
    ).toEqual([
      ['audit-view', '(未登录)', '', 'refused:AUTH_REQUIRED', 'list'],
      ['audit-view', '窗口甲', 'clerk', 'refused:ROLE_SUPERVISOR_REQUIRED', 'verify'],
      ['audit-export', '窗口甲', 'clerk', 'refused:ROLE_SUPERVISOR_REQUIRED', 'csv'],
      ['audit-view', '窗口甲', 'clerk', 'refused:ROLE_SUPERVISOR_REQUIRED', 'list'],
    ])
    // Nothing was exported for the clerk.
    expect(existsSync(join(f.exportRoot, 'audit'))).toBe(false)
    expect(f.audit.verify()).toMatchObject({ ok: true })
  })

  it('exports CSV with the chain check beside it, and logs the export', async () => {
    const f = await withEntries()
    f.staff.who = SUPERVISOR
    const r = await f.handlers.audit.export({ format: 'csv' })
    expect(r).toMatchObject({ format: 'csv', entries: 3, chain: { ok: true, checked: 3 } })
    const text = readFileSync(join(f.exportRoot, r.path), 'utf8')
    const lines = text.trim().split('\r\n')
    expect(lines).toHaveLength(2 + 3)
    expect(lines[1]).toBe(
      'seq,at,action,staffName,staffCert,staffRole,terminal,holder,holderType,matter,reason,businessSerial,licences,result,detail,prevHash,hash',
    )
    expect(text).toContain('410105********0032')
    expect(text).not.toContain(HOLDERS.zhang.code)
    const sidecar = JSON.parse(
      readFileSync(join(f.exportRoot, r.path.replace(/\.csv$/, '.chain.json')), 'utf8'),
    )
    expect(sidecar.chain).toMatchObject({ ok: true })
    expect(f.audit.list()[0]).toMatchObject({
      action: 'audit-export',
      staffRole: 'supervisor',
      result: 'ok',
    })
  })

  it('exports JSON filtered by action, with the whole chain checked', async () => {
    const f = await withEntries()
    f.staff.who = SUPERVISOR
    const r = await f.handlers.audit.export({ format: 'json', action: 'preview' })
    const body = JSON.parse(readFileSync(join(f.exportRoot, r.path), 'utf8'))
    expect(body.entries.map((e: { action: string }) => e.action)).toEqual(['preview'])
    expect(body).toMatchObject({ terminal: 'TRAIN-01', chain: { ok: true, checked: 3 } })
    expect(body.exportedBy).toContain('审核乙')
  })

  it('leaves no export behind when the log cannot record it', async () => {
    const f = await withEntries()
    f.staff.who = SUPERVISOR
    f.db.exec(`CREATE TRIGGER audit_full BEFORE INSERT ON audit_log
               BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    for (const format of ['csv', 'json'] as const)
      expect(await codeOf(Promise.resolve().then(() => f.handlers.audit.export({ format })))).toBe(
        'AUDIT_WRITE_FAILED',
      )
    expect(readdirSync(join(f.exportRoot, 'audit'))).toEqual([])
  })

  it('reports a broken chain in the export instead of hiding it', async () => {
    const f = await withEntries()
    f.staff.who = SUPERVISOR
    f.db.exec('DROP TRIGGER audit_log_no_update')
    f.db.prepare("UPDATE audit_log SET result = 'refused:SCOPE_NO_HOLDER' WHERE seq = 2").run()
    expect(await f.handlers.audit.verify()).toMatchObject({ ok: false, broken: { seq: 2 } })
    const r = await f.handlers.audit.export({ format: 'json' })
    expect(r.chain).toMatchObject({ ok: false, broken: { seq: 2, problem: 'hash' } })
  })
})
