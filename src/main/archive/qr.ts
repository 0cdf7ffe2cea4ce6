/**
 * The archive copy's QR code: a URL that names the copy (archive number), the licence (its
 * identifier and issuer), the office that printed it, and a validity limit, signed with the
 * office's archive key (SM2 over SM3, GM/T 0009 default user ID). Anyone holding the office's
 * public key can check it offline; the office's verification service (or `cli archive verify-qr`)
 * also finds the copy in the register. The limit is printed beside the code in words.
 */
import QRCode from 'qrcode'
import type { PathOp, QrCheckView } from '../../shared/domain'
import { sm2Sign, sm2Verify, sm3, type Sm2KeyPair } from '../crypto'

export const QR_VERSION = '1'
const DOMAIN = 'CounterDesk archive copy v1'

export interface ArchiveQrClaims {
  readonly archiveNo: string
  /** The licence identifier (电子证照标识), or the file's SM3 for a file with none. */
  readonly identifier: string
  /** The licence issuer's USCC; empty when unknown. */
  readonly issuerCode: string
  /** The printing office's USCC. */
  readonly unitCode: string
  /** Last day the token is valid, `YYYY-MM-DD` (Shanghai). */
  readonly expiresOn: string
}

export interface ArchiveKey {
  /** First 8 hex digits of SM3(public key): names the key in the QR. */
  readonly kid: string
  readonly keys: Sm2KeyPair
}

export function keyId(publicKey: Uint8Array): string {
  return Buffer.from(sm3(publicKey)).toString('hex').slice(0, 8)
}

/**
 * The office key's fingerprint as every copy prints it and `cli archive key` shows it: the first
 * 128 bits of SM3 over the public key, in groups of four hex digits (it begins with the key id).
 * A reader who gets the public key from the office checks it against the paper before trusting
 * it to verify the QR code's signature.
 */
export function keyFingerprint(publicKey: Uint8Array): string {
  const hex = Buffer.from(sm3(publicKey)).toString('hex').slice(0, 32)
  return hex.match(/.{4}/g)!.join(' ')
}

function signedText(c: ArchiveQrClaims, kid: string): Uint8Array {
  return new TextEncoder().encode(
    [DOMAIN, c.archiveNo, c.identifier, c.issuerCode, c.unitCode, c.expiresOn, kid].join('\n'),
  )
}

const compactDate = (d: string) => d.replaceAll('-', '')

/** The QR content for a copy: the verification URL with its signed query. */
export function qrContent(baseUrl: string, claims: ArchiveQrClaims, key: ArchiveKey): string {
  const sig = Buffer.from(sm2Sign(signedText(claims, key.kid), key.keys)).toString('base64url')
  const q = new URLSearchParams({
    v: QR_VERSION,
    n: claims.archiveNo,
    i: claims.identifier,
    o: claims.issuerCode,
    u: claims.unitCode,
    e: compactDate(claims.expiresOn),
    k: key.kid,
    t: sig,
  })
  return `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}${q.toString()}`
}

export type QrProblem = 'format' | 'unknown-key' | 'signature' | 'expired'

export type ParsedQr =
  | {
      readonly ok: true
      readonly claims: ArchiveQrClaims
      readonly kid: string
      readonly signature: Uint8Array
    }
  | { readonly ok: false; readonly problem: 'format' }

/** Reads a QR content without checking it; anything malformed is `format`. */
export function parseQrContent(content: string): ParsedQr {
  let url: URL
  try {
    url = new URL(content.trim())
  } catch {
    return { ok: false, problem: 'format' }
  }
  const q = url.searchParams
  const get = (k: string) => q.get(k) ?? ''
  const e = get('e')
  const t = get('t')
  if (get('v') !== QR_VERSION || !/^\d{8}$/.test(e) || !/^[0-9a-f]{8}$/.test(get('k')))
    return { ok: false, problem: 'format' }
  if (!get('n') || !get('i') || !/^[A-Za-z0-9_-]{80,90}$/.test(t))
    return { ok: false, problem: 'format' }
  const signature = Uint8Array.from(Buffer.from(t, 'base64url'))
  if (signature.length !== 64) return { ok: false, problem: 'format' }
  return {
    ok: true,
    kid: get('k'),
    signature,
    claims: {
      archiveNo: get('n'),
      identifier: get('i'),
      issuerCode: get('o'),
      unitCode: get('u'),
      expiresOn: `${e.slice(0, 4)}-${e.slice(4, 6)}-${e.slice(6, 8)}`,
    },
  }
}

export type QrCheck =
  | { readonly valid: true; readonly claims: ArchiveQrClaims; readonly kid: string }
  | {
      readonly valid: false
      readonly problem: QrProblem
      readonly claims?: ArchiveQrClaims
      readonly kid?: string
    }

/**
 * Checks a QR content against the public keys the caller trusts (by key id) on a Shanghai
 * calendar day. A signature that verifies but whose limit has passed is `expired`.
 */
export function checkQrContent(
  content: string,
  publicKeys: ReadonlyMap<string, Uint8Array>,
  today: string,
): QrCheck {
  const parsed = parseQrContent(content)
  if (!parsed.ok) return { valid: false, problem: 'format' }
  const { claims, kid, signature } = parsed
  const key = publicKeys.get(kid)
  if (!key) return { valid: false, problem: 'unknown-key', claims, kid }
  if (!sm2Verify(signedText(claims, kid), signature, key))
    return { valid: false, problem: 'signature', claims, kid }
  if (claims.expiresOn < today) return { valid: false, problem: 'expired', claims, kid }
  return { valid: true, claims, kid }
}

/**
 * The QR symbol as one filled path of module squares in a `size`×`size` box at (x, y), quiet
 * zone included (four modules each side, as ISO/IEC 18004 asks). Error correction M survives a
 * worn paper copy and keeps the symbol small.
 */
export function qrPath(content: string, x: number, y: number, size: number): PathOp {
  const qr = QRCode.create(content, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const quiet = 4
  const unit = size / (n + quiet * 2)
  let d = ''
  for (let r = 0; r < n; r++) {
    let c = 0
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++
        continue
      }
      const start = c
      while (c < n && qr.modules.get(r, c)) c++
      const x0 = start + quiet
      const x1 = c + quiet
      const y0 = r + quiet
      d += `M${x0} ${y0}L${x1} ${y0}L${x1} ${y0 + 1}L${x0} ${y0 + 1}Z`
    }
  }
  return {
    kind: 'path',
    d,
    transform: [unit, 0, 0, unit, x, y],
    fill: [0, 0, 0, 1],
    rule: 'nonzero',
  }
}

/** What a verifier may know of the printing office's register. */
export interface RegisterLookup {
  copyByNumber(archiveNo: string): { readonly identifier: string } | undefined
  firstPrint(
    archiveNo: string,
  ): { readonly printedAt: string; readonly printedBy: string; readonly prints: number } | undefined
}

/**
 * The whole check of a copy's QR code, as `cli archive verify-qr`, the app and the library's
 * verification service give it: signature against the trusted keys, validity on `today`
 * (Shanghai), and — where the register can be seen — whether the copy was printed, how often,
 * and that the number belongs to the licence the code names.
 */
export function judgeQr(
  content: string,
  publicKeys: ReadonlyMap<string, Uint8Array>,
  today: string,
  register?: RegisterLookup,
): QrCheckView {
  const check = checkQrContent(content, publicKeys, today)
  const claims = check.claims
  const registered = claims && register ? register.firstPrint(claims.archiveNo) : undefined
  const copy = claims && register ? register.copyByNumber(claims.archiveNo) : undefined
  return {
    valid: check.valid && (!copy || copy.identifier === claims?.identifier),
    ...(check.valid ? {} : { problem: check.problem }),
    ...(claims
      ? {
          archiveNo: claims.archiveNo,
          identifier: claims.identifier,
          issuerCode: claims.issuerCode,
          unitCode: claims.unitCode,
          expiresOn: claims.expiresOn,
        }
      : {}),
    ...(registered
      ? {
          registered: {
            printedAt: registered.printedAt,
            printedBy: registered.printedBy,
            prints: registered.prints,
          },
        }
      : {}),
  }
}
