/**
 * The matter catalogue: signed files, the stored last good copy, and administrators' changes —
 * which only administrators may make, and which are logged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MatterCatalogue } from '../../../../src/shared/domain'
import { sm2GenerateKeyPair } from '../../../../src/main/crypto'
import { openDatabase, type Db } from '../../../../src/main/db'
import {
  canonicalJson,
  compareCatalogueVersions,
  loadCatalogue,
  parseCatalogue,
  parseCatalogueText,
  signCatalogue,
  storeCatalogue,
  type CatalogueProvenance,
} from '../../../../src/main/licences'
import { silentLogger } from '../../../../src/main/log'
import { ADMIN, codeOf, fixture, root, SUPERVISOR, type Fixture } from './fixture'

const bundled = join(root, 'resources/catalogue/training-catalogue.json')
const training = (): MatterCatalogue => parseCatalogue(JSON.parse(readFileSync(bundled, 'utf8')))
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

const cleanup: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c()
})
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-'))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
function db(dir: string): Db {
  const d = openDatabase({ file: join(dir, 'c.db') })
  cleanup.push(() => void d.close())
  return d
}
/** A terminal starting with a catalogue file, signature not required. */
const loadUnsigned = (file: string, d: Db) =>
  loadCatalogue({ file, db: d, logger: silentLogger, requireSignature: false, trustedKeys: [] })
/** Where an administrator's edit comes from, as the module records it. */
const edit = (): CatalogueProvenance => ({
  source: 'edited',
  origin: '本终端编辑',
  loadedAt: new Date().toISOString(),
})

describe('signed catalogue files', () => {
  const keys = sm2GenerateKeyPair()
  const trusted = [hex(keys.publicKey)]

  it('canonical JSON ignores key order and whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: '事' }] })).toBe('{"a":[{"c":"事","d":2}],"b":1}')
    expect(canonicalJson(JSON.parse(JSON.stringify(training(), null, 4)))).toBe(
      canonicalJson(training()),
    )
  })

  it('accepts a file signed by a trusted key, whatever its formatting', () => {
    const signed = signCatalogue(training(), keys, '河南省事项目录管理员')
    const text = JSON.stringify(signed, null, 4)
    expect(
      parseCatalogueText(text, { requireSignature: true, trustedKeys: trusted }),
    ).toMatchObject({
      signer: '河南省事项目录管理员',
      catalogue: { version: training().version },
    })
  })

  it.each([
    [
      'a changed reason of use',
      (s: string) => s.replace('办理生育登记', '任意查询'),
      'CATALOGUE_SIGNATURE_INVALID',
    ],
    [
      'a widened matter',
      (s: string) => s.replace('"optionalTypes": []', '"optionalTypes": ["11100000717832007F001"]'),
      'CATALOGUE_SIGNATURE_INVALID',
    ],
    [
      'an unsigned file where a signature is required',
      (s: string) => JSON.stringify(JSON.parse(s).catalogue),
      'CATALOGUE_UNSIGNED',
    ],
    ['not JSON', () => '{"catalogue": ', 'CATALOGUE_INVALID'],
  ])('refuses %s', (_n, change, code) => {
    const text = change(JSON.stringify(signCatalogue(training(), keys, 'x'), null, 2))
    expect(() =>
      parseCatalogueText(text, { requireSignature: true, trustedKeys: trusted }),
    ).toThrow(expect.objectContaining({ code }))
  })

  it('refuses a signer the terminal does not trust', () => {
    const other = sm2GenerateKeyPair()
    const text = JSON.stringify(signCatalogue(training(), other, '别人'))
    expect(() =>
      parseCatalogueText(text, { requireSignature: true, trustedKeys: trusted }),
    ).toThrow(expect.objectContaining({ code: 'CATALOGUE_UNTRUSTED_SIGNER' }))
  })

  it('refuses a matter that names an undefined licence type, or no reason of use', () => {
    const c = training()
    expect(() =>
      parseCatalogue({
        ...c,
        matters: [{ ...c.matters[0]!, requiredTypes: ['99999999999999999999X'] }],
      }),
    ).toThrow(expect.objectContaining({ code: 'CATALOGUE_INVALID' }))
    expect(() =>
      parseCatalogue({ ...c, matters: [{ ...c.matters[0]!, reasonOfUse: ' ' }] }),
    ).toThrow(expect.objectContaining({ code: 'CATALOGUE_INVALID' }))
  })
})

describe('the catalogue at start', () => {
  it('keeps working from the stored copy when the file is unusable', () => {
    const dir = tmp()
    const d = db(dir)
    loadUnsigned(bundled, d)
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{')
    const c = loadUnsigned(broken, d)
    expect(c.info()).toMatchObject({
      source: 'stored',
      version: training().version,
      matterCount: 7,
    })
  })

  it('an administrator’s edit survives a restart until a newer file arrives', () => {
    const dir = tmp()
    const d = db(dir)
    const c = loadUnsigned(bundled, d)
    const edited = { ...training(), version: `${training().version}+edit.202603020900` }
    const provenance = edit()
    c.replace(edited, provenance)
    // Stored the way the module stores it.
    storeCatalogue(d, edited, provenance)
    const restarted = loadUnsigned(bundled, d)
    expect(restarted.version).toBe(edited.version)
    const newer = join(dir, 'newer.json')
    writeFileSync(newer, JSON.stringify({ ...training(), version: '2027.01' }))
    const updated = loadUnsigned(newer, d)
    expect(updated.info()).toMatchObject({ version: '2027.01', source: 'file' })
  })
})

describe('catalogue versions', () => {
  it('are ordered by meaning, not as text', () => {
    const ordered = [
      '2026.9',
      '2026.9+edit.202603020900',
      '2026.9+edit.202603021000',
      '2026.10-rc.2',
      '2026.10-rc.10',
      '2026.10',
      '2026.11-library',
      '2026.11-training',
      '2026.11-training+edit.202603020900',
      '2027.01',
      '2027.2',
    ]
    for (let i = 0; i < ordered.length; i++)
      for (let j = 0; j < ordered.length; j++)
        expect([
          ordered[i],
          ordered[j],
          Math.sign(compareCatalogueVersions(ordered[i]!, ordered[j]!)),
        ]).toEqual([ordered[i], ordered[j], Math.sign(i - j)])
    expect(compareCatalogueVersions('2027.01', '2027.1')).toBe(0)
  })

  it('a bundled 2026.10 supersedes an administrator’s edit of 2026.9', () => {
    const dir = tmp()
    const d = db(dir)
    const write = (name: string, version: string) => {
      const file = join(dir, name)
      writeFileSync(file, JSON.stringify({ ...training(), version }))
      return file
    }
    loadUnsigned(write('old.json', '2026.9'), d)
    const edited = { ...training(), version: '2026.9+edit.202603020900' }
    storeCatalogue(d, edited, edit())
    // The same file again: the edit stays in force.
    expect(loadUnsigned(join(dir, 'old.json'), d).info()).toMatchObject({
      version: edited.version,
      source: 'edited',
    })
    // As text '2026.10' sorts before '2026.9…', which kept the old edit in force.
    expect(loadUnsigned(write('new.json', '2026.10'), d).info()).toMatchObject({
      version: '2026.10',
      source: 'file',
    })
  })
})

describe('administrators only, and logged', () => {
  const open: Fixture[] = []
  afterEach(async () => {
    for (const f of open.splice(0)) await f.close()
  })
  async function make(): Promise<Fixture> {
    const f = await fixture({
      sandbox: { catalogue: { ...training(), version: '2026.12-library' } },
    })
    open.push(f)
    return f
  }

  it('a clerk or a supervisor cannot change the catalogue', async () => {
    const f = await make()
    const c = training()
    for (const who of [null, SUPERVISOR]) {
      if (who) f.staff.who = who
      expect(await codeOf(Promise.resolve().then(() => f.handlers.catalogue.save(c)))).toBe(
        'ROLE_ADMIN_REQUIRED',
      )
      expect(await codeOf(f.handlers.catalogue.reload())).toBe('ROLE_ADMIN_REQUIRED')
    }
    expect(
      f.audit
        .list({ action: 'catalogue-change' })
        .every((e) => e.result === 'refused:ROLE_ADMIN_REQUIRED'),
    ).toBe(true)
  })

  it('an administrator edits a reason of use: a new version, in force at once, announced and logged', async () => {
    const f = await make()
    f.staff.who = ADMIN
    const c = training()
    const info = await f.handlers.catalogue.save({
      ...c,
      matters: c.matters.map((m) =>
        m.code === '410100-WJW-0012' ? { ...m, reasonOfUse: '办理生育登记（新）' } : m,
      ),
    })
    expect(info).toMatchObject({ source: 'edited', editedBy: '管理丙' })
    expect(info.version).toMatch(/\+edit\.\d{12}$/)
    expect(f.ctx.catalogue.matter('410100-WJW-0012')!.reasonOfUse).toBe('办理生育登记（新）')
    expect(f.events.some((e) => e.event === 'catalogue')).toBe(true)
    expect(f.audit.list()[0]).toMatchObject({
      action: 'catalogue-change',
      staffRole: 'administrator',
      result: 'ok',
    })
  })

  it('an administrator reloads from the library; a broken one keeps the current catalogue', async () => {
    const f = await make()
    f.staff.who = ADMIN
    expect(await f.handlers.catalogue.reload()).toMatchObject({
      version: '2026.12-library',
      source: 'library',
    })
    f.sandbox.setFault({ kind: 'wrong-types' })
    expect(await codeOf(f.handlers.catalogue.reload())).toBe('LIBRARY_BAD_RESPONSE')
    expect(f.ctx.catalogue.version).toBe('2026.12-library')
  })
})

describe('fuzz: catalogue files from outside', () => {
  it('any mutation of a signed file is refused with a catalogue error, never a crash', () => {
    const keys = sm2GenerateKeyPair()
    const text = JSON.stringify(signCatalogue(training(), keys, '管理员'))
    let x = 0x1234567
    const next = () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) / 0x100000000
    }
    const started = performance.now()
    let accepted = 0
    for (let i = 0; i < 400; i++) {
      const chars = [...text]
      const edits = 1 + Math.floor(next() * 3)
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(next() * chars.length)
        const op = next()
        if (op < 0.4) chars[at] = String.fromCharCode(32 + Math.floor(next() * 95))
        else if (op < 0.7) chars.splice(at, 1)
        else chars.splice(at, 0, '"{}[],:'[Math.floor(next() * 7)]!)
      }
      try {
        parseCatalogueText(chars.join(''), {
          requireSignature: true,
          trustedKeys: [hex(keys.publicKey)],
        })
        accepted++
      } catch (error) {
        expect((error as { code?: string }).code).toMatch(/^CATALOGUE_/)
      }
    }
    // Only edits a signature does not cover (formatting, the signer's display name) may pass.
    expect(accepted).toBeLessThan(40)
    expect(performance.now() - started).toBeLessThan(30_000)
  })
})
