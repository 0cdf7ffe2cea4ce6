/**
 * Decodes WLT photos through the vendor's library, held in a child process (see wlt-worker.ts).
 * The child starts ahead of the first card so a read is not kept waiting for it; when it dies
 * mid-decode the read gets a clean error and the next one starts a new child. A library that
 * cannot load, or that keeps crashing, is given up on: photos then show as failed, and nothing
 * else about the read is affected.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { CounterError } from '../../../../shared/errors'
import { normaliseDecodedPhoto } from './bmp'
import { WLT_LENGTH } from './format'
import { WLT_WORKER_SOURCE } from './wlt-worker'

export interface WltDecoderConfig {
  /** `unpack`: int unpack(char *wlt, char *bmp, int bmpSave); `getbmp`: int GetBmp(char *file, int intf). */
  readonly style: 'unpack' | 'getbmp'
  /** The library file (`WltRS.dll`, `libwlt2bmp.so`, …). */
  readonly library: string
  /** The exported function's name; `unpack` / `GetBmp` by default. */
  readonly symbol?: string
  /** What the function returns on success. */
  readonly successCode?: number
  /** `unpack`'s third argument. */
  readonly bmpSave?: number
  /** `GetBmp`'s second argument (1 serial, 2 USB in vendor documentation). */
  readonly intf?: number
  /** 32-bit Windows DLLs use __stdcall. */
  readonly stdcall?: boolean
  /** Where `getbmp` writes its short-lived files; an ASCII path suits ANSI DLLs best. */
  readonly workDir?: string
  readonly timeoutMs?: number
}

export interface WltDecoder {
  /** Starts the child ahead of need. */
  warm(): void
  /** A checked 102 × 126 BMP, or a CounterError. */
  decode(wlt: Uint8Array): Promise<Uint8Array>
  close(): Promise<void>
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'load-error'; message: string }
  | { type: 'result'; id: number; result: number; data: string }
  | { type: 'failure'; id: number; message: string }

interface Pending {
  resolve(bytes: Uint8Array): void
  reject(error: CounterError): void
  timer: NodeJS.Timeout
}

/** Consecutive crashes after which the library is given up on. */
const MAX_CRASHES = 3

function koffiPath(): string {
  return createRequire(import.meta.url).resolve('koffi')
}

export function createWltDecoder(config: WltDecoderConfig): WltDecoder {
  const successCode = config.successCode ?? 1
  const timeoutMs = config.timeoutMs ?? 3000
  const workerConfig = JSON.stringify({
    koffi: koffiPath(),
    style: config.style,
    library: config.library,
    symbol: config.symbol ?? (config.style === 'unpack' ? 'unpack' : 'GetBmp'),
    bmpSave: config.bmpSave ?? 0,
    intf: config.intf ?? 2,
    stdcall: config.stdcall ?? false,
    workDir: config.workDir,
  })

  let child: ChildProcess | undefined
  let ready: Promise<void> | undefined
  let broken: CounterError | undefined
  let crashes = 0
  let nextId = 1
  const pending = new Map<number, Pending>()

  const failAll = (error: CounterError) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer)
      pending.delete(id)
      p.reject(error)
    }
  }

  const start = (): Promise<void> => {
    if (ready) return ready
    const proc = spawn(process.execPath, ['-e', WLT_WORKER_SOURCE], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', COUNTERDESK_WLT_DECODER: workerConfig },
      windowsHide: true,
    })
    child = proc
    let stderr = ''
    proc.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString()
    })
    ready = new Promise<void>((resolve, reject) => {
      let started = false
      proc.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'ready':
            started = true
            resolve()
            return
          case 'load-error':
            broken = new CounterError('IDCARD_PHOTO_DECODER_UNLOADABLE', {
              params: { reason: m.message.slice(0, 200) },
            })
            reject(broken)
            return
          case 'result': {
            const p = pending.get(m.id)
            if (!p) return
            pending.delete(m.id)
            clearTimeout(p.timer)
            crashes = 0
            if (m.result !== successCode) {
              p.reject(
                new CounterError('IDCARD_PHOTO_DECODE_FAILED', { params: { result: m.result } }),
              )
              return
            }
            try {
              p.resolve(normaliseDecodedPhoto(Uint8Array.from(Buffer.from(m.data, 'base64'))))
            } catch (error) {
              p.reject(error as CounterError)
            }
            return
          }
          case 'failure': {
            const p = pending.get(m.id)
            if (!p) return
            pending.delete(m.id)
            clearTimeout(p.timer)
            p.reject(
              new CounterError('IDCARD_PHOTO_DECODE_FAILED', {
                params: { result: 'error' },
                detail: m.message.slice(0, 200),
              }),
            )
          }
        }
      })
      proc.on('error', (error) => {
        broken ??= new CounterError('IDCARD_PHOTO_DECODER_UNLOADABLE', {
          params: { reason: error.message.slice(0, 200) },
        })
        reject(broken)
      })
      proc.on('exit', (code, signal) => {
        if (child === proc) {
          child = undefined
          ready = undefined
        }
        const how = signal ? `signal ${signal}` : `exit ${code}`
        if (!started) {
          broken ??= new CounterError('IDCARD_PHOTO_DECODER_UNLOADABLE', {
            params: { reason: how },
            detail: stderr.slice(0, 500),
          })
          reject(broken)
        }
        if (pending.size > 0) {
          crashes++
          failAll(new CounterError('IDCARD_PHOTO_DECODER_CRASHED', { detail: `${how} ${stderr}` }))
        }
      })
    })
    ready.catch(() => undefined)
    return ready
  }

  return {
    warm() {
      if (!broken) void start().catch(() => undefined)
    },
    async decode(wlt) {
      if (broken) throw broken
      if (crashes >= MAX_CRASHES) throw new CounterError('IDCARD_PHOTO_DECODER_CRASHED')
      if (wlt.length !== WLT_LENGTH)
        throw new CounterError('IDCARD_PHOTO_INVALID', {
          params: { reason: `WLT ${wlt.length} bytes` },
        })
      await start()
      const proc = child
      if (!proc?.connected) throw new CounterError('IDCARD_PHOTO_DECODER_CRASHED')
      const id = nextId++
      return new Promise<Uint8Array>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          crashes++
          reject(new CounterError('IDCARD_PHOTO_DECODER_TIMEOUT'))
          // A library stuck in a loop is killed; the next read starts a fresh child.
          proc.kill('SIGKILL')
        }, timeoutMs)
        pending.set(id, { resolve, reject, timer })
        proc.send({ type: 'decode', id, wlt: Buffer.from(wlt).toString('base64') })
      })
    },
    async close() {
      failAll(new CounterError('IDCARD_PHOTO_DECODER_CRASHED', { detail: 'closed' }))
      const proc = child
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
      if (proc.connected) proc.disconnect()
      const timer = setTimeout(() => proc.kill('SIGKILL'), 1000)
      await exited
      clearTimeout(timer)
    },
  }
}
