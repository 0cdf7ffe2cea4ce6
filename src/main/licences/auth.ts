/** Request authentication for the sharing service: an access id + token, or a signed app key. */
import { createHash, createHmac, randomUUID } from 'node:crypto'

export type LibraryAuth =
  | { readonly kind: 'token'; readonly accessId: string; readonly token: string }
  | { readonly kind: 'appkey'; readonly appKey: string; readonly appSecret: string }

/**
 * The app-key signature is HMAC-SHA256 over method, path, timestamp, nonce and the body's SHA-256,
 * one per line — the common shape of provincial gateways; the exact canonical string is set by
 * each province's integration document.
 */
export function signingString(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  const bodyHash = createHash('sha256').update(body).digest('hex')
  return [method.toUpperCase(), path, timestamp, nonce, bodyHash].join('\n')
}

/** The app-key signature of a request: HMAC-SHA256 of its signing string, in base64. */
export function requestSignature(
  secret: string,
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  return createHmac('sha256', secret)
    .update(signingString(method, path, timestamp, nonce, body))
    .digest('base64')
}

export function authHeaders(
  auth: LibraryAuth,
  method: string,
  path: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  if (auth.kind === 'token') return { 'X-Access-Id': auth.accessId, 'X-Access-Token': auth.token }
  const timestamp = String(Math.floor(now / 1000))
  const nonce = randomUUID()
  return {
    'X-App-Key': auth.appKey,
    'X-Timestamp': timestamp,
    'X-Nonce': nonce,
    'X-Signature': requestSignature(auth.appSecret, method, path, timestamp, nonce, body),
  }
}
