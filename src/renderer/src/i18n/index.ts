import { create } from 'zustand'
import { describeError, fillTemplate, type ErrorInfo, type Language } from '../../../shared/errors'
import { archiveMessages } from './messages/archive'
import { authMessages } from './messages/auth'
import { coreMessages } from './messages/core'
import { emrtdMessages } from './messages/emrtd'
import { idcardMessages } from './messages/idcard'
import { issuanceMessages } from './messages/issuance'
import { licencesMessages } from './messages/licences'
import { syncMessages } from './messages/sync'

/** Every domain's strings. Add a domain: a file in messages/, one import and one spread here. */
const messages = {
  ...coreMessages,
  ...emrtdMessages,
  ...idcardMessages,
  ...authMessages,
  ...licencesMessages,
  ...archiveMessages,
  ...issuanceMessages,
  ...syncMessages,
} as const

export type MessageKey = keyof typeof messages

export const useLanguage = create<{ language: Language; setLanguage(l: Language): void }>(
  (set) => ({
    language: 'zh-CN',
    setLanguage: (language) => set({ language }),
  }),
)

export function translate(
  language: Language,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  // The same `{name}` placeholders, filled the same way, as the error catalogue's.
  return fillTemplate(messages[key][language === 'en' ? 1 : 0], params)
}

/** The translation function for the current language; components re-render when it changes. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const language = useLanguage((s) => s.language)
  return (key, params) => translate(language, key, params)
}

/** An error from the core, in the clerk's language (the core sends Chinese). */
export function localiseError(
  info: ErrorInfo,
  language: Language,
): { message: string; hint: string } {
  if (language === 'zh-CN') return { message: info.message, hint: info.hint }
  return describeError(info.code, info.params, language)
}
