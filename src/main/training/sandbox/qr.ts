/**
 * The sandbox's licence QR codes: what a holder's phone shows, valid for a few minutes. A URL
 * carrying the identifier and an expiry, authenticated with the library's own key, so the window
 * can only resolve it through the library.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export const QR_BASE = 'https://zzlicence.sandbox.invalid/qr/v1?t='

const b64url = (b: Buffer) => b.toString('base64url')

export function makeQr(secret: Buffer, identifier: string, expiresAt: Date): string {
  const payload = b64url(
    Buffer.from(JSON.stringify({ i: identifier, e: Math.floor(expiresAt.getTime() / 1000) })),
  )
  const mac = b64url(createHmac('sha256', secret).update(payload).digest().subarray(0, 16))
  return `${QR_BASE}${payload}.${mac}`
}

export type QrResolution =
  | { readonly ok: true; readonly identifier: string }
  | { readonly ok: false; readonly code: 'QR_INVALID' | 'QR_EXPIRED' }

export function resolveQr(secret: Buffer, content: string, now = new Date()): QrResolution {
  if (!content.startsWith(QR_BASE)) return { ok: false, code: 'QR_INVALID' }
  const [payload, mac] = content.slice(QR_BASE.length).split('.')
  if (!payload || !mac) return { ok: false, code: 'QR_INVALID' }
  const expected = createHmac('sha256', secret).update(payload).digest().subarray(0, 16)
  const given = Buffer.from(mac, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, code: 'QR_INVALID' }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, code: 'QR_INVALID' }
  }
  const p = parsed as { i?: unknown; e?: unknown }
  if (typeof p.i !== 'string' || typeof p.e !== 'number') return { ok: false, code: 'QR_INVALID' }
  if (p.e * 1000 < now.getTime()) return { ok: false, code: 'QR_EXPIRED' }
  return { ok: true, identifier: p.i }
}
