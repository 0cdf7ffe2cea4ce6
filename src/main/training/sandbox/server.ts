/**
 * The sandbox e-licence library: an HTTP server on loopback that speaks the sharing service's
 * shape, for training mode and tests. It checks credentials and the query's required fields the
 * way a real library does, so the client's error paths are exercised too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { MatterCatalogue } from '../../../shared/domain'
import { SHARE_PATHS, type WireLicence } from '../../licences'
import { listenLoopback, readBody, sendJson as send } from '../http'
import { createArchiveVerifyRoute, type ArchiveVerificationSource } from './archive-verify'
import { createAuthCheck } from './auth-check'
import { createExchangeRoutes, type ExchangeStore } from './exchange'
import { applyFault, type SandboxFault } from './faults'
import { SEED_LICENCES } from './seed'
import { createShareRoutes } from './share'

export interface SandboxOptions {
  readonly port?: number
  /** Added before every response, to model a real network (ms). */
  readonly latencyMs?: number
  readonly accessId?: string
  readonly token?: string
  /** Also accept app-key callers with HMAC request signing. */
  readonly appKey?: string
  readonly appSecret?: string
  readonly licences?: readonly WireLicence[]
  /** Served by the catalogue route, for terminals that load the matter catalogue from the library. */
  readonly catalogue?: MatterCatalogue
  /** A hostile server from the start (see `setFault`). */
  readonly fault?: SandboxFault
  /** Whose archive copies `/archive/v1/verify` vouches for (or later: `verifyArchiveCopies`). */
  readonly archive?: ArchiveVerificationSource
  /** Supplies a licence file (OFD or PNG) by identifier, when a file source is configured. */
  readonly fileFor?: (
    licence: WireLicence,
    format: 'ofd' | 'png',
  ) => Promise<Uint8Array | undefined>
}

export interface SandboxLibrary {
  readonly url: string
  readonly accessId: string
  readonly token: string
  /** Requests served, by path, for tests that assert what was (not) asked. */
  readonly requests: { path: string; body: unknown }[]
  /** Licences and status changes issuers pushed through the exchange API. */
  readonly exchange: ExchangeStore
  /** Switches a failure mode on (or `{ kind: 'none' }` off) while running. */
  setFault(fault: SandboxFault): void
  /** The QR code content a holder's phone would show for a licence. */
  qrFor(identifier: string, validSeconds?: number): string
  /** Lets `/archive/v1/verify` check the archive copies of an office. */
  verifyArchiveCopies(source: ArchiveVerificationSource): void
  close(): Promise<void>
}

const MAX_BODY = 64 * 1024

export async function startSandboxLibrary(options: SandboxOptions = {}): Promise<SandboxLibrary> {
  const accessId = options.accessId ?? 'training'
  const token = options.token ?? randomBytes(16).toString('hex')
  const licences = options.licences ?? SEED_LICENCES
  const requests: { path: string; body: unknown }[] = []
  let fault: SandboxFault = options.fault ?? { kind: 'none' }
  const authorised = createAuthCheck({
    accessId,
    token,
    ...(options.appKey && options.appSecret
      ? { appKey: options.appKey, appSecret: options.appSecret }
      : {}),
  })
  const share = createShareRoutes(
    {
      licences,
      qrSecret: randomBytes(32),
      ...(options.catalogue ? { catalogue: options.catalogue } : {}),
      ...(options.fileFor ? { fileFor: options.fileFor } : {}),
      fault: () => fault,
    },
    send,
  )

  const exchange = createExchangeRoutes({ authorised, send })
  const archive = createArchiveVerifyRoute(send, options.archive)

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sandbox')
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs))
    if (url.pathname === SHARE_PATHS.ping) return send(res, 200, { code: '0', message: 'ok' })
    if (await applyFault(fault, req, res, url.pathname)) return
    if (await exchange.handle(req, res, url.pathname)) return
    // Anyone holding a paper copy may check it: no credentials.
    if (archive.handle(req, res, url)) return
    let text = ''
    if (req.method === 'POST') {
      const body = await readBody(req, MAX_BODY)
      if (!body) return send(res, 413, { code: '413', message: '请求体过大' })
      text = body.toString('utf8')
    }
    if (!authorised(req, url.pathname, text))
      return send(res, 401, { code: '401', message: '接入凭证无效' })
    let body: unknown = undefined
    if (req.method === 'POST') {
      try {
        body = JSON.parse(text)
      } catch {
        return send(res, 400, { code: '400', message: '请求体不是有效的 JSON' })
      }
    }
    requests.push({ path: url.pathname, body })

    if (await share.handle(req, res, url.pathname, body)) return
    return send(res, 404, { code: '404', message: '接口不存在' })
  }

  const listening = await listenLoopback(handle, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    internalError: { code: '500', message: '沙箱内部错误' },
  })
  return {
    url: listening.url,
    accessId,
    token,
    requests,
    exchange: exchange.store,
    setFault: (f) => {
      fault = f
    },
    qrFor: (identifier, validSeconds) => share.qrFor(identifier, validSeconds),
    verifyArchiveCopies: (source) => archive.attach(source),
    close: listening.close,
  }
}
