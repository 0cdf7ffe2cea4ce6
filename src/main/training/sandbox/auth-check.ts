/**
 * How the sandbox checks a caller, as a provincial gateway would: an access id + token, or an app
 * key whose HMAC-SHA256 signature covers method, path, timestamp, nonce and body, within five
 * minutes and never twice with the same nonce.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { requestSignature } from '../../licences'

export interface SandboxCredentials {
  readonly accessId: string
  readonly token: string
  readonly appKey?: string
  readonly appSecret?: string
}

const SKEW_SECONDS = 300

function same(a: string | undefined, b: string): boolean {
  if (a === undefined) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name]
  return typeof v === 'string' ? v : undefined
}

export function createAuthCheck(credentials: SandboxCredentials) {
  const nonces = new Map<string, number>()
  return function authorised(req: IncomingMessage, path: string, body: string): boolean {
    if (header(req, 'x-access-id') !== undefined)
      return (
        same(header(req, 'x-access-id'), credentials.accessId) &&
        same(header(req, 'x-access-token'), credentials.token)
      )
    const key = header(req, 'x-app-key')
    if (!credentials.appKey || !credentials.appSecret || !same(key, credentials.appKey))
      return false
    const timestamp = header(req, 'x-timestamp') ?? ''
    const nonce = header(req, 'x-nonce') ?? ''
    const signature = header(req, 'x-signature') ?? ''
    const now = Math.floor(Date.now() / 1000)
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SKEW_SECONDS)
      return false
    if (!nonce || nonce.length > 64 || nonces.has(nonce)) return false
    const expected = requestSignature(
      credentials.appSecret,
      req.method ?? 'GET',
      path,
      timestamp,
      nonce,
      body,
    )
    if (!same(signature, expected)) return false
    for (const [n, at] of nonces) if (at < now - SKEW_SECONDS) nonces.delete(n)
    nonces.set(nonce, now)
    return true
  }
}
