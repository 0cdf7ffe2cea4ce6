/**
 * The licence workspace for the applicant at the window: the row under the cursor, the licences
 * picked as materials, the seal and library checks done, the detail pane, the QR and attach
 * dialogs. Everything here belongs to one applicant: a new one (the session epoch moves) starts
 * from nothing. Only the clerk's choice to keep a matter for the next applicant survives.
 */
import { create } from 'zustand'
import type { LicenceCapabilities } from '../../../shared/contract/licences'
import {
  materialProblems,
  type AttachRecord,
  type CopyResult,
  type LicencePreview,
  type LicenceSeal,
  type LicenceSummary,
  type QrLookup,
  type Verification,
} from '../../../shared/domain'
import type { ErrorInfo } from '../../../shared/errors'
import { asErrorInfo, counter } from '../counter'
import { useApp } from './app'
import { useMatters } from './matters'
import { useSession } from './session'

export type DetailState =
  | { readonly state: 'closed' }
  | { readonly state: 'loading'; readonly identifier: string }
  | { readonly state: 'open'; readonly identifier: string; readonly preview: LicencePreview }

export type AttachState =
  | { readonly state: 'closed' }
  | { readonly state: 'editing'; readonly error?: ErrorInfo }
  | { readonly state: 'saving' }
  | { readonly state: 'done'; readonly record: AttachRecord }

export type QrState =
  | { readonly state: 'closed' }
  | { readonly state: 'open'; readonly error?: ErrorInfo }
  | { readonly state: 'looking' }
  | { readonly state: 'found'; readonly result: QrLookup }

export type Zoom = number | 'fit'

interface LicencesUi {
  epoch: number
  cursor: number
  selected: string[]
  seals: Record<string, LicenceSeal>
  verifications: Record<string, Verification>
  verifying: { done: number; total: number } | null
  detail: DetailState
  zoom: Zoom
  /** The scale "fit width" currently means, so zooming in starts from what is on screen. */
  fitScale: number
  page: number
  copy: { state: 'idle' | 'saving' } | { state: 'done'; result: CopyResult } | { state: 'failed' }
  attach: AttachState
  serial: string
  qr: QrState
  qrSamples: { label: string; content: string }[]
  pinnedMatter: string | null
  capabilities: LicenceCapabilities | null

  items(): readonly LicenceSummary[]
  sealOf(l: LicenceSummary): LicenceSeal
  moveCursor(delta: number): void
  setCursor(index: number): void
  toggle(identifier: string): void
  open(identifier: string): Promise<void>
  close(): void
  setZoom(zoom: Zoom): void
  setPage(page: number): void
  verify(identifier: string): Promise<void>
  verifyAll(): Promise<void>
  copyFile(identifier: string): Promise<void>
  setSerial(serial: string): void
  openAttach(): void
  closeAttach(): void
  attachSelected(): Promise<void>
  openQr(): Promise<void>
  closeQr(): void
  lookupQr(content: string): Promise<void>
  pin(code: string | null): void
  loadCapabilities(): Promise<void>
  reset(epoch: number): void
}

const fresh = {
  cursor: 0,
  selected: [] as string[],
  seals: {} as Record<string, LicenceSeal>,
  verifications: {} as Record<string, Verification>,
  verifying: null,
  detail: { state: 'closed' } as DetailState,
  zoom: 'fit' as Zoom,
  fitScale: 1,
  page: 0,
  copy: { state: 'idle' } as const,
  attach: { state: 'closed' } as AttachState,
  serial: '',
  qr: { state: 'closed' } as QrState,
  qrSamples: [] as { label: string; content: string }[],
}

const UNCHECKED: LicenceSeal = { state: 'unchecked' }
// Selectors must return stable references, or React re-renders without end.
const NO_ITEMS: readonly LicenceSummary[] = []

/** True while the answer still belongs to the applicant it was asked for. */
const current = (epoch: number) => useLicences.getState().epoch === epoch

export const useLicences = create<LicencesUi>((set, get) => ({
  epoch: useSession.getState().epoch,
  ...fresh,
  pinnedMatter: null,
  capabilities: null,

  items() {
    const l = useSession.getState().licences
    return l.state === 'loaded' ? l.list.items : NO_ITEMS
  },
  sealOf(l) {
    return (
      get().verifications[l.identifier]?.seal ?? get().seals[l.identifier] ?? l.seal ?? UNCHECKED
    )
  },
  moveCursor(delta) {
    const n = get().items().length
    if (n === 0) return
    set({ cursor: Math.min(n - 1, Math.max(0, get().cursor + delta)) })
  },
  setCursor: (cursor) => set({ cursor }),
  toggle(identifier) {
    const selected = get().selected
    set({
      selected: selected.includes(identifier)
        ? selected.filter((x) => x !== identifier)
        : [...selected, identifier],
    })
  },

  async open(identifier) {
    const epoch = get().epoch
    performance.clearMarks('preview:click')
    performance.mark('preview:click')
    set({ detail: { state: 'loading', identifier }, zoom: 'fit', page: 0, copy: { state: 'idle' } })
    try {
      const preview = await counter().licences.preview(identifier)
      if (!current(epoch) || get().detail.state === 'closed') return
      set((s) => ({
        detail: { state: 'open', identifier, preview },
        seals:
          preview.seal.state === 'unchecked' ? s.seals : { ...s.seals, [identifier]: preview.seal },
      }))
      // Opening a licence is checking it: seal, library and live status, while the page shows.
      if (!get().verifications[identifier]) void get().verify(identifier)
    } catch (error) {
      if (!current(epoch)) return
      set({ detail: { state: 'closed' } })
      useApp.getState().showError(error)
    }
  },
  close: () => set({ detail: { state: 'closed' }, copy: { state: 'idle' } }),
  setZoom: (zoom) => set({ zoom }),
  setPage: (page) => set({ page: Math.max(0, page) }),

  async verify(identifier) {
    const epoch = get().epoch
    try {
      const v = await counter().licences.verify(identifier)
      if (!current(epoch)) return
      set((s) => ({ verifications: { ...s.verifications, [identifier]: v } }))
    } catch (error) {
      if (current(epoch)) useApp.getState().showError(error)
    }
  },
  async verifyAll() {
    const epoch = get().epoch
    const ids = get()
      .items()
      .map((l) => l.identifier)
    if (ids.length === 0 || get().verifying) return
    set({ verifying: { done: 0, total: ids.length } })
    for (const [i, id] of ids.entries()) {
      if (!current(epoch)) return
      await get().verify(id)
      if (!current(epoch)) return
      set({ verifying: { done: i + 1, total: ids.length } })
    }
    set({ verifying: null })
  },

  async copyFile(identifier) {
    const epoch = get().epoch
    set({ copy: { state: 'saving' } })
    try {
      const result = await counter().licences.copy(identifier)
      if (current(epoch)) set({ copy: { state: 'done', result } })
    } catch (error) {
      if (!current(epoch)) return
      set({ copy: { state: 'failed' } })
      useApp.getState().showError(error)
    }
  },

  setSerial: (serial) => set({ serial }),
  openAttach() {
    if (get().selected.length === 0) return
    set({ attach: { state: 'editing' } })
  },
  closeAttach: () => set({ attach: { state: 'closed' } }),
  async attachSelected() {
    const { selected, serial, epoch } = get()
    if (selected.length === 0) return
    set({ attach: { state: 'saving' } })
    try {
      const record = await counter().licences.attach({
        businessSerial: serial.trim(),
        identifiers: selected,
      })
      if (current(epoch)) set({ attach: { state: 'done', record }, selected: [] })
    } catch (error) {
      if (current(epoch)) set({ attach: { state: 'editing', error: asErrorInfo(error) } })
    }
  },

  async openQr() {
    const epoch = get().epoch
    set({ qr: { state: 'open' } })
    if (useApp.getState().info?.mode !== 'training') return
    try {
      const qrSamples = await counter().licences.qrSamples()
      if (current(epoch)) set({ qrSamples })
    } catch {
      // Samples are a training aid; without them the clerk types or scans.
    }
  },
  closeQr: () => set({ qr: { state: 'closed' } }),
  async lookupQr(content) {
    const epoch = get().epoch
    set({ qr: { state: 'looking' } })
    try {
      const result = await counter().licences.qr(content.trim())
      if (!current(epoch)) return
      set((s) => ({
        qr: { state: 'found', result },
        verifications: { ...s.verifications, [result.summary.identifier]: result.verification },
      }))
      // The licence joins this matter's list in the core; show it there too.
      void useSession.getState().refresh()
    } catch (error) {
      if (current(epoch)) set({ qr: { state: 'open', error: asErrorInfo(error) } })
    }
  },

  pin: (pinnedMatter) => set({ pinnedMatter }),
  async loadCapabilities() {
    try {
      set({ capabilities: await counter().licences.capabilities() })
    } catch {
      set({ capabilities: null })
    }
  },
  reset: (epoch) => set({ epoch, ...fresh }),
}))

export type LibraryObjection = 'file-inconsistent' | 'info-inconsistent' | 'not-found'

/** What the library said against a licence when it was verified: it is not the library's own. */
export function libraryObjections(v?: Verification): LibraryObjection[] {
  if (!v) return []
  return [
    v.library.file === 'inconsistent' ? ('file-inconsistent' as const) : null,
    v.library.info === 'inconsistent' ? ('info-inconsistent' as const) : null,
    v.library.info === 'not-found' ? ('not-found' as const) : null,
  ].filter((x): x is LibraryObjection => x !== null)
}

/** Whether a licence may be picked as material, as far as the screen knows (the core decides). */
export function usable(l: LicenceSummary, seal: LicenceSeal, v?: Verification): boolean {
  const status = v?.status ?? l.status
  return materialProblems({ seal, status, expired: l.expired, library: v?.library }).length === 0
}

// A new applicant: forget everything about the last one; with a kept matter, query at once.
useSession.subscribe((s, prev) => {
  if (s.epoch === prev.epoch) return
  useLicences.getState().reset(s.epoch)
  const pinned = useLicences.getState().pinnedMatter
  if (!pinned || !s.holder || s.matterCode) return
  const matter = useMatters.getState().matters.find((m) => m.code === pinned)
  const kind = 'kind' in s.holder ? s.holder.kind : 'person'
  if (!matter || !matter.holderKinds.includes(kind)) return
  const epoch = s.epoch
  void counter()
    .session.selectMatter(pinned)
    .then((view) => {
      if (useSession.getState().epoch !== epoch) return
      useSession.setState({ matterCode: view.matterCode })
      return useSession.getState().refresh()
    })
    .catch(() => {
      // The matter does not fit this applicant: the clerk chooses one as usual.
    })
})
