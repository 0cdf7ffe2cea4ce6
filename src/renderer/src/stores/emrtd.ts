/**
 * The passport / permit reader as the renderer sees it: its state (pushed by the core), the MRZ
 * entry with live check-digit feedback, the real-name / real-person results for the current
 * holder, and the training levers. Results belong to one applicant and are dropped with them.
 */
import { create } from 'zustand'
import type {
  AccessKeyInput,
  EmrtdState,
  MrzCheck,
  RealNameResult,
  RealPersonResult,
  TrainingDocument,
} from '../../../shared/domain'
import type { ErrorInfo } from '../../../shared/errors'
import { asErrorInfo, counter } from '../counter'
import { useApp } from './app'

export type CheckState<T> =
  | { readonly state: 'idle' }
  | { readonly state: 'running' }
  | { readonly state: 'done'; readonly result: T }
  | { readonly state: 'failed'; readonly error: ErrorInfo }

interface EmrtdStore {
  reader: EmrtdState
  mrzCheck: MrzCheck | null
  /** The MRZ text being typed (the training panel can fill it from the data page). */
  draft: string
  setDraft(text: string): void
  realName: CheckState<RealNameResult>
  realPerson: CheckState<RealPersonResult>
  /** readAt of the holder the results belong to. */
  resultsFor: string | null
  trainingDocuments: TrainingDocument[]
  trainingSelected: string | null
  trainingSlow: boolean
  trainingNoExtended: boolean
  init(): Promise<() => void>
  check(lines: string[]): Promise<void>
  submitKey(input: AccessKeyInput): Promise<boolean>
  clearKey(): Promise<void>
  retry(): Promise<void>
  checkName(holderReadAt: string): Promise<void>
  checkPerson(holderReadAt: string, jpegBase64: string): Promise<void>
  resetChecks(holderReadAt: string | null): void
  loadTraining(): Promise<void>
  selectTraining(id: string): void
  setTrainingOption(option: 'slow' | 'noExtended', value: boolean): void
  placeTraining(): Promise<void>
  removeTraining(): Promise<void>
}

const IDLE: EmrtdState = {
  phase: 'idle',
  readerPresent: false,
  chipPresent: false,
  keyReady: false,
}
let checkSeq = 0

export const useEmrtd = create<EmrtdStore>((set, get) => ({
  reader: IDLE,
  mrzCheck: null,
  draft: '',
  setDraft(text) {
    set({ draft: text })
    void get().check(text.split(/\r?\n/))
  },
  realName: { state: 'idle' },
  realPerson: { state: 'idle' },
  resultsFor: null,
  trainingDocuments: [],
  trainingSelected: null,
  trainingSlow: false,
  trainingNoExtended: false,
  async init() {
    const off = counter().on('emrtd', (reader) => set({ reader }))
    try {
      set({ reader: await counter().emrtd.state() })
    } catch (error) {
      useApp.getState().showError(error)
    }
    return off
  },
  async check(lines) {
    const seq = ++checkSeq
    const clean = lines.map((l) => l.trim()).filter((l) => l.length > 0)
    if (clean.length === 0) return set({ mrzCheck: null })
    try {
      const mrzCheck = await counter().emrtd.checkMrz(clean.slice(0, 3))
      if (seq === checkSeq) set({ mrzCheck })
    } catch {
      // Live feedback only; the submit reports real errors.
    }
  },
  async submitKey(input) {
    try {
      set({ reader: await counter().emrtd.setKey(input), draft: '', mrzCheck: null })
      return true
    } catch (error) {
      useApp.getState().showError(error)
      return false
    }
  },
  async clearKey() {
    set({ reader: await counter().emrtd.clearKey(), mrzCheck: null, draft: '' })
  },
  async retry() {
    try {
      set({ reader: await counter().emrtd.retry() })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async checkName(readAt) {
    set({ realName: { state: 'running' }, resultsFor: readAt })
    try {
      const result = await counter().realname.checkName()
      if (get().resultsFor === readAt) set({ realName: { state: 'done', result } })
    } catch (error) {
      if (get().resultsFor === readAt)
        set({ realName: { state: 'failed', error: asErrorInfo(error) } })
    }
  },
  async checkPerson(readAt, jpegBase64) {
    set({ realPerson: { state: 'running' }, resultsFor: readAt })
    try {
      const result = await counter().realname.checkPerson(jpegBase64)
      if (get().resultsFor === readAt) set({ realPerson: { state: 'done', result } })
    } catch (error) {
      if (get().resultsFor === readAt)
        set({ realPerson: { state: 'failed', error: asErrorInfo(error) } })
    }
  },
  resetChecks(readAt) {
    if (get().resultsFor !== readAt)
      set({ realName: { state: 'idle' }, realPerson: { state: 'idle' }, resultsFor: readAt })
  },
  async loadTraining() {
    try {
      const docs = await counter().emrtd.trainingDocuments()
      set({
        trainingDocuments: docs,
        trainingSelected: get().trainingSelected ?? docs[0]?.id ?? null,
      })
    } catch {
      // Not in training mode with a simulated reader: the panel stays hidden.
    }
  },
  selectTraining: (id) => set({ trainingSelected: id }),
  setTrainingOption: (option, value) =>
    set(option === 'slow' ? { trainingSlow: value } : { trainingNoExtended: value }),
  async placeTraining() {
    const { trainingSelected, trainingSlow, trainingNoExtended } = get()
    if (!trainingSelected) return
    try {
      await counter().emrtd.trainingPlace(trainingSelected, {
        slow: trainingSlow,
        noExtendedLength: trainingNoExtended,
      })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async removeTraining() {
    try {
      await counter().emrtd.trainingRemove()
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
}))
