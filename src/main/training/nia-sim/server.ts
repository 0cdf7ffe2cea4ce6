/**
 * The simulated exit-entry document identity authentication platform, on loopback: checks each
 * request's unit certificate (issued by the platform's own training CA), timestamp, nonce and SM2
 * signature like the real service, then answers real-name checks from its register of documents
 * and real-person checks from the photo's usability and the register. Training mode and the tests
 * use it; nothing here is a real check.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import { sm2GenerateKeyPair } from '../../crypto'
import { decodeJpeg } from '../../devices/emrtd'
import { issueCertificate, parseCertificate, sm2Signer, sm2Spki, verifySignature } from '../../pki'
import { listenLoopback, readBody, sendJson } from '../http'
import {
  HEADER,
  REALNAME_PATHS,
  verifyRequestSignature,
  WireNameRequestSchema,
  WirePersonRequestSchema,
  type UnitCredentials,
} from '../../realname'

export interface RegisteredPerson {
  readonly documentType: string
  readonly documentNumber: string
  /** Every form of the name the platform accepts (Chinese, pinyin). */
  readonly names: readonly string[]
  /** YYYYMMDD */
  readonly birthDate: string
  /** What a usable live photo of this person yields (the simulator cannot compare faces). */
  readonly faceResult: 'match' | 'no-match'
}

export interface NiaPlatformOptions {
  readonly port?: number
  readonly latencyMs?: number
  readonly register: readonly RegisteredPerson[]
  /** Allowed clock difference for request timestamps (default 300 s). */
  readonly maxSkewMs?: number
}

export interface NiaPlatform {
  readonly url: string
  /** A unit certificate and key the platform accepts, for the client. */
  readonly credentials: UnitCredentials
  /** The platform CA certificate (DER). */
  readonly caCertificate: Uint8Array
  /** Issues another unit certificate (e.g. from a CA the platform does not trust, for tests). */
  issueUnit(trusted: boolean): UnitCredentials
  readonly requests: { path: string; accepted: boolean; reason?: string }[]
  close(): Promise<void>
}

const MAX_BODY = 3 * 1024 * 1024

function normalise(name: string): string {
  return name.replace(/[\s<·.]/g, '').toUpperCase()
}

/** Whether a JPEG could show a face at all: big enough and not a blank frame. */
export function photoUsable(b64: string): boolean {
  try {
    const img = decodeJpeg(new Uint8Array(Buffer.from(b64, 'base64')))
    if (img.width < 120 || img.height < 120) return false
    let sum = 0
    let sq = 0
    const n = img.width * img.height
    for (let i = 0; i < n; i++) {
      const y =
        0.299 * img.rgba[i * 4]! + 0.587 * img.rgba[i * 4 + 1]! + 0.114 * img.rgba[i * 4 + 2]!
      sum += y
      sq += y * y
    }
    const mean = sum / n
    return Math.sqrt(sq / n - mean * mean) >= 10
  } catch {
    return false
  }
}

export async function startNiaPlatform(options: NiaPlatformOptions): Promise<NiaPlatform> {
  const caKey = sm2GenerateKeyPair()
  const caSigner = sm2Signer(caKey.privateKey)
  const now = Date.now()
  const caName = [
    ['C', 'CN'],
    ['O', '国家移民管理局'],
    ['CN', '出入境证件身份认证平台培训 CA'],
  ] as const
  const caCertificate = issueCertificate(
    {
      serial: 1n,
      issuer: caName,
      subject: caName,
      notBefore: new Date(now - 86400_000),
      notAfter: new Date(now + 10 * 365 * 86400_000),
      spki: caSigner.spki,
      ca: true,
      keyUsage: ['keyCertSign', 'cRLSign'],
    },
    caSigner,
  )
  const ca = parseCertificate(caCertificate)
  let serial = 100n
  const issueUnit = (trusted: boolean): UnitCredentials => {
    const key = sm2GenerateKeyPair()
    const signer = trusted ? caSigner : sm2Signer(sm2GenerateKeyPair().privateKey)
    const certificate = issueCertificate(
      {
        serial: serial++,
        issuer: caName,
        subject: [
          ['C', 'CN'],
          ['O', '培训演示政务服务中心'],
          ['CN', '出入境证件身份认证接入证书'],
        ],
        notBefore: new Date(now - 86400_000),
        notAfter: new Date(now + 2 * 365 * 86400_000),
        spki: sm2Spki(key.publicKey),
        keyUsage: ['digitalSignature'],
      },
      signer,
    )
    return { certificate, privateKey: key.privateKey }
  }
  const credentials = issueUnit(true)
  const seenNonces = new Map<string, number>()
  const requests: NiaPlatform['requests'] = []
  const maxSkew = options.maxSkewMs ?? 300_000
  const reference = () =>
    `NIA${Date.now().toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`

  const authenticate = (
    req: IncomingMessage,
    path: string,
    body: Uint8Array,
  ): string | undefined => {
    const h = (name: string) => {
      const v = req.headers[name]
      return typeof v === 'string' ? v : undefined
    }
    const certB64 = h(HEADER.certificate)
    const timestamp = h(HEADER.timestamp)
    const nonce = h(HEADER.nonce)
    const signature = h(HEADER.signature)
    if (!certB64 || !timestamp || !nonce || !signature) return '缺少签名信息'
    let cert
    try {
      cert = parseCertificate(new Uint8Array(Buffer.from(certB64, 'base64')))
    } catch {
      return '接入证书无法解析'
    }
    const t = Date.now()
    if (cert.notBefore.getTime() > t || cert.notAfter.getTime() < t) return '接入证书不在有效期内'
    if (!verifySignature('sm2-sm3', ca.publicKey, cert.tbs, cert.signature))
      return '接入证书不是本平台签发的'
    const at = Date.parse(timestamp)
    if (!Number.isFinite(at) || Math.abs(at - t) > maxSkew) return '请求时间戳超出允许范围'
    if (!/^[0-9a-f]{32}$/.test(nonce) || seenNonces.has(nonce)) return '请求重放'
    if (
      !verifyRequestSignature(cert.publicKey.key, 'POST', path, timestamp, nonce, body, signature)
    )
      return '请求签名无效'
    seenNonces.set(nonce, t)
    for (const [n, when] of seenNonces) if (t - when > 2 * maxSkew) seenNonces.delete(n)
    return undefined
  }

  const find = (documentNumber: string, documentType: string) =>
    options.register.find(
      (p) => p.documentNumber === documentNumber && p.documentType === documentType,
    )

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs))
    const path = new URL(req.url ?? '/', 'http://nia').pathname
    if (req.method !== 'POST' || (path !== REALNAME_PATHS.name && path !== REALNAME_PATHS.person))
      return sendJson(res, 404, { code: '404', message: '接口不存在' })
    const body = await readBody(req, MAX_BODY)
    if (!body) return sendJson(res, 413, { code: '413', message: '请求过大' })
    const denied = authenticate(req, path, body)
    if (denied) {
      requests.push({ path, accepted: false, reason: denied })
      return sendJson(res, 401, { code: '401', message: denied })
    }
    let json: unknown
    try {
      json = JSON.parse(Buffer.from(body).toString('utf8'))
    } catch {
      return sendJson(res, 400, { code: '400', message: '请求体不是有效的 JSON' })
    }
    requests.push({ path, accepted: true })
    if (path === REALNAME_PATHS.name) {
      const q = WireNameRequestSchema.safeParse(json)
      if (!q.success) return sendJson(res, 400, { code: '400', message: '核查参数不完整' })
      const p = find(q.data.documentNumber, q.data.documentType)
      const consistent =
        !!p &&
        p.birthDate === q.data.birthDate &&
        p.names.some((n) => normalise(n) === normalise(q.data.name))
      return sendJson(res, 200, {
        code: '0',
        message: '成功',
        data: { result: consistent ? 'consistent' : 'inconsistent', reference: reference() },
      })
    }
    const q = WirePersonRequestSchema.safeParse(json)
    if (!q.success) return sendJson(res, 400, { code: '400', message: '核查参数不完整' })
    if (!photoUsable(q.data.photo))
      return sendJson(res, 200, {
        code: '0',
        data: { result: 'poor-quality', reference: reference() },
      })
    const p = find(q.data.documentNumber, q.data.documentType)
    const digest = createHash('sha256').update(q.data.photo).digest()
    const match = !!p && p.faceResult === 'match'
    const score = match ? 82 + (digest[0]! % 15) : 18 + (digest[0]! % 25)
    return sendJson(res, 200, {
      code: '0',
      data: { result: match ? 'match' : 'no-match', score, reference: reference() },
    })
  }

  const listening = await listenLoopback(handle, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    internalError: { code: '500', message: '平台内部错误' },
  })
  return {
    url: listening.url,
    credentials,
    caCertificate,
    issueUnit,
    requests,
    close: listening.close,
  }
}
