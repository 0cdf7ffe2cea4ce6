/**
 * Licence types as published in the catalogue (HN_catalog_release, or the library's catalogue
 * service), and the local copy kept in SQLite so a field office can issue offline. Entries are
 * checked one by one: a bad entry is skipped with a warning, it never hides the good ones.
 */
import {
  LicenceTemplateSchema,
  type LicenceTemplate,
  type LicenceTemplateView,
} from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { Db } from '../db'
import type { Logger } from '../log'

export interface CatalogueEntryProblem {
  readonly typeCode: string
  readonly problem: string
}

export interface ParsedCatalogue {
  readonly templates: LicenceTemplate[]
  readonly problems: CatalogueEntryProblem[]
}

/** Validates raw catalogue entries; for one type code only the highest version is kept. */
export function parseCatalogueEntries(entries: readonly unknown[]): ParsedCatalogue {
  const best = new Map<string, LicenceTemplate>()
  const problems: CatalogueEntryProblem[] = []
  for (const raw of entries) {
    const parsed = LicenceTemplateSchema.safeParse(raw)
    if (!parsed.success) {
      const code =
        raw &&
        typeof raw === 'object' &&
        typeof (raw as { typeCode?: unknown }).typeCode === 'string'
          ? String((raw as { typeCode: string }).typeCode).slice(0, 32)
          : '(无类型代码)'
      const i = parsed.error.issues[0]!
      problems.push({ typeCode: code, problem: `${i.path.join('.') || '(根)'}: ${i.message}` })
      continue
    }
    const have = best.get(parsed.data.typeCode)
    if (!have || parsed.data.version > have.version) best.set(parsed.data.typeCode, parsed.data)
  }
  return { templates: [...best.values()], problems }
}

export function templateView(
  t: LicenceTemplate,
  holderType: string | undefined,
): LicenceTemplateView {
  return {
    typeCode: t.typeCode,
    name: t.name,
    department: t.department,
    holderTypes: t.holderTypes,
    allowedForHolder: holderType !== undefined && t.holderTypes.includes(holderType),
    version: t.version,
    fields: t.fields.map((f) => ({
      key: f.key,
      label: f.label,
      kind: f.kind,
      required: f.required,
      ...(f.minLength !== undefined ? { minLength: f.minLength } : {}),
      maxLength: f.maxLength,
      ...(f.pattern !== undefined ? { pattern: f.pattern } : {}),
      ...(f.patternHint !== undefined ? { patternHint: f.patternHint } : {}),
      ...(f.options !== undefined ? { options: f.options } : {}),
      ...(f.min !== undefined ? { min: f.min } : {}),
      ...(f.max !== undefined ? { max: f.max } : {}),
      ...(f.prefill !== undefined ? { prefill: f.prefill } : {}),
      locked: f.locked,
    })),
    validity: t.validity,
    templateId: t.template.id,
  }
}

export interface TemplateStore {
  list(): readonly LicenceTemplate[]
  get(typeCode: string): LicenceTemplate
  /**
   * Replaces the local copy with what the catalogue published. An empty publication leaves the
   * copy alone (a half-loaded front-end table must not wipe the office's catalogue).
   */
  replace(
    entries: readonly unknown[],
    source: string,
  ): { saved: number; problems: CatalogueEntryProblem[] }
  readonly size: number
}

export function createTemplateStore(db: Db, logger: Logger): TemplateStore {
  let cache: Map<string, LicenceTemplate> | undefined
  const load = (): Map<string, LicenceTemplate> => {
    if (cache) return cache
    const rows = db.prepare('SELECT type_code, body FROM licence_templates').all() as {
      type_code: string
      body: string
    }[]
    const parsed = parseCatalogueEntries(
      rows.flatMap((r) => {
        try {
          return [JSON.parse(r.body) as unknown]
        } catch {
          logger.error('stored catalogue entry is not JSON', { typeCode: r.type_code })
          return []
        }
      }),
    )
    for (const p of parsed.problems) logger.error('stored catalogue entry invalid', { ...p })
    cache = new Map(parsed.templates.map((t) => [t.typeCode, t]))
    return cache
  }
  return {
    list: () => [...load().values()].sort((a, b) => a.typeCode.localeCompare(b.typeCode)),
    get(typeCode) {
      const t = load().get(typeCode)
      if (!t) {
        if (load().size === 0) throw new CounterError('ISSUANCE_CATALOGUE_EMPTY')
        throw new CounterError('ISSUANCE_UNKNOWN_TYPE', { params: { type: typeCode } })
      }
      return t
    },
    get size() {
      return load().size
    },
    replace(entries, source) {
      const { templates, problems } = parseCatalogueEntries(entries)
      for (const p of problems) logger.warn('catalogue entry skipped', { ...p, source })
      if (templates.length === 0) return { saved: 0, problems }
      const now = new Date().toISOString()
      const upsert = db.prepare(
        `INSERT INTO licence_templates (type_code, version, body, source, released_at, fetched_at)
         VALUES (@typeCode, @version, @body, @source, @releasedAt, @now)
         ON CONFLICT (type_code) DO UPDATE SET version = excluded.version, body = excluded.body,
           source = excluded.source, released_at = excluded.released_at, fetched_at = excluded.fetched_at`,
      )
      db.transaction(() => {
        const keep = new Set(templates.map((t) => t.typeCode))
        for (const code of (
          db.prepare('SELECT type_code FROM licence_templates').all() as { type_code: string }[]
        ).map((r) => r.type_code)) {
          if (!keep.has(code))
            db.prepare('DELETE FROM licence_templates WHERE type_code = ?').run(code)
        }
        for (const t of templates)
          upsert.run({
            typeCode: t.typeCode,
            version: t.version,
            body: JSON.stringify(t),
            source,
            releasedAt: t.releasedAt,
            now,
          })
      })()
      cache = undefined
      return { saved: templates.length, problems }
    },
  }
}
