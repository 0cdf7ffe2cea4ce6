/**
 * The issuance form: the licence type, the face values as the clerk edits them (checked as they
 * type, with the catalogue's own rules), the preview of the exact file, signing, and the
 * licences issued here. Everything belongs to one applicant and is dropped when they change.
 */
import { create } from 'zustand'
import {
  BULK_LIMITS,
  validateFaceValues,
  type BulkBatchView,
  type BulkCheck,
  type BulkDetail,
  type FieldIssue,
  type IssuanceDraft,
  type IssuancePreview,
  type IssuedLicenceView,
  type LicenceTemplateView,
  type SignerChoice,
  type SignerOption,
  type StatusChangeRequest,
} from '../../../shared/domain'
import { describeError } from '../../../shared/errors'
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

/** The seal key to offer: the one chosen while it can still sign, else the first that can. */
function keptSigner(signers: SignerOption[], chosen: SignerChoice | null): SignerChoice | null {
  const same = (c: SignerChoice) => JSON.stringify(c) === JSON.stringify(chosen)
  const kept = signers.find((o) => o.available && same(o.choice))
  return (kept ?? signers.find((o) => o.available))?.choice ?? null
}

/** The choice as it goes to sealing: a token's with the PIN typed for it. */
function withPin(signer: SignerChoice, pin: string): SignerChoice {
  return signer.kind === 'token' && pin ? { ...signer, pin } : signer
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
      set({ signers, signer: keptSigner(signers, get().signer) })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async sign() {
    const s = get()
    if (s.phase !== 'preview' || !s.preview || !s.signer) return
    const choice = withPin(s.signer, s.pin)
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

/*
 * Bulk issuance (supervisors): the list is checked by the core as a whole; a clean one becomes a
 * batch whose rows and first licence are shown before sealing. Signing runs in the core; this
 * follows it through `issuance.bulkProgress` and can cancel between licences.
 */

export type IssuingMode = 'single' | 'bulk'
export type BulkStep = 'pick' | 'importing' | 'problems' | 'batch'

interface BulkState {
  mode: IssuingMode
  typeCode: string
  step: BulkStep
  check: BulkCheck | null
  detail: BulkDetail | null
  batches: BulkBatchView[]
  signers: SignerOption[]
  signer: SignerChoice | null
  /** The seal key's PIN while it is typed; kept only until the batch is started. */
  pin: string
  /** A call to the core is under way (import, start). */
  busy: boolean
  setMode(mode: IssuingMode): void
  setType(typeCode: string): void
  load(): Promise<void>
  follow(): () => void
  importFile(file: File): Promise<void>
  open(batchNo: string): Promise<void>
  refreshSigners(): Promise<void>
  run(): Promise<void>
  cancel(): Promise<void>
  close(): Promise<void>
  back(): void
}

/** The file's bytes for the bridge: base64, since the core finds the encoding itself. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export const useBulkIssuance = create<BulkState>((set, get) => ({
  mode: 'single',
  typeCode: '',
  step: 'pick',
  check: null,
  detail: null,
  batches: [],
  signers: [],
  signer: null,
  pin: '',
  busy: false,
  setMode(mode) {
    set({ mode })
  },
  setType(typeCode) {
    if (get().step === 'pick') set({ typeCode })
  },
  async load() {
    try {
      const [batches, signers] = await Promise.all([
        counter().issuance.bulkBatches(20),
        counter().issuance.signers(),
      ])
      const usable = signers.find((s) => s.available)
      set({ batches, signers, signer: get().signer ?? usable?.choice ?? null })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  follow() {
    return counter().on('issuance.bulkProgress', (view) => {
      const s = get()
      set({ batches: [view, ...s.batches.filter((b) => b.batchNo !== view.batchNo)] })
      const open = s.detail?.batch
      if (!open || open.batchNo !== view.batchNo) return
      set({ detail: { ...s.detail!, batch: view } })
      // It stopped or finished: the rows now say which were issued.
      if (open.state === 'running' && view.state !== 'running') void get().open(view.batchNo)
    })
  },
  async importFile(file) {
    const s = get()
    if (!s.typeCode || s.busy) return
    if (file.size > BULK_LIMITS.maxBytes) {
      useApp.getState().showError({
        code: 'ISSUANCE_BULK_FILE_TOO_LARGE',
        ...describeError('ISSUANCE_BULK_FILE_TOO_LARGE', {
          size: (file.size / 1048576).toFixed(1),
          max: Math.floor(BULK_LIMITS.maxBytes / 1048576),
        }),
      })
      return
    }
    set({ busy: true, step: 'importing', check: null, detail: null })
    try {
      const result = await counter().issuance.bulkImport(s.typeCode, {
        fileName: file.name,
        content: await base64Of(file),
      })
      if (result.kind === 'problems') set({ step: 'problems', check: result.check })
      else {
        set({ step: 'batch', check: result.check, detail: result.detail })
        await get().refreshSigners()
        void get().load()
      }
    } catch (error) {
      set({ step: 'pick' })
      useApp.getState().showError(error)
    } finally {
      set({ busy: false })
    }
  },
  async open(batchNo) {
    try {
      const detail = await counter().issuance.bulkDetail(batchNo)
      set({ step: 'batch', detail, check: null, typeCode: detail.batch.typeCode })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async refreshSigners() {
    try {
      const signers = await counter().issuance.signers()
      set({ signers, signer: keptSigner(signers, get().signer) })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async run() {
    const s = get()
    const batch = s.detail?.batch
    if (!batch || !s.signer || s.busy || batch.state === 'running') return
    const choice = withPin(s.signer, s.pin)
    set({ busy: true, pin: '' })
    try {
      const view = await counter().issuance.bulkRun(batch.batchNo, choice)
      const now = get().detail
      if (now && now.batch.batchNo === view.batchNo) set({ detail: { ...now, batch: view } })
    } catch (error) {
      useApp.getState().showError(error)
    } finally {
      set({ busy: false })
    }
  },
  async cancel() {
    const batch = get().detail?.batch
    if (!batch || batch.state !== 'running') return
    try {
      await counter().issuance.bulkCancel(batch.batchNo)
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async close() {
    const batch = get().detail?.batch
    if (!batch) return
    try {
      await counter().issuance.bulkClose(batch.batchNo)
      await get().open(batch.batchNo)
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  back() {
    if (get().detail?.batch.state === 'running') return
    set({ step: 'pick', check: null, detail: null, pin: '' })
  },
}))
