/**
 * The sandbox library's receiving side of the exchange API: licences and status changes posted by
 * issuers in batches, and the licence catalogue it publishes. It checks what a real library would
 * (shape, MOD 37,36 identifier, known licence type, holder code, file digest, version order) and
 * drops repeats by row guid, so a pusher's at-least-once delivery ends in exactly-once storage.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LicenceTemplateInput } from '../../../shared/domain'
import { checkCitizenId, checkUscc, parseLicenceId } from '../../../shared/ids'
import { sm3 } from '../../crypto'
import { TRAINING_LICENCE_TYPES } from '../../issuance'
import { readBody } from '../http'
import {
  EXCHANGE_MAX_BODY,
  EXCHANGE_PATHS,
  WireExchangeBatchSchema,
  WireExchangeItemSchema,
  type WireExchangeItem,
  type WireExchangeResult,
} from '../../sync'

export interface ReceivedItem {
  readonly rowGuid: string
  readonly batchNo: string
  readonly operation: string
  readonly version: number
  readonly kind: 'issue' | 'status'
  readonly action?: string
  readonly metadata: WireExchangeItem['metadata']
  readonly file?: { readonly sm3: string; readonly size: number }
  readonly receivedAt: string
}

export interface ExchangeStore {
  /** Every accepted change, by row guid, in arrival order. */
  readonly received: ReadonlyMap<string, ReceivedItem>
  /** Repeats dropped (the same row guid delivered again). */
  readonly repeats: () => number
  /** Rejections answered, with the reason. */
  readonly rejected: readonly { rowGuid: string; reason: string }[]
  /** The newest version accepted per licence identifier. */
  versionOf(identifier: string): number | undefined
}

export interface ExchangeRouteOptions {
  readonly catalogue?: readonly LicenceTemplateInput[]
  readonly authorised: (req: IncomingMessage, path: string, body: string) => boolean
  readonly send: (res: ServerResponse, status: number, body: unknown) => void
}

function holderCodeOk(type: string, code: string): boolean {
  if (type === '111') return checkCitizenId(code).valid || /^[A-Z]{3}\d{12}$/.test(code)
  if (type === '001') return checkUscc(code).valid
  return code.length > 0
}

export function createExchangeRoutes(o: ExchangeRouteOptions) {
  const catalogue = o.catalogue ?? TRAINING_LICENCE_TYPES
  const types = new Set(catalogue.map((t) => t.typeCode))
  const received = new Map<string, ReceivedItem>()
  const versions = new Map<string, number>()
  const rejected: { rowGuid: string; reason: string }[] = []
  let repeats = 0

  const check = (raw: unknown): { item?: WireExchangeItem; reason?: string } => {
    const parsed = WireExchangeItemSchema.safeParse(raw)
    if (!parsed.success) {
      const i = parsed.error.issues[0]!
      return { reason: `数据项 ${i.path.join('.')} 不符合要求：${i.message}` }
    }
    const item = parsed.data
    const m = item.metadata
    const id = parseLicenceId(m.licenseIdentifier)
    if (!id.valid) return { item, reason: '证照标识格式或校验位错误' }
    if (id.parts!.typeCode !== m.licenseTypeCode || id.parts!.issuerCode !== m.issuerCode)
      return { item, reason: '证照标识与证照类型、颁发机构不一致' }
    if (!types.has(m.licenseTypeCode))
      return { item, reason: `证照目录中没有类型 ${m.licenseTypeCode}` }
    if (!checkUscc(m.issuerCode).valid)
      return { item, reason: '颁发机构代码不是有效的统一社会信用代码' }
    if (!holderCodeOk(m.holderCodeType, m.holderCode))
      return { item, reason: '持证主体代码校验不通过' }
    if (item.kind === 'issue') {
      if (!item.file) return { item, reason: '缺少证照文件' }
      const bytes = Buffer.from(item.file.content, 'base64')
      if (bytes.length !== item.file.size) return { item, reason: '证照文件长度与声明不符' }
      if (Buffer.from(sm3(bytes)).toString('hex') !== item.file.sm3)
        return { item, reason: '证照文件 SM3 摘要不符' }
    }
    const have = versions.get(m.licenseIdentifier)
    if (item.kind === 'status' && have === undefined)
      return { item, reason: '证照不存在，不能变更状态' }
    if (have !== undefined && item.version <= have)
      return { item, reason: `版本冲突（已有版本 ${have}）` }
    return { item }
  }

  const store: ExchangeStore = {
    received,
    repeats: () => repeats,
    rejected,
    versionOf: (identifier) => versions.get(identifier),
  }

  return {
    store,
    /** Answers the exchange routes; false for any other path. */
    async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
      if (path === EXCHANGE_PATHS.catalogue && req.method === 'GET') {
        if (!o.authorised(req, path, '')) {
          o.send(res, 401, { code: '401', message: '接入凭证无效' })
          return true
        }
        o.send(res, 200, { code: '0', data: { entries: catalogue } })
        return true
      }
      if (path !== EXCHANGE_PATHS.batch || req.method !== 'POST') return false
      const text = (await readBody(req, EXCHANGE_MAX_BODY))?.toString('utf8')
      if (text === undefined) {
        o.send(res, 413, { code: '413', message: '请求体过大' })
        return true
      }
      if (!o.authorised(req, path, text)) {
        o.send(res, 401, { code: '401', message: '接入凭证无效' })
        return true
      }
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        o.send(res, 400, { code: '400', message: '请求体不是有效的 JSON' })
        return true
      }
      const batch = WireExchangeBatchSchema.safeParse(body)
      if (!batch.success) {
        o.send(res, 400, { code: '400', message: '批次格式不符合要求' })
        return true
      }
      const results: WireExchangeResult[] = []
      for (const raw of batch.data.items) {
        const guid =
          raw &&
          typeof raw === 'object' &&
          typeof (raw as { rowGuid?: unknown }).rowGuid === 'string'
            ? (raw as { rowGuid: string }).rowGuid
            : ''
        if (guid && received.has(guid)) {
          repeats++
          results.push({ rowGuid: guid, result: 'duplicate' })
          continue
        }
        const { item, reason } = check(raw)
        if (reason || !item) {
          rejected.push({ rowGuid: guid, reason: reason ?? '数据无效' })
          results.push({ rowGuid: guid, result: 'rejected', reason: reason ?? '数据无效' })
          continue
        }
        received.set(item.rowGuid, {
          rowGuid: item.rowGuid,
          batchNo: batch.data.batchNo,
          operation: item.operation,
          version: item.version,
          kind: item.kind,
          ...(item.action ? { action: item.action } : {}),
          metadata: item.metadata,
          ...(item.file ? { file: { sm3: item.file.sm3, size: item.file.size } } : {}),
          receivedAt: new Date().toISOString(),
        })
        versions.set(item.metadata.licenseIdentifier, item.version)
        results.push({ rowGuid: item.rowGuid, result: 'accepted' })
      }
      o.send(res, 200, { code: '0', message: '成功', data: { results } })
      return true
    },
  }
}
