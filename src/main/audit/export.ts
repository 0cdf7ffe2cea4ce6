/**
 * The access log as files for supervisors: CSV (UTF-8 with BOM, so that spreadsheet programs
 * read the Chinese correctly) or JSON, each with the chain check beside the entries.
 */
import type { AuditEntry, ChainCheck } from '../../shared/domain'

export const CSV_COLUMNS = [
  ['seq', '序号'],
  ['at', '时间(UTC)'],
  ['action', '操作'],
  ['staffName', '工作人员'],
  ['staffCert', '工作人员证书'],
  ['staffRole', '角色'],
  ['terminal', '终端'],
  ['holder', '持证主体(脱敏)'],
  ['holderType', '主体类型'],
  ['matter', '事项'],
  ['reason', '用证事由'],
  ['businessSerial', '办件流水号'],
  ['licences', '证照标识'],
  ['result', '结果'],
  ['detail', '说明'],
  ['prevHash', '前序摘要'],
  ['hash', '本条摘要'],
] as const satisfies readonly (readonly [keyof AuditEntry, string])[]

/**
 * One CSV cell. Quoted when needed; a cell that a spreadsheet would take for a formula gets a
 * leading apostrophe, so an exported log cannot run anything when opened.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function* csvLines(entries: Iterable<AuditEntry>): Generator<string> {
  yield '\uFEFF' + CSV_COLUMNS.map(([, zh]) => zh).join(',') + '\r\n'
  yield CSV_COLUMNS.map(([key]) => key).join(',') + '\r\n'
  for (const e of entries) {
    yield (
      CSV_COLUMNS.map(([key]) => {
        const v = e[key]
        return csvCell(Array.isArray(v) ? v.join(';') : String(v))
      }).join(',') + '\r\n'
    )
  }
}

export interface ExportHeader {
  readonly terminal: string
  readonly exportedAt: string
  readonly exportedBy: string
  readonly query: Record<string, unknown>
  readonly chain: ChainCheck
}

export function toJson(header: ExportHeader, entries: readonly AuditEntry[]): string {
  return JSON.stringify({ ...header, entries }, null, 2) + '\n'
}
