/**
 * The licence catalogue on the front-end processor. Issuers read HN_catalog_release (what the
 * province published); the newest version of each type wins, and a withdrawn (已停用) or deleted
 * type drops out. Publishing is the province's side: the CLI and the tests use it to stand up a
 * front-end processor with a catalogue in it.
 */
import { randomUUID } from 'node:crypto'
import type { Connection } from 'mysql2/promise'
import type { LicenceTemplateInput } from '../../../shared/domain'

interface ReleaseRow {
  row_guid: string
  cd_operation: string
  cd_version: number
  cd_time: string
  catalog_code: string
  catalog_name: string
  define_dept: string
  holder_types: string
  face_items: string
  validity_rule: string
  numbering_rule: string
  template_json: string
  release_status: string
  release_time: string
}

function json(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // Left for the catalogue check to report as an invalid entry.
    return undefined
  }
}

/** One release row as a catalogue entry (validated later by the issuance domain). */
export function releaseRowToEntry(r: ReleaseRow): Record<string, unknown> {
  return {
    typeCode: r.catalog_code,
    name: r.catalog_name,
    department: r.define_dept,
    holderTypes: r.holder_types
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    fields: json(r.face_items),
    validity: json(r.validity_rule),
    numbering: json(r.numbering_rule),
    template: json(r.template_json),
    version: Number(r.cd_version),
    releasedAt: r.release_time,
  }
}

export async function readPublishedCatalogue(
  conn: Connection,
  timeoutMs = 30_000,
): Promise<unknown[]> {
  const [rows] = await conn.query({
    sql: `SELECT row_guid, cd_operation, cd_version, cd_time, catalog_code, catalog_name,
            define_dept, holder_types, face_items, validity_rule, numbering_rule, template_json,
            release_status, release_time
          FROM HN_catalog_release ORDER BY catalog_code, cd_version, cd_time`,
    timeout: timeoutMs,
  })
  const latest = new Map<string, ReleaseRow>()
  for (const r of rows as ReleaseRow[]) latest.set(r.catalog_code, r)
  return [...latest.values()]
    .filter((r) => r.cd_operation !== 'D' && r.release_status === '已发布')
    .map(releaseRowToEntry)
}

/** Writes catalogue entries into HN_catalog_release as the province would publish them. */
export async function publishCatalogue(
  conn: Connection,
  entries: readonly LicenceTemplateInput[],
  batchNo = `CAT-${Date.now()}`,
): Promise<number> {
  for (const e of entries) {
    await conn.query(
      `INSERT INTO HN_catalog_release (row_guid, cd_batch, cd_operation, cd_time, cd_version,
         catalog_code, catalog_name, define_dept, holder_types, face_items, validity_rule,
         numbering_rule, template_json, release_status, release_time)
       VALUES (?, ?, 'I', NOW(3), ?, ?, ?, ?, ?, ?, ?, ?, ?, '已发布', ?)`,
      [
        randomUUID(),
        batchNo,
        e.version,
        e.typeCode,
        e.name,
        e.department,
        e.holderTypes.join(','),
        JSON.stringify(e.fields),
        JSON.stringify(e.validity),
        JSON.stringify(e.numbering ?? { kind: 'serial', prefix: '' }),
        JSON.stringify(e.template),
        e.releasedAt.slice(0, 19).replace('T', ' '),
      ],
    )
  }
  return entries.length
}
