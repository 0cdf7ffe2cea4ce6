export type Language = 'zh-CN' | 'en'

export interface ErrorText {
  readonly message: string
  readonly hint: string
}

export interface ErrorEntry {
  readonly zh: ErrorText
  readonly en: ErrorText
}

export type ErrorCatalogue = Readonly<Record<string, ErrorEntry>>

/** What crosses the bridge and what the UI shows: never a stack, never personal data. */
export interface ErrorInfo {
  readonly code: string
  readonly message: string
  readonly hint: string
  readonly params?: Readonly<Record<string, string | number>>
}
