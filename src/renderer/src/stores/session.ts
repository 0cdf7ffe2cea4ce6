/**
 * The applicant being served and their licences for the chosen matter. Everything here is
 * dropped when the core says the applicant changed; a late answer for a previous applicant is
 * ignored, never shown.
 */
import { create } from 'zustand'
import type { SessionView } from '../../../shared/api'
import type { HolderView, LicenceList } from '../../../shared/domain'
import type { ErrorInfo } from '../../../shared/errors'
import { asErrorInfo, counter } from '../counter'
import { useApp } from './app'
import { useMatters } from './matters'

export type LicencesState =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'loaded'; readonly list: LicenceList }
  | { readonly state: 'failed'; readonly error: ErrorInfo }

interface SessionState {
  holder: HolderView | null
  matterCode: string | null
  licences: LicencesState
  /** Bumped on every applicant change; stale answers compare against it. */
  epoch: number
  apply(view: SessionView): void
  init(): Promise<() => void>
  selectMatter(code: string): Promise<void>
  refresh(): Promise<void>
  next(): Promise<void>
}

export const useSession = create<SessionState>((set, get) => ({
  holder: null,
  matterCode: null,
  licences: { state: 'idle' },
  epoch: 0,
  apply(view) {
    const prev = get()
    const sameApplicant =
      prev.holder !== null && view.holder !== null && prev.holder.readAt === view.holder.readAt
    if (sameApplicant) return
    useMatters.getState().setQuery('')
    set({
      holder: view.holder,
      matterCode: view.matterCode,
      licences: { state: 'idle' },
      epoch: prev.epoch + 1,
    })
  },
  async init() {
    const off = counter().on('session', (view) => get().apply(view))
    get().apply(await counter().session.current())
    return off
  },
  async selectMatter(code) {
    try {
      const view = await counter().session.selectMatter(code)
      set({ matterCode: view.matterCode })
      await get().refresh()
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async refresh() {
    const { holder, matterCode, epoch } = get()
    if (!holder || !matterCode) return
    set({ licences: { state: 'loading' } })
    try {
      const list = await counter().licences.list()
      if (get().epoch === epoch) set({ licences: { state: 'loaded', list } })
    } catch (error) {
      if (get().epoch !== epoch) return
      const info = asErrorInfo(error)
      set({ licences: { state: 'failed', error: info } })
      useApp.getState().showError(info)
    }
  },
  async next() {
    useMatters.getState().setQuery('')
    set((s) => ({
      holder: null,
      matterCode: null,
      licences: { state: 'idle' },
      epoch: s.epoch + 1,
    }))
    try {
      await counter().session.next()
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
}))
