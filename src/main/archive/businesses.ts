/**
 * The businesses whose licences are to be archived: the licences a clerk took as application
 * materials for a business serial (the licences domain's attachment records and the export
 * folders it wrote beside them). Read-only: the archive never changes those records.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, normalize, sep } from 'node:path'
import type { ArchiveQuery, Matter } from '../../shared/domain'
import { shanghaiDayAfter, shanghaiDayStart } from '../../shared/time'
import type { Db } from '../db'
import { findAttachments } from '../licences'

export interface BusinessLicence {
  readonly identifier: string
  readonly typeName: string
  readonly number: string
  readonly issuer?: string
  readonly issuerCode?: string
  /** The exported file, when it is still there with the digest recorded for it. */
  readonly file?: {
    readonly path: string
    readonly format: 'ofd' | 'png' | 'jpeg'
    readonly sha256: string
  }
}

export interface BusinessRecord {
  readonly businessSerial: string
  readonly matterCode: string
  readonly matterName: string
  readonly at: string
  readonly holder: string
  readonly licences: readonly BusinessLicence[]
}

interface RawItem {
  identifier?: unknown
  typeName?: unknown
  number?: unknown
  fileName?: unknown
  format?: unknown
  sha256?: unknown
}

interface ManifestItem {
  identifier?: unknown
  issuer?: unknown
  issuerCode?: unknown
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** A path inside the export root, or undefined for anything that would leave it. */
function inside(root: string, ...parts: string[]): string | undefined {
  const base = normalize(root + sep)
  const full = normalize(join(root, ...parts))
  return full.startsWith(base) ? full : undefined
}

function manifestIssuers(dir: string): Map<string, { issuer: string; issuerCode: string }> {
  const out = new Map<string, { issuer: string; issuerCode: string }>()
  try {
    const text = readFileSync(join(dir, 'materials.json'), 'utf8')
    if (text.length > 4 * 1024 * 1024) return out
    const parsed = JSON.parse(text) as { items?: unknown }
    if (!Array.isArray(parsed.items)) return out
    for (const it of parsed.items as ManifestItem[]) {
      const id = str(it.identifier)
      if (id) out.set(id, { issuer: str(it.issuer), issuerCode: str(it.issuerCode) })
    }
  } catch {
    // A missing or damaged manifest only costs the issuer's name on the copy.
  }
  return out
}

export function sha256File(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex')
  } catch {
    return undefined
  }
}

/**
 * The businesses matching a query, oldest first; a business attached more than once shows its
 * licences once (the latest attachment's file wins).
 */
export function findBusinesses(
  db: Db,
  exportRoot: string,
  query: ArchiveQuery,
  matters: readonly Matter[],
): BusinessRecord[] {
  const rows = findAttachments(db, {
    ...(query.from ? { from: shanghaiDayStart(query.from) } : {}),
    ...(query.to ? { before: shanghaiDayAfter(query.to) } : {}),
    ...(query.matterCode ? { matterCode: query.matterCode } : {}),
    ...(query.serials ? { serials: query.serials } : {}),
  })

  const names = new Map(matters.map((m) => [m.code, m.name]))
  const bySerial = new Map<
    string,
    { record: Omit<BusinessRecord, 'licences'>; licences: Map<string, BusinessLicence> }
  >()
  for (const row of rows) {
    // Written by this app, but read defensively: a damaged record costs its own entries only.
    const items = row.items.filter((i): i is RawItem => typeof i === 'object' && i !== null)
    const dir = inside(exportRoot, row.exportPath)
    const issuers = dir ? manifestIssuers(dir) : new Map()
    let entry = bySerial.get(row.businessSerial)
    if (!entry) {
      entry = {
        record: {
          businessSerial: row.businessSerial,
          matterCode: row.matterCode,
          matterName: names.get(row.matterCode) ?? row.matterCode,
          at: row.createdAt,
          holder: row.holder,
        },
        licences: new Map(),
      }
      bySerial.set(row.businessSerial, entry)
    }
    for (const it of items) {
      const identifier = str(it.identifier)
      if (!identifier) continue
      const format = str(it.format)
      const path = dir && str(it.fileName) ? inside(dir, str(it.fileName)) : undefined
      const issuer = issuers.get(identifier)
      entry.licences.set(identifier, {
        identifier,
        typeName: str(it.typeName),
        number: str(it.number),
        ...(issuer?.issuer ? { issuer: issuer.issuer } : {}),
        ...(issuer?.issuerCode ? { issuerCode: issuer.issuerCode } : {}),
        ...(path && (format === 'ofd' || format === 'png' || format === 'jpeg')
          ? { file: { path, format, sha256: str(it.sha256) } }
          : {}),
      })
    }
  }
  return [...bySerial.values()].map((e) => ({ ...e.record, licences: [...e.licences.values()] }))
}
