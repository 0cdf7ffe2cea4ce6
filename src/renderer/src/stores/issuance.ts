/**
 * The issuance form: the licence type, the face values as the clerk edits them (checked as they
 * type, with the catalogue's own rules), the preview of the exact file, signing, and the
 * licences issued here. Everything belongs to one applicant and is dropped when they change.
 */
import { create } from 'zustand'
import {
  validateFaceValues,
  type FieldIssue,
  type IssuanceDraft,
  type IssuancePreview,
  type IssuedLicenceView,
  type LicenceTemplateView,
  type SignerChoice,
  type SignerOption,
  type StatusChangeRequest,
} from '../../../shared/domain'
import { counter } from '../counter'
import { useApp } from './app'

export type IssuancePhase = 'edit' | 'previewing' | 'preview' | 'signing' | 'issued'

interface IssuanceState {
  types: LicenceTemplateView[]
  signers: SignerOption[]
  recent: IssuedLicenceView[]
  typeCode: string | null
  draft: IssuanceDraft | null
  values: Record<string, string>
  validFrom: string
  validTo: string
  /** Problems are shown per field once it was touched, and all of them after a preview attempt. */
  touched: readonly string[]
  showAll: boolean
  phase: IssuancePhase
  preview: IssuancePreview | null
  signer: SignerChoice | null
  /** The seal key's PIN while the clerk types it; cleared after every signing attempt. */
  pin: string
  issued: IssuedLicenceView | null
  /** The licence whose status is being changed. */
  changing: IssuedLicenceView | null
  load(): Promise<void>
  /** Follows deliveries, so the list shows what reached the library. */
  follow(): () => void
  refreshRecent(): Promise<void>
  choose(typeCode: string): Promise<void>
  setValue(key: string, value: string): void
  setValidity(patch: { validFrom?: string; validTo?: string }): void
  previewNow(): Promise<void>
  /** Re-reads the signers (a seal key may have been inserted) and keeps a usable choice. */
  refreshSigners(): Promise<void>
  sign(): Promise<void>
  back(): void
  another(): void
  reset(): void
  openStatus(l: IssuedLicenceView | null): void
  changeStatus(request: StatusChangeRequest): Promise<boolean>
}

/** The catalogue's rules on what the clerk entered (the holder-bound fields are the core's). */
export function faceIssues(
  template: LicenceTemplateView | undefined,
  values: Readonly<Record<string, string>>,
): FieldIssue[] {
  if (!template) return []
  const bound = holderBound(template)
  const own: Record<string, string> = {}
  for (const [k, v] of Object.entries(values)) if (!bound.has(k)) own[k] = v
  return validateFaceValues(
    template.fields.filter((f) => !bound.has(f.key)),
    own,
  )
}

/** Fields filled from the holder's document by the core: not the clerk's to check or change. */
export function holderBound(t: LicenceTemplateView | undefined): Set<string> {
  return new Set((t?.fields ?? []).filter((f) => f.locked && f.prefill).map((f) => f.key))
}

const blank = {
  typeCode: null,
  draft: null,
  values: {},
  validFrom: '',
  validTo: '',
  touched: [],
  showAll: false,
  phase: 'edit' as IssuancePhase,
  preview: null,
  issued: null,
}

export const useIssuance = create<IssuanceState>((set, get) => ({
  types: [],
  signers: [],
  recent: [],
  signer: null,
  pin: '',
  changing: null,
  ...blank,
  async load() {
    try {
      const [types, signers, recent] = await Promise.all([
        counter().issuance.types(),
        counter().issuance.signers(),
        counter().issuance.issued(20),
      ])
      const usable = signers.find((s) => s.available)
      set({ types, signers, recent, signer: get().signer ?? usable?.choice ?? null })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  follow() {
    let pending: ReturnType<typeof setTimeout> | undefined
    const off = counter().on('outbox.changed', () => {
      clearTimeout(pending)
      pending = setTimeout(() => void get().refreshRecent(), 250)
    })
    return () => {
      clearTimeout(pending)
      off()
    }
  },
  async refreshRecent() {
    try {
      set({ recent: await counter().issuance.issued(20) })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async choose(typeCode) {
    set({ ...blank, typeCode })
    try {
      const draft = await counter().issuance.draft(typeCode)
      if (get().typeCode !== typeCode) return
      set({
        draft,
        values: { ...draft.values },
        validFrom: draft.validFrom,
        validTo: draft.validTo ?? '',
      })
    } catch (error) {
      set({ typeCode: null })
      useApp.getState().showError(error)
    }
  },
  setValue(key, value) {
    const s = get()
    if (s.phase !== 'edit') return
    set({
      values: { ...s.values, [key]: value },
      touched: s.touched.includes(key) ? s.touched : [...s.touched, key],
    })
  },
  setValidity(patch) {
    if (get().phase !== 'edit') return
    set(patch)
  },
  async previewNow() {
    const s = get()
    if (!s.typeCode || s.phase !== 'edit') return
    const template = s.types.find((x) => x.typeCode === s.typeCode)
    if (faceIssues(template, s.values).length > 0) {
      set({ showAll: true })
      return
    }
    set({ phase: 'previewing', showAll: true })
    try {
      const preview = await counter().issuance.preview({
        typeCode: s.typeCode,
        values: s.values,
        validFrom: s.validFrom,
        validTo: s.validTo || 'long-term',
      })
      if (get().phase === 'previewing') set({ phase: 'preview', preview })
      await get().refreshSigners()
    } catch (error) {
      set({ phase: 'edit' })
      useApp.getState().showError(error)
    }
  },
  async refreshSigners() {
    try {
      const signers = await counter().issuance.signers()
      const same = (c: SignerChoice) => JSON.stringify(c) === JSON.stringify(get().signer)
      const kept = signers.find((o) => o.available && same(o.choice))
      const usable = kept ?? signers.find((o) => o.available)
      set({ signers, signer: usable?.choice ?? null })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async sign() {
    const s = get()
    if (s.phase !== 'preview' || !s.preview || !s.signer) return
    const choice: SignerChoice =
      s.signer.kind === 'token' && s.pin ? { ...s.signer, pin: s.pin } : s.signer
    set({ phase: 'signing', pin: '' })
    try {
      const issued = await counter().issuance.sign(s.preview.draftId, choice)
      set({ phase: 'issued', issued })
      await get().refreshRecent()
    } catch (error) {
      set({ phase: 'preview' })
      useApp.getState().showError(error)
    }
  },
  back() {
    if (get().phase === 'preview') set({ phase: 'edit', preview: null })
  },
  another() {
    const { typeCode } = get()
    set({ ...blank })
    if (typeCode) void get().choose(typeCode)
  },
  reset() {
    set({ ...blank, changing: null })
  },
  openStatus(l) {
    set({ changing: l })
  },
  async changeStatus(request) {
    const l = get().changing
    if (!l) return false
    try {
      await counter().issuance.changeStatus(l.identifier, request)
      set({ changing: null })
      await get().refreshRecent()
      return true
    } catch (error) {
      useApp.getState().showError(error)
      return false
    }
  },
}))
