/**
 * Sign-in state, the CA keys in the terminal, and the PIN flow. The PIN lives only in the input
 * field and the one call that sends it; the store never keeps it.
 */
import { create } from 'zustand'
import type { AuthState, KeyView } from '../../../shared/contract/auth'
import type { TrainingKey } from '../../../shared/contract/cakey'
import type { ErrorInfo } from '../../../shared/errors'
import { asErrorInfo, counter } from '../counter'
import { useApp } from './app'

interface AuthStore {
  state: AuthState | null
  keys: KeyView[]
  /** The key chosen on the sign-in screen. */
  selected: string | null
  busy: boolean
  error: ErrorInfo | null
  trainingKeys: TrainingKey[]
  init(): Promise<() => void>
  refreshKeys(): Promise<void>
  select(tokenId: string): void
  move(delta: number): void
  signIn(pin: string): Promise<boolean>
  unlock(pin: string): Promise<boolean>
  lock(): Promise<void>
  signOut(): Promise<void>
  loadTrainingKeys(): Promise<void>
  toggleTrainingKey(id: string): Promise<void>
}

/** Keys a clerk can sign in with come first; the rest are listed for what they are. */
export function signInChoices(keys: readonly KeyView[]): KeyView[] {
  return keys.filter((k) => k.use === 'staff' && !k.problem)
}

function keepSelection(keys: KeyView[], selected: string | null): string | null {
  const choices = signInChoices(keys)
  if (selected && choices.some((k) => k.tokenId === selected)) return selected
  return choices[0]?.tokenId ?? null
}

export const useAuth = create<AuthStore>((set, get) => ({
  state: null,
  keys: [],
  selected: null,
  busy: false,
  error: null,
  trainingKeys: [],
  async init() {
    const api = counter()
    const offs = [
      api.on('auth', (state) =>
        set({ state, error: state.status === 'signed-in' ? null : get().error }),
      ),
      api.on('cakeys', (keys) => {
        set({ keys, selected: keepSelection(keys, get().selected) })
        if (useApp.getState().info?.mode === 'training') void get().loadTrainingKeys()
      }),
    ]
    const [state, keys] = await Promise.all([api.auth.state(), api.auth.keys()])
    set({ state, keys, selected: keepSelection(keys, get().selected) })
    return () => offs.forEach((off) => off())
  },
  async refreshKeys() {
    try {
      const keys = await counter().auth.keys()
      set({ keys, selected: keepSelection(keys, get().selected) })
    } catch (error) {
      set({ error: asErrorInfo(error) })
    }
  },
  select: (tokenId) => set({ selected: tokenId, error: null }),
  move(delta) {
    const choices = signInChoices(get().keys)
    if (choices.length === 0) return
    const at = Math.max(
      0,
      choices.findIndex((k) => k.tokenId === get().selected),
    )
    set({ selected: choices[(at + delta + choices.length) % choices.length]!.tokenId, error: null })
  },
  async signIn(pin) {
    const tokenId = get().selected
    if (!tokenId || get().busy) return false
    set({ busy: true, error: null })
    try {
      const state = await counter().auth.signIn(tokenId, pin)
      set({ state, busy: false })
      return true
    } catch (error) {
      set({ busy: false, error: asErrorInfo(error) })
      void get().refreshKeys()
      return false
    }
  },
  async unlock(pin) {
    if (get().busy) return false
    set({ busy: true, error: null })
    try {
      const state = await counter().auth.unlock(pin)
      set({ state, busy: false })
      return true
    } catch (error) {
      set({ busy: false, error: asErrorInfo(error) })
      return false
    }
  },
  async lock() {
    try {
      set({ state: await counter().auth.lock(), error: null })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async signOut() {
    try {
      set({ state: await counter().auth.signOut(), error: null })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async loadTrainingKeys() {
    try {
      set({ trainingKeys: await counter().cakey.trainingKeys() })
    } catch {
      set({ trainingKeys: [] })
    }
  },
  async toggleTrainingKey(id) {
    const key = get().trainingKeys.find((k) => k.id === id)
    try {
      if (key?.inserted) await counter().cakey.trainingRemove(id)
      else await counter().cakey.trainingInsert(id)
      await get().loadTrainingKeys()
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
}))
