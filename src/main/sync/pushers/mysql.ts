/**
 * Delivery into the front-end processor's HN_license_sync with mysql2. One multi-row INSERT per
 * batch, idempotent on the row guid (`ON DUPLICATE KEY UPDATE row_guid = row_guid`): an item
 * pushed again after a crash, a reset or a lost acknowledgement lands once. A statement refused
 * for its data (strict mode, CHECK constraints) is retried row by row so that only the rows at
 * fault are parked, with the server's reason.
 */
import type { Connection } from 'mysql2/promise'
import { CounterError } from '../../../shared/errors'
import type { ClaimedItem } from '../../issuance'
import type { Logger } from '../../log'
import { parseInstant } from '../calendar/dates'
import { readPublishedCatalogue } from '../frontend/catalogue'
import {
  classifyMysqlError,
  connectFrontend,
  FRONTEND_LABEL,
  type FrontendUrl,
} from '../frontend/connection'
import { checkFrontendSchema } from '../frontend/schema'
import type { DeliveryOutcome, SyncTarget } from './target'

export interface MysqlTargetOptions {
  readonly url: FrontendUrl
  /** Per statement, plus a second per megabyte sent. */
  readonly queryTimeoutMs: number
  readonly logger: Logger
}

const COLUMNS = [
  'row_guid',
  'cd_batch',
  'cd_operation',
  'cd_version',
  'license_name',
  'license_type_code',
  'license_type_name',
  'license_number',
  'license_identifier',
  'issuer_name',
  'issuer_code',
  'issue_date',
  'holder_name',
  'holder_code',
  'holder_code_type',
  'holder_code_type_name',
  'valid_from',
  'valid_to',
  'valid_long_term',
  'signer_name',
  'sign_time',
  'seal_name',
  'region_code',
  'license_status',
  'status_action',
  'status_reason',
  'face_data',
  'file_format',
  'file_sm3',
  'file_size',
  'file_content',
  'issue_mode',
  'completed_at',
  'push_deadline',
  'source_terminal',
] as const

/** `YYYY-MM-DD HH:MM:SS.mmm` in Shanghai time, as the session (time_zone +08:00) reads it. */
export function shanghaiDateTime(iso: string | undefined): string | null {
  if (!iso) return null
  const ms = parseInstant(iso)
  if (ms === undefined) return iso
  return new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '')
}

export function rowValues(item: ClaimedItem, batchNo: string): unknown[] {
  const r = item.record
  const longTerm = r.validTo === '长期' || r.validTo === 'long-term'
  const values: Record<(typeof COLUMNS)[number], unknown> = {
    row_guid: item.idempotencyKey,
    cd_batch: batchNo,
    cd_operation: item.operation,
    cd_version: item.version,
    license_name: r.licenseName,
    license_type_code: r.licenseTypeCode,
    license_type_name: r.licenseTypeName,
    license_number: r.licenseNumber,
    license_identifier: r.licenseIdentifier,
    issuer_name: r.issuerName,
    issuer_code: r.issuerCode,
    issue_date: r.issueDate,
    holder_name: r.holderName,
    holder_code: r.holderCode,
    holder_code_type: r.holderCodeType,
    holder_code_type_name: r.holderCodeTypeName,
    valid_from: r.validFrom,
    valid_to: longTerm ? null : r.validTo,
    valid_long_term: longTerm ? 1 : 0,
    signer_name: r.signerName ?? null,
    sign_time: shanghaiDateTime(r.signTime),
    seal_name: r.sealName ?? null,
    region_code: r.regionCode,
    license_status: r.status,
    status_action: r.action ?? null,
    status_reason: r.statusReason ?? null,
    face_data: JSON.stringify(r.faceData),
    file_format: item.document ? 'ofd' : null,
    file_sm3: item.documentSm3 ?? null,
    file_size: item.document?.length ?? null,
    file_content: item.document ?? null,
    issue_mode: r.issueMode,
    completed_at: shanghaiDateTime(item.completedAt),
    push_deadline: item.deadline.slice(0, 19).replace('T', ' '),
    source_terminal: r.terminalId,
  }
  return COLUMNS.map((c) => values[c])
}

const ROW_PLACEHOLDER = `(${COLUMNS.map(() => '?').join(', ')}, NOW(3))`
const INSERT_HEAD = `INSERT INTO HN_license_sync (${COLUMNS.join(', ')}, cd_time) VALUES `
const INSERT_TAIL = ' ON DUPLICATE KEY UPDATE row_guid = row_guid'

export function createMysqlTarget(o: MysqlTargetOptions): SyncTarget {
  let conn: Connection | undefined
  let packetLimit = 16 * 1024 * 1024

  const drop = () => {
    conn?.destroy()
    conn = undefined
  }

  async function session(): Promise<Connection> {
    if (conn) return conn
    const c = await connectFrontend(o.url)
    try {
      await checkFrontendSchema(c)
      const [rows] = await c.query("SHOW VARIABLES LIKE 'max_allowed_packet'")
      const v = Number((rows as { Value: string }[])[0]?.Value)
      if (Number.isFinite(v) && v > 0) packetLimit = v
    } catch (error) {
      c.destroy()
      if (error instanceof CounterError) throw error
      const f = classifyMysqlError(error)
      throw f.kind === 'config' || f.kind === 'transient' ? f.error : error
    }
    conn = c
    return c
  }

  async function insert(
    c: Connection,
    items: readonly ClaimedItem[],
    batchNo: string,
  ): Promise<number> {
    const bytes = items.reduce((n, i) => n + (i.document?.length ?? 0), 0)
    // A prepared statement sends the documents as bytes; a text query would send them hex-escaped.
    const [result] = await c.execute({
      sql: INSERT_HEAD + items.map(() => ROW_PLACEHOLDER).join(', ') + INSERT_TAIL,
      values: items.flatMap((i) => rowValues(i, batchNo)),
      timeout: o.queryTimeoutMs + Math.ceil(bytes / 1_048_576) * 1000,
    })
    return (result as { affectedRows: number }).affectedRows
  }

  async function pushSome(
    items: readonly ClaimedItem[],
    batchNo: string,
  ): Promise<DeliveryOutcome[]> {
    const c = await session()
    try {
      const inserted = await insert(c, items, batchNo)
      if (inserted < items.length)
        o.logger.info('front-end already had some rows (repeat delivery)', {
          batch: batchNo,
          items: items.length,
          repeats: items.length - inserted,
        })
      return items.map((i) => ({ id: i.id, result: 'delivered' as const }))
    } catch (error) {
      const f = classifyMysqlError(error)
      if (f.kind === 'transient') {
        if (f.connectionLost) drop()
        throw f.error
      }
      if (f.kind === 'config') {
        drop()
        throw f.error
      }
      if (items.length === 1)
        return [
          {
            id: items[0]!.id,
            result: 'rejected',
            reason:
              f.kind === 'data' ? f.reason : '证照文件超过前置机允许的大小（max_allowed_packet）',
          },
        ]
      o.logger.warn('front-end refused a batch, isolating the rows at fault', {
        batch: batchNo,
        items: items.length,
        why: f.kind,
      })
      const half = f.kind === 'too-large' ? Math.ceil(items.length / 2) : 1
      const out: DeliveryOutcome[] = []
      for (let i = 0; i < items.length; i += half)
        out.push(...(await pushSome(items.slice(i, i + half), batchNo)))
      return out
    }
  }

  return {
    kind: 'frontend',
    label: FRONTEND_LABEL,
    // Blobs travel escaped in the statement (up to twice their size): stay well under the limit.
    maxBatchBytes: () => Math.max(256 * 1024, Math.floor(packetLimit / 2.5)),
    push: (items, batchNo) => pushSome(items, batchNo),
    async fetchCatalogue() {
      const c = await session()
      try {
        return await readPublishedCatalogue(c, o.queryTimeoutMs)
      } catch (error) {
        const f = classifyMysqlError(error)
        if (f.kind === 'transient' && f.connectionLost) drop()
        if (f.kind === 'transient' || f.kind === 'config') throw f.error
        throw new CounterError('SYNC_BAD_RESPONSE', {
          params: { target: FRONTEND_LABEL },
          detail: String(error),
        })
      }
    },
    async close() {
      const c = conn
      conn = undefined
      if (c) await c.end().catch(() => c.destroy())
    },
  }
}
