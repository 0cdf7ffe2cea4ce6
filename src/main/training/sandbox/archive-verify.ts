/**
 * The library's verification service for paper archive copies: `GET /archive/v1/verify` — the
 * address an archive copy's QR code opens by default (`<library>/archive/v1/verify?v=1&n=…`).
 * Anyone may ask, without credentials: it checks the code's SM2 signature against the public
 * keys of the offices it knows, its validity limit, and — where it can see the printing
 * office's register, as the sandbox beside the app can — whether the copy was printed, how
 * often, and that the number belongs to the licence the code names, exactly as
 * `cli archive verify-qr` does. A QR code printed for another address is checked by passing its
 * whole content as `?content=`.
 *
 * Browsers (a phone that scanned the code) get a short page in Chinese; anything else gets the
 * sharing service's JSON envelope with the check as `data`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { QrCheckView } from '../../../shared/domain'
import { shanghaiDate } from '../../../shared/time'
import { judgeQr, type RegisterLookup } from '../../archive'

export const ARCHIVE_VERIFY_PATH = '/archive/v1/verify'

/** Which offices' copies the service can vouch for, and what it can see of their registers. */
export interface ArchiveVerificationSource {
  /** The offices' public keys (SM2, uncompressed), by key id. */
  readonly publicKeys: () => ReadonlyMap<string, Uint8Array>
  readonly register?: RegisterLookup
  /** The clock for validity limits (tests). */
  readonly now?: () => Date
}

const PROBLEM_WORDS: Readonly<Record<NonNullable<QrCheckView['problem']>, string>> = {
  format: '不是有效的存档副本二维码',
  'unknown-key': '签发该二维码的存档单位公钥未在本库登记',
  signature: '签名不符：二维码内容被改动或并非存档单位签发',
  expired: '核验码已过有效期，请向存档单位申请核验',
}

const escape = (t: string) =>
  t.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

/** The answer as a page a person reads on a phone. */
function page(check: QrCheckView): string {
  const verdict = check.valid
    ? '核验通过：本存档副本由存档单位签发，且在有效期内'
    : check.problem
      ? `核验未通过：${PROBLEM_WORDS[check.problem]}`
      : '核验未通过：存档编号与登记簿中的证照不符'
  const rows: [string, string | undefined][] = [
    ['存档编号', check.archiveNo],
    ['电子证照标识', check.identifier],
    ['颁发机构代码', check.issuerCode],
    ['存档单位代码', check.unitCode],
    ['核验码有效期至', check.expiresOn],
    [
      '存档登记',
      check.registered
        ? `已登记，首次打印 ${check.registered.printedAt}，共打印 ${check.registered.prints} 次`
        : check.archiveNo
          ? '本库看不到该存档单位的登记簿'
          : undefined,
    ],
  ]
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>存档副本核验</title></head><body><h1>${escape(verdict)}</h1><dl>${rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v!)}</dd>`)
    .join('')}</dl></body></html>`
}

export interface ArchiveVerifyRoute {
  /** Lets the service vouch for an office's copies (the sandbox is started before the archive). */
  attach(source: ArchiveVerificationSource): void
  /** Answers the request when it is for this service; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean
}

export function createArchiveVerifyRoute(
  send: (res: ServerResponse, status: number, body: unknown) => void,
  initial?: ArchiveVerificationSource,
): ArchiveVerifyRoute {
  let source = initial
  return {
    attach(s) {
      source = s
    },
    handle(req, res, url) {
      if (url.pathname !== ARCHIVE_VERIFY_PATH) return false
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, { code: '405', message: '请用 GET 核验' })
        return true
      }
      // The QR content is this very address; `content` carries one printed for another.
      const content = url.searchParams.get('content') ?? url.href
      const check = judgeQr(
        content,
        source?.publicKeys() ?? new Map(),
        shanghaiDate(source?.now?.() ?? new Date()),
        source?.register,
      )
      if (/text\/html/.test(req.headers.accept ?? '')) {
        const html = page(check)
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': Buffer.byteLength(html),
        })
        res.end(html)
        return true
      }
      send(res, 200, { code: '0', message: check.valid ? '核验通过' : '核验未通过', data: check })
      return true
    },
  }
}
