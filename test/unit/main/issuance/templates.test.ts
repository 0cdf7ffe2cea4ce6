/**
 * The licence catalogue as data: entries checked one by one (a bad one never hides the good
 * ones), the local copy for offline work, and the face-field rules the form and the core share.
 */
import { describe, expect, it } from 'vitest'
import {
  defaultValidTo,
  isSafePattern,
  LicenceTemplateSchema,
  validateFaceValues,
  type FaceField,
} from '../../../../src/shared/domain'
import {
  createTemplateStore,
  parseCatalogueEntries,
  TRAINING_LICENCE_TYPES,
} from '../../../../src/main/issuance'
import { silentLogger } from '../../../../src/main/log'
import { openTestDb } from '../sync/helpers'

const field = (f: Partial<FaceField> & Pick<FaceField, 'key' | 'kind'>): FaceField =>
  LicenceTemplateSchema.shape.fields.element.parse({ label: f.key, ...f }) as FaceField

describe('catalogue entries', () => {
  it('the training catalogue is valid and covers persons and enterprises', () => {
    const { templates, problems } = parseCatalogueEntries(TRAINING_LICENCE_TYPES)
    expect(problems).toEqual([])
    expect(templates.map((t) => t.holderTypes.join())).toEqual(['111', '111', '001'])
  })

  it('skips bad entries with the reason and keeps the newest version of each type', () => {
    const good = TRAINING_LICENCE_TYPES[0]!
    const { templates, problems } = parseCatalogueEntries([
      good,
      { ...good, version: good.version + 1, name: '新版' },
      { ...good, typeCode: 'SHORT' },
      {
        ...TRAINING_LICENCE_TYPES[1]!,
        fields: [{ key: 'a', label: 'A', kind: 'text', pattern: '(a+)+' }],
      },
      { ...TRAINING_LICENCE_TYPES[2]!, numbering: { kind: 'field', field: 'missing' } },
      'not an object',
    ])
    expect(templates.map((t) => [t.typeCode, t.name])).toEqual([[good.typeCode, '新版']])
    expect(problems.map((p) => p.typeCode)).toEqual([
      'SHORT',
      '11100000000013338W011',
      '11100000000018569J006',
      '(无类型代码)',
    ])
    expect(problems[1]!.problem).toContain('fields.0.pattern')
  })

  it('keeps a local copy that survives, and an empty publication does not wipe it', () => {
    const db = openTestDb()
    const store = createTemplateStore(db, silentLogger)
    expect(() => store.get('51100000500010176E001')).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_CATALOGUE_EMPTY' }),
    )
    expect(store.replace(TRAINING_LICENCE_TYPES, 'HN_catalog_release').saved).toBe(3)
    expect(store.replace([], 'HN_catalog_release').saved).toBe(0)
    const reopened = createTemplateStore(db, silentLogger)
    expect(reopened.size).toBe(3)
    expect(reopened.get('51100000500010176E001').name).toBe('中华人民共和国残疾人证')
    expect(() => reopened.get('11100000000013338W099')).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_UNKNOWN_TYPE' }),
    )
    // A withdrawn type disappears with the next publication.
    reopened.replace(TRAINING_LICENCE_TYPES.slice(0, 2), 'HN_catalog_release')
    expect(createTemplateStore(db, silentLogger).size).toBe(2)
  })
})

describe('catalogue entries from outside', () => {
  it('mangled entries are reported one by one, never thrown, never half-accepted', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
    const junk = [
      null,
      0,
      -1,
      Number.POSITIVE_INFINITY,
      '',
      'x'.repeat(5000),
      [],
      {},
      true,
      '(a+)+$',
      { kind: 'zzz' },
    ]
    const mutate = (v: unknown, depth: number): unknown => {
      if (random() < 0.08) return junk[Math.floor(random() * junk.length)]
      if (Array.isArray(v)) return v.filter(() => random() > 0.05).map((x) => mutate(x, depth + 1))
      if (v && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v)
            .filter(() => random() > 0.05)
            .map(([k, x]) => [k, mutate(x, depth + 1)]),
        )
      return v
    }
    for (let round = 0; round < 400; round++) {
      const entries = TRAINING_LICENCE_TYPES.map((t) => mutate(t, 0))
      const { templates, problems } = parseCatalogueEntries(entries)
      expect(templates.length + problems.length).toBeLessThanOrEqual(entries.length)
      // Whatever is accepted passes the schema in full: no field without its rules.
      for (const t of templates) expect(LicenceTemplateSchema.safeParse(t).success).toBe(true)
    }
  })
})

describe('face field rules', () => {
  const fields = [
    field({ key: 'name', kind: 'text', maxLength: 4 }),
    field({ key: 'since', kind: 'date' }),
    field({ key: 'level', kind: 'select', options: ['一级', '二级'] }),
    field({ key: 'area', kind: 'integer', min: 1, max: 100 }),
    field({ key: 'id', kind: 'citizen-id', required: false }),
    field({ key: 'uscc', kind: 'uscc', required: false }),
    field({
      key: 'phone',
      kind: 'text',
      pattern: '1[3-9]\\d{9}',
      patternHint: '手机号',
      required: false,
    }),
    field({ key: 'addr', kind: 'text', minLength: 6, required: false }),
  ]

  it('accepts good values', () => {
    expect(
      validateFaceValues(fields, {
        name: '张建国',
        since: '2024-02-29',
        level: '二级',
        area: '100',
        id: '11010519491231002X',
        uscc: '91410105MA44K7QX15',
        phone: '13800138000',
        addr: '郑州市金水区花园路',
      }),
    ).toEqual([])
  })

  it('names each problem with a stable code', () => {
    const issues = validateFaceValues(fields, {
      name: '张建国国国',
      since: '2025-02-29',
      level: '三级',
      area: '101',
      id: '110105194912310021',
      uscc: '91410105MA44K7QX16',
      phone: '12800138000',
      addr: '郑州',
      extra: 'x',
    })
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['extra', 'unknown-field'],
      ['name', 'too-long'],
      ['since', 'date'],
      ['level', 'option'],
      ['area', 'range'],
      ['id', 'checksum'],
      ['uscc', 'checksum'],
      ['phone', 'pattern'],
      ['addr', 'too-short'],
    ])
    expect(issues.find((i) => i.field === 'phone')?.params).toEqual({ hint: '手机号' })
    expect(validateFaceValues(fields, {}).map((i) => i.field)).toEqual([
      'name',
      'since',
      'level',
      'area',
    ])
    expect(validateFaceValues(fields, { name: '   ' })[0]).toEqual({
      field: 'name',
      code: 'required',
    })
  })

  it('refuses patterns that could hang the form', () => {
    for (const bad of ['(a+)+', '(\\d*)*$', '(x|y+){2,}', '(a)\\1', '[', '(?<n>a)\\k<n>'])
      expect(isSafePattern(bad), bad).toBe(false)
    for (const ok of ['1[3-9]\\d{9}', '[A-Z]{2}\\d+', '(京|沪)[A-Z]\\d{5}'])
      expect(isSafePattern(ok), ok).toBe(true)
  })

  it('derives the validity end: N years less a day, month ends kept', () => {
    expect(defaultValidTo({ kind: 'years', years: 5 }, '2026-03-01')).toBe('2031-02-28')
    expect(defaultValidTo({ kind: 'years', years: 1 }, '2024-02-29')).toBe('2025-02-28')
    expect(defaultValidTo({ kind: 'years', years: 10 }, '2026-11-22')).toBe('2036-11-21')
    expect(defaultValidTo({ kind: 'long-term' }, '2026-11-22')).toBe('long-term')
    expect(defaultValidTo({ kind: 'entered' }, '2026-11-22')).toBeUndefined()
  })
})
