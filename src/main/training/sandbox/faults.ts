/**
 * A hostile library on demand, for the client's failure paths and for practising them in
 * training: extra latency, a slow drip that never finishes, a huge body, a server error, a
 * refused connection, non-JSON, well-formed JSON of the wrong types, an invalid OFD file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export type SandboxFault =
  | { readonly kind: 'none' }
  /** Added to every matching response (ms), on top of the base latency. */
  | { readonly kind: 'latency'; readonly ms: number; readonly paths?: readonly string[] }
  /** Headers at once, then a byte every `intervalMs`, never ending. */
  | { readonly kind: 'drip'; readonly intervalMs: number; readonly paths?: readonly string[] }
  /** A 200 whose body is `bytes` long (streamed, never buffered here). */
  | { readonly kind: 'huge'; readonly bytes: number; readonly paths?: readonly string[] }
  | { readonly kind: 'status'; readonly status: number; readonly paths?: readonly string[] }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'reset'; readonly paths?: readonly string[] }
  | { readonly kind: 'not-json'; readonly paths?: readonly string[] }
  /** Valid JSON, wrong field types: numbers for strings, a string for the list. */
  | { readonly kind: 'wrong-types'; readonly paths?: readonly string[] }
  /** The file route serves a broken OFD: a truncated zip, or a zip without OFD.xml. */
  | { readonly kind: 'invalid-ofd'; readonly variant: 'truncated' | 'not-ofd' }

export const FAULT_KINDS = [
  'none',
  'latency',
  'drip',
  'huge',
  'status',
  'reset',
  'not-json',
  'wrong-types',
  'invalid-ofd',
] as const

function matches(fault: SandboxFault, path: string): boolean {
  if (fault.kind === 'none' || fault.kind === 'invalid-ofd') return false
  // Ping stays healthy unless named: a library can answer pings and still fail real calls.
  if (!fault.paths) return path.startsWith('/share/') && !path.endsWith('/ping')
  return fault.paths.some((p) => path === p || path.endsWith(p))
}

/**
 * Applies a transport-level fault to a request. Returns true when the fault answered (or
 * dropped) the request; `latency` only delays and returns false.
 */
export async function applyFault(
  fault: SandboxFault,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (!matches(fault, path)) return false
  switch (fault.kind) {
    case 'latency':
      await new Promise((r) => setTimeout(r, fault.ms))
      return false
    case 'drip': {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"code":"0","data":')
      const t = setInterval(() => res.write(' '), fault.intervalMs)
      res.on('close', () => clearInterval(t))
      req.on('close', () => clearInterval(t))
      return true
    }
    case 'huge': {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      let sent = 0
      const pump = () => {
        while (sent < fault.bytes) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      res.on('error', () => undefined)
      pump()
      return true
    }
    case 'status':
      res.writeHead(fault.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: String(fault.status), message: '沙箱故障模式' }))
      return true
    case 'reset':
      req.socket.destroy()
      return true
    case 'not-json':
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><body>502 Bad Gateway</body></html>')
      return true
    case 'wrong-types':
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          code: 0,
          data: {
            total: '1',
            list: 'none',
            licence: { licenseIdentifier: 42 },
            content: 17,
            consistent: 'yes',
            catalogue: [],
          },
        }),
      )
      return true
    default:
      return false
  }
}

/**
 * A fault from the command line: `--fault drip:100`, `status:503`, `huge:67108864`,
 * `invalid-ofd:not-ofd`. Without an argument a kind takes its default; an argument it cannot use
 * is refused (RangeError, in words for the command line), never replaced by the default.
 */
export function parseFault(spec: string): SandboxFault {
  const [kind, arg] = spec.split(':', 2) as [string, string | undefined]
  const number = (fallback: number, ok: (n: number) => boolean, what: string): number => {
    if (!arg) return fallback
    const n = Number(arg)
    if (!ok(n)) throw new RangeError(`故障 ${kind} 的参数应为${what}，而不是 ${arg}`)
    return n
  }
  const count = (n: number) => Number.isSafeInteger(n) && n > 0
  switch (kind) {
    case 'none':
    case 'reset':
    case 'not-json':
    case 'wrong-types':
      return { kind }
    case 'latency':
      return { kind, ms: number(2000, (n) => count(n) || n === 0, '非负整数（毫秒）') }
    case 'drip':
      return { kind, intervalMs: number(200, count, '正整数（毫秒）') }
    case 'huge':
      return { kind, bytes: number(64 * 1024 * 1024, count, '正整数（字节）') }
    case 'status':
      return {
        kind,
        status: number(
          503,
          (n) => Number.isInteger(n) && n >= 400 && n <= 599,
          ' 400–599 的状态码',
        ),
      }
    case 'invalid-ofd':
      if (arg && arg !== 'truncated' && arg !== 'not-ofd')
        throw new RangeError(`故障 invalid-ofd 的参数应为 truncated 或 not-ofd，而不是 ${arg}`)
      return { kind, variant: arg === 'not-ofd' ? 'not-ofd' : 'truncated' }
    default:
      throw new RangeError(`未知的故障 ${kind}；可用：${FAULT_KINDS.join('、')}`)
  }
}
