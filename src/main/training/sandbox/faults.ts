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

/** A fault from the command line: `--fault drip:100`, `status:503`, `huge:67108864`, `invalid-ofd:not-ofd`. */
export function parseFault(spec: string): SandboxFault {
  const [kind, arg] = spec.split(':', 2) as [string, string | undefined]
  const n = Number(arg)
  switch (kind) {
    case 'none':
    case 'reset':
    case 'not-json':
    case 'wrong-types':
      return { kind }
    case 'latency':
      return { kind, ms: Number.isFinite(n) && arg ? n : 2000 }
    case 'drip':
      return { kind, intervalMs: Number.isFinite(n) && arg ? n : 200 }
    case 'huge':
      return { kind, bytes: Number.isFinite(n) && arg ? n : 64 * 1024 * 1024 }
    case 'status':
      return { kind, status: Number.isInteger(n) && n >= 400 && n <= 599 ? n : 503 }
    case 'invalid-ofd':
      return { kind, variant: arg === 'not-ofd' ? 'not-ofd' : 'truncated' }
    default:
      throw new RangeError(`unknown fault ${kind}; one of ${FAULT_KINDS.join(', ')}`)
  }
}
