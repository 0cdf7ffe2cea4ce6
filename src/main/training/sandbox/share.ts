/**
 * The sandbox library's sharing service: list, file (an annotated copy or an image), verify a
 * file, verify information, look up by QR code, and the matter catalogue. It checks the fields
 * a real library requires and remembers which files it handed out, so verify-file can tell a
 * genuine copy from a changed one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { zipSync } from 'fflate'
import { randomBytes } from 'node:crypto'
import type { MatterCatalogue } from '../../../shared/domain'
import { shanghaiDate } from '../../../shared/time'
import { sm3 } from '../../crypto'
import {
  SHARE_PATHS,
  WireByQrSchema,
  WireFileRequestSchema,
  WireQuerySchema,
  WireVerifyFileSchema,
  WireVerifyInfoSchema,
  type WireLicence,
} from '../../licences'
import type { SandboxFault } from './faults'
import { licenceFacePng } from './png'
import { makeQr, resolveQr } from './qr'

export type FileSource = (
  licence: WireLicence,
  format: 'ofd' | 'png',
) => Promise<Uint8Array | undefined>

export interface ShareState {
  readonly licences: readonly WireLicence[]
  readonly qrSecret: Buffer
  readonly catalogue?: MatterCatalogue
  readonly fileFor?: FileSource
  fault(): SandboxFault
}

export type Send = (res: ServerResponse, status: number, body: unknown) => void

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** A copy is valid for 30 days from when it is made, in the library's (Shanghai) calendar. */
function copyExpiry(now: Date): string {
  return shanghaiDate(new Date(now.getTime() + 30 * 86_400_000))
}

function brokenOfd(variant: 'truncated' | 'not-ofd'): Uint8Array {
  if (variant === 'not-ofd')
    return zipSync({ 'readme.txt': new TextEncoder().encode('这不是 OFD 文件') })
  return new Uint8Array(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(4096)]))
}

export function createShareRoutes(state: ShareState, send: Send) {
  const byId = new Map(state.licences.map((l) => [l.licenseIdentifier, l]))
  /** SM3 of every file handed out → the licence it is a copy of. */
  const served = new Map<string, string>()

  const fileFor: FileSource = async (licence, format) => {
    const own = await state.fileFor?.(licence, format)
    if (own) return own
    if (format === 'png')
      return licenceFacePng(
        licence.licenseIdentifier,
        licence.licenseStatus === '有效' ? [31, 78, 121] : [120, 120, 120],
      )
    return undefined
  }

  const qrFor = (identifier: string, validSeconds = 600, now = new Date()) =>
    makeQr(state.qrSecret, identifier, new Date(now.getTime() + validSeconds * 1000))

  /** Handles a sharing-service request; false when the path is not one of these routes. */
  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: unknown,
  ): Promise<boolean> {
    const post = req.method === 'POST'
    if (path === SHARE_PATHS.query && post) {
      const q = WireQuerySchema.safeParse(body)
      if (!q.success) {
        send(res, 400, {
          code: '400',
          message: `查询参数不完整：${q.error.issues[0]?.path.join('.')}`,
        })
        return true
      }
      const types = new Set(q.data.licenseTypeCodes)
      const list = state.licences.filter(
        (l) =>
          l.holderIdentityNum === q.data.holderCode &&
          l.holderIdentityType === q.data.holderIdentityType &&
          types.has(l.licenseTypeCode),
      )
      send(res, 200, { code: '0', message: '成功', data: { total: list.length, list } })
      return true
    }
    if (path === SHARE_PATHS.verifyInfo && post) {
      const v = WireVerifyInfoSchema.safeParse(body)
      if (!v.success) {
        send(res, 400, { code: '400', message: '核验参数不完整' })
        return true
      }
      const l = byId.get(v.data.licenseIdentifier)
      const consistent =
        !!l &&
        (v.data.holderIdentityNum === undefined ||
          v.data.holderIdentityNum === l.holderIdentityNum) &&
        (v.data.licenseNumber === undefined || v.data.licenseNumber === l.licenseNumber)
      send(res, 200, {
        code: '0',
        data: { exists: !!l, consistent, ...(l ? { licenseStatus: l.licenseStatus } : {}) },
      })
      return true
    }
    if (path === SHARE_PATHS.file && post) {
      const f = WireFileRequestSchema.safeParse(body)
      if (!f.success) {
        const field = f.error.issues[0]?.path.join('.') ?? ''
        send(res, 400, {
          code: '400',
          message: field === 'useReason' ? '缺少用证事由' : `请求参数不完整：${field}`,
        })
        return true
      }
      const l = byId.get(f.data.licenseIdentifier)
      const fault = state.fault()
      let file: Uint8Array | undefined
      if (l && f.data.format === 'ofd' && fault.kind === 'invalid-ofd')
        file = brokenOfd(fault.variant)
      else if (l) file = await fileFor(l, f.data.format)
      if (!l || !file) {
        send(res, 404, { code: 'FILE_NOT_FOUND', message: '证照文件不存在' })
        return true
      }
      const digest = hex(sm3(file))
      if (fault.kind !== 'invalid-ofd') served.set(digest, l.licenseIdentifier)
      const now = new Date()
      send(res, 200, {
        code: '0',
        data: {
          licenseIdentifier: l.licenseIdentifier,
          format: f.data.format,
          fileName: `${l.licenseTypeName}-${l.licenseNumber}.${f.data.format}`,
          fileSize: file.length,
          sm3: digest,
          content: Buffer.from(file).toString('base64'),
          ...(f.data.format === 'ofd'
            ? {
                annotation: {
                  madeAt: now.toISOString(),
                  maker: '郑州市电子证照库（沙箱）',
                  reason: f.data.useReason,
                  expiresAt: copyExpiry(now),
                },
              }
            : {}),
        },
      })
      return true
    }
    if (path === SHARE_PATHS.verifyFile && post) {
      const v = WireVerifyFileSchema.safeParse(body)
      if (!v.success) {
        send(res, 400, { code: '400', message: '核验参数不完整' })
        return true
      }
      const l = byId.get(v.data.licenseIdentifier)
      send(res, 200, {
        code: '0',
        data: {
          consistent: !!l && served.get(v.data.fileSm3) === l.licenseIdentifier,
          ...(l ? { licenseStatus: l.licenseStatus } : {}),
        },
      })
      return true
    }
    if (path === SHARE_PATHS.byQr && post) {
      const q = WireByQrSchema.safeParse(body)
      if (!q.success) {
        send(res, 400, { code: '400', message: '查询参数不完整' })
        return true
      }
      const r = resolveQr(state.qrSecret, q.data.qrContent)
      if (!r.ok) {
        send(res, 400, {
          code: r.code,
          message: r.code === 'QR_EXPIRED' ? '二维码已过期' : '无法识别的二维码',
        })
        return true
      }
      const l = byId.get(r.identifier)
      if (!l) send(res, 404, { code: 'QR_NOT_FOUND', message: '证照不存在' })
      else send(res, 200, { code: '0', data: { licence: l } })
      return true
    }
    if (path === SHARE_PATHS.catalogue && req.method === 'GET') {
      if (!state.catalogue) send(res, 404, { code: '404', message: '未配置事项目录' })
      else send(res, 200, { code: '0', data: { catalogue: state.catalogue } })
      return true
    }
    if (path === SHARE_PATHS.qrSamples && post) {
      const holderCode = (body as { holderCode?: unknown } | undefined)?.holderCode
      const own = state.licences.filter((l) => l.holderIdentityNum === holderCode)
      const other = state.licences.find((l) => l.holderIdentityNum !== holderCode)
      const now = new Date()
      const samples = [
        ...own.map((l) => ({
          label: `${l.licenseTypeName} ${l.licenseNumber}（10 分钟内有效）`,
          content: qrFor(l.licenseIdentifier, 600, now),
        })),
        ...(own[0]
          ? [
              {
                label: `${own[0].licenseTypeName}（已过期的二维码）`,
                content: qrFor(own[0].licenseIdentifier, -60, now),
              },
            ]
          : []),
        ...(other
          ? [
              {
                label: '他人的证照二维码（练习拒绝）',
                content: qrFor(other.licenseIdentifier, 600, now),
              },
            ]
          : []),
      ]
      send(res, 200, { code: '0', data: { samples } })
      return true
    }
    return false
  }

  return { handle, qrFor, served }
}
