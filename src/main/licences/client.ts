/**
 * The e-licence library's sharing service over HTTP. Each failure becomes one clear error:
 * offline, timeout, refused credentials, server failure, malformed response. Bodies are read
 * with a size limit and checked against the wire schemas; files also against their size and SM3.
 */
import type { z } from 'zod'
import type { MatterCatalogue } from '../../shared/domain'
import { CounterError, isCounterError, type ErrorCode } from '../../shared/errors'
import { sm3 } from '../crypto'
import type { Logger } from '../log'
import { requestJson, type HttpFailure } from '../net'
import { authHeaders, type LibraryAuth } from './auth'
import {
  QR_ERROR_CODES,
  SHARE_PATHS,
  WireByQrResponseSchema,
  WireCatalogueResponseSchema,
  WireErrorSchema,
  WireFileResponseSchema,
  WireListResponseSchema,
  WireQrSamplesResponseSchema,
  WireVerifyFileResponseSchema,
  WireVerifyInfoResponseSchema,
  type WireFileFormat,
  type WireFileRequest,
  type WireLicence,
  type WireQuery,
  type WireUse,
} from './wire'

export interface LibraryClientOptions {
  readonly baseUrl: string
  readonly auth: LibraryAuth
  readonly timeoutMs: number
  readonly retries: number
  readonly logger: Logger
  /** Largest JSON response body accepted, in bytes. */
  readonly maxResponseBytes?: number
  /** Largest licence file accepted, in bytes (its base64 body may be a third larger). */
  readonly maxFileBytes?: number
  /** Timeout for a file download, which may be much larger than a list. */
  readonly fileTimeoutMs?: number
}

export interface LicenceFile {
  readonly identifier: string
  readonly format: WireFileFormat
  readonly fileName: string
  readonly bytes: Uint8Array
  /** Hex SM3 of the bytes. */
  readonly sm3: string
  readonly annotation?: {
    readonly madeAt: string
    readonly maker: string
    readonly reason: string
    readonly expiresAt: string
  }
}

export interface LibraryClient {
  ping(): Promise<boolean>
  query(query: WireQuery): Promise<WireLicence[]>
  verifyInfo(
    identifier: string,
    fields: { holderIdentityNum?: string; licenseNumber?: string },
  ): Promise<{ exists: boolean; consistent: boolean; licenseStatus?: string }>
  file(request: WireFileRequest, signal?: AbortSignal): Promise<LicenceFile>
  verifyFile(
    identifier: string,
    file: { sm3: string; size: number },
  ): Promise<{ consistent: boolean; licenseStatus?: string }>
  byQr(qrContent: string, use: WireUse): Promise<WireLicence>
  catalogue(): Promise<MatterCatalogue>
  /** The sandbox only: the QR codes a practice holder would show. */
  qrSamples(holderCode: string): Promise<{ label: string; content: string }[]>
}

const RETRY_DELAY_MS = 200

const UNREACHABLE = new Set<ErrorCode>([
  'LIBRARY_OFFLINE',
  'LIBRARY_TIMEOUT',
  'LIBRARY_SERVER_ERROR',
])

/**
 * A failure that says nothing against the request itself: the library could not be reached, was
 * too slow, or failed on its side. Reads are retried on it; the window then works offline.
 */
export function isLibraryUnreachable(error: unknown): error is CounterError {
  return isCounterError(error) && UNREACHABLE.has(error.code)
}

/** The library's error for a request that got no usable answer. */
function noAnswer(failure: HttpFailure, cause: unknown, limit: number): CounterError {
  switch (failure) {
    case 'timeout':
      return new CounterError('LIBRARY_TIMEOUT', { cause })
    case 'offline':
      return new CounterError('LIBRARY_OFFLINE', { cause, detail: String(cause) })
    case 'too-large':
      return new CounterError('LIBRARY_BAD_RESPONSE', { detail: `body over ${limit} bytes` })
  }
}

interface CallOptions {
  readonly signal?: AbortSignal | undefined
  readonly limit?: number
  readonly timeoutMs?: number
  /** Library error codes (in a 4xx body) that mean something particular here. */
  readonly errorCodes?: Readonly<Record<string, ErrorCode>>
  /** What a 404 means for this call, if not a plain rejection. */
  readonly notFound?: ErrorCode
}

export function createLibraryClient(options: LibraryClientOptions): LibraryClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const limit = options.maxResponseBytes ?? 8 * 1024 * 1024
  const maxFile = options.maxFileBytes ?? 20 * 1024 * 1024
  const log = options.logger

  async function once<T extends z.ZodType>(
    path: string,
    body: unknown,
    schema: T,
    call: CallOptions = {},
  ): Promise<z.output<T>> {
    const text = body === undefined ? '' : JSON.stringify(body)
    const method = body === undefined ? 'GET' : 'POST'
    const max = call.limit ?? limit
    const { status, json } = await requestJson({
      url: base + path,
      method,
      headers: authHeaders(options.auth, method, path.split('?')[0]!, text),
      ...(body === undefined ? {} : { body: text }),
      timeoutMs: call.timeoutMs ?? options.timeoutMs,
      signal: call.signal,
      limit: max,
      fail: (failure, cause) => noAnswer(failure, cause, max),
    })
    if (status === 401 || status === 403) {
      throw new CounterError('LIBRARY_UNAUTHORIZED', { params: { status } })
    }
    if (status >= 500) throw new CounterError('LIBRARY_SERVER_ERROR', { params: { status } })
    if (json === undefined)
      throw new CounterError('LIBRARY_BAD_RESPONSE', { detail: `HTTP ${status}: not JSON` })
    if (status >= 400) {
      const err = WireErrorSchema.safeParse(json)
      const mapped = err.success ? call.errorCodes?.[err.data.code] : undefined
      if (mapped) throw new CounterError(mapped, { detail: err.success ? err.data.message : '' })
      if (status === 404 && call.notFound) throw new CounterError(call.notFound)
      throw new CounterError('LIBRARY_REJECTED', {
        params: {
          reason: err.success ? (err.data.message ?? err.data.code) : `HTTP ${status}`,
        },
      })
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      throw new CounterError('LIBRARY_BAD_RESPONSE', {
        detail: parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; '),
      })
    }
    return parsed.data
  }

  /** Reads are idempotent, so a transient failure is retried a bounded number of times. */
  async function read<T extends z.ZodType>(
    path: string,
    body: unknown,
    schema: T,
    call: CallOptions = {},
  ): Promise<z.output<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(path, body, schema, call)
      } catch (error) {
        if (attempt >= options.retries || !isLibraryUnreachable(error) || call.signal?.aborted)
          throw error
        log.warn('library read failed, retrying', {
          path: path.split('?')[0],
          attempt,
          code: error.code,
        })
        await new Promise((r) => setTimeout(r, RETRY_DELAY_MS * (attempt + 1)))
      }
    }
  }

  return {
    async ping() {
      try {
        const timeout = AbortSignal.timeout(Math.min(options.timeoutMs, 3000))
        const r = await fetch(base + SHARE_PATHS.ping, { signal: timeout })
        await r.body?.cancel()
        return r.ok
      } catch {
        return false
      }
    },
    async query(query) {
      const r = await read(SHARE_PATHS.query, query, WireListResponseSchema)
      return r.data.list
    },
    async verifyInfo(identifier, fields) {
      const r = await read(
        SHARE_PATHS.verifyInfo,
        { licenseIdentifier: identifier, ...fields },
        WireVerifyInfoResponseSchema,
      )
      return r.data
    },
    async file(request, signal) {
      const r = await read(SHARE_PATHS.file, request, WireFileResponseSchema, {
        signal,
        // base64 is 4/3 of the file, plus the JSON around it.
        limit: Math.ceil(maxFile / 3) * 4 + 64 * 1024,
        timeoutMs: options.fileTimeoutMs ?? Math.max(options.timeoutMs, 20_000),
        notFound: 'LICENCE_FILE_UNAVAILABLE',
      })
      const d = r.data
      if (d.licenseIdentifier !== request.licenseIdentifier)
        throw new CounterError('LIBRARY_BAD_RESPONSE', { detail: 'file for another licence' })
      if (d.fileSize > maxFile)
        throw new CounterError('LICENCE_FILE_TOO_LARGE', {
          params: { limit: Math.round(maxFile / 1024 / 1024) },
        })
      const bytes = new Uint8Array(Buffer.from(d.content, 'base64'))
      if (bytes.length !== d.fileSize)
        throw new CounterError('LICENCE_FILE_INVALID', {
          params: { problem: `长度 ${bytes.length} 与声明的 ${d.fileSize} 不符` },
        })
      const digest = Buffer.from(sm3(bytes)).toString('hex')
      if (d.sm3 && d.sm3.toLowerCase() !== digest) throw new CounterError('LICENCE_FILE_MISMATCH')
      return {
        identifier: d.licenseIdentifier,
        format: d.format,
        fileName: d.fileName,
        bytes,
        sm3: digest,
        ...(d.annotation ? { annotation: d.annotation } : {}),
      }
    },
    async verifyFile(identifier, file) {
      const r = await read(
        SHARE_PATHS.verifyFile,
        { licenseIdentifier: identifier, fileSm3: file.sm3, fileSize: file.size },
        WireVerifyFileResponseSchema,
      )
      return r.data
    },
    async byQr(qrContent, use) {
      const r = await read(SHARE_PATHS.byQr, { qrContent, ...use }, WireByQrResponseSchema, {
        errorCodes: QR_ERROR_CODES,
        notFound: 'LICENCE_QR_NOT_FOUND',
      })
      return r.data.licence
    },
    async catalogue() {
      const r = await read(SHARE_PATHS.catalogue, undefined, WireCatalogueResponseSchema)
      return r.data.catalogue
    },
    async qrSamples(holderCode) {
      const r = await read(SHARE_PATHS.qrSamples, { holderCode }, WireQrSamplesResponseSchema)
      return r.data.samples
    },
  }
}
