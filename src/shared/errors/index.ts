/**
 * One error type for the whole app: a stable code, a Chinese message for the clerk, a hint for
 * what to do, and detail for the log only.
 */
import { archiveErrors } from './archive'
import { authErrors } from './auth'
import { cakeyErrors } from './cakey'
import { coreErrors } from './core'
import { emrtdErrors } from './emrtd'
import { idcardErrors } from './idcard'
import { issuanceErrors } from './issuance'
import { syncErrors } from './sync'
import { ofdErrors } from './ofd'
import { licencesErrors } from './licences'
import type { ErrorCatalogue, ErrorEntry, ErrorInfo, Language } from './types'

export type { ErrorCatalogue, ErrorEntry, ErrorInfo, ErrorText, Language } from './types'

/** Every domain's catalogue. Add a domain by adding its file and one spread here. */
export const errorCatalogue = {
  ...coreErrors,
  ...emrtdErrors,
  ...authErrors,
  ...cakeyErrors,
  ...idcardErrors,
  ...issuanceErrors,
  ...syncErrors,
  ...ofdErrors,
  ...licencesErrors,
  ...archiveErrors,
} as const satisfies ErrorCatalogue

export type ErrorCode = keyof typeof errorCatalogue

type Params = Readonly<Record<string, string | number>>

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalogue, code)
}

export function fillTemplate(template: string, params: Params | undefined): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(params, key) ? String(params[key]) : whole,
  )
}

export function describeError(
  code: string,
  params?: Params,
  language: Language = 'zh-CN',
): { message: string; hint: string } {
  const entry: ErrorEntry = isErrorCode(code) ? errorCatalogue[code] : errorCatalogue.INTERNAL
  const text = language === 'en' ? entry.en : entry.zh
  return { message: fillTemplate(text.message, params), hint: fillTemplate(text.hint, params) }
}

export interface CounterErrorOptions {
  readonly params?: Params
  /** For the log only. Must not contain a full ID number, a photo or other card data. */
  readonly detail?: string
  readonly cause?: unknown
}

export class CounterError extends Error {
  readonly code: ErrorCode
  readonly hint: string
  readonly params: Params | undefined
  readonly detail: string | undefined

  constructor(code: ErrorCode, options: CounterErrorOptions = {}) {
    const { message, hint } = describeError(code, options.params)
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CounterError'
    this.code = code
    this.hint = hint
    this.params = options.params
    this.detail = options.detail
  }

  toInfo(): ErrorInfo {
    return this.params
      ? { code: this.code, message: this.message, hint: this.hint, params: this.params }
      : { code: this.code, message: this.message, hint: this.hint }
  }
}

export function isCounterError(value: unknown): value is CounterError {
  return value instanceof CounterError
}

/** Anything thrown becomes an ErrorInfo fit for the clerk; unknown failures become INTERNAL. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isCounterError(error)) return error.toInfo()
  return new CounterError('INTERNAL').toInfo()
}
