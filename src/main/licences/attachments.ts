/**
 * The attachment records (`licence_attachment`): which licences a clerk took as application
 * materials for a business serial, and where their export went. The licences domain writes them;
 * others (the archive) read them through `findAttachments`, never the table.
 */
import type { Db } from '../db'

export interface AttachmentRecord {
  readonly businessSerial: string
  readonly matterCode: string
  /** The holder's code, masked. */
  readonly holder: string
  readonly staffCert: string
  readonly terminal: string
  /** ISO instant. */
  readonly createdAt: string
  readonly exportPath: string
  /** The exported items as written into the export's manifest. */
  readonly items: readonly unknown[]
}

export interface AttachmentQuery {
  /** ISO instants: from (inclusive) and before (exclusive). */
  readonly from?: string
  readonly before?: string
  readonly matterCode?: string
  readonly serials?: readonly string[]
}

/** Most records one query returns: a batch is for a period or a list, not the whole history. */
export const ATTACHMENT_QUERY_LIMIT = 20_000

interface Row {
  business_serial: string
  matter_code: string
  holder: string
  staff_cert: string
  terminal: string
  created_at: string
  export_path: string
  items: string
}

/** Records an attachment; call inside the transaction that audits it. */
export function recordAttachment(db: Db, r: AttachmentRecord): number {
  return Number(
    db
      .prepare(
        `INSERT INTO licence_attachment (business_serial, matter_code, holder, staff_cert,
           terminal, created_at, export_path, items)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.businessSerial,
        r.matterCode,
        r.holder,
        r.staffCert,
        r.terminal,
        r.createdAt,
        r.exportPath,
        JSON.stringify(r.items),
      ).lastInsertRowid,
  )
}

function parseItems(text: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? parsed : []
  } catch {
    return []
  }
}

/** The records matching a query, oldest first. */
export function findAttachments(db: Db, q: AttachmentQuery): AttachmentRecord[] {
  const where: string[] = []
  const params: Record<string, string> = {}
  if (q.from) {
    where.push('created_at >= @from')
    params.from = q.from
  }
  if (q.before) {
    where.push('created_at < @before')
    params.before = q.before
  }
  if (q.matterCode) {
    where.push('matter_code = @matter')
    params.matter = q.matterCode
  }
  if (q.serials) {
    const keys = q.serials.map((s, i) => {
      params[`s${i}`] = s
      return `@s${i}`
    })
    where.push(`business_serial IN (${keys.join(', ') || 'NULL'})`)
  }
  const rows = db
    .prepare(
      `SELECT business_serial, matter_code, holder, staff_cert, terminal, created_at, export_path,
              items
       FROM licence_attachment ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at, id LIMIT ${ATTACHMENT_QUERY_LIMIT}`,
    )
    .all(params) as Row[]
  return rows.map((r) => ({
    businessSerial: r.business_serial,
    matterCode: r.matter_code,
    holder: r.holder,
    staffCert: r.staff_cert,
    terminal: r.terminal,
    createdAt: r.created_at,
    exportPath: r.export_path,
    items: parseItems(r.items),
  }))
}
