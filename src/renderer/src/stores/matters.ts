import { create } from 'zustand'
import type { Matter } from '../../../shared/domain'
import { counter } from '../counter'
import { useApp } from './app'

interface MattersState {
  matters: Matter[]
  query: string
  highlighted: number
  load(): Promise<void>
  setQuery(query: string): void
  move(delta: number): void
  visible(): Matter[]
}

export function matchesQuery(m: Matter, query: string): boolean {
  const q = query.trim().toLowerCase()
  if (!q) return true
  return (
    m.name.toLowerCase().includes(q) || m.code.toLowerCase().includes(q) || m.department.includes(q)
  )
}

export const useMatters = create<MattersState>((set, get) => ({
  matters: [],
  query: '',
  highlighted: 0,
  async load() {
    try {
      set({ matters: await counter().matters.list() })
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  setQuery: (query) => set({ query, highlighted: 0 }),
  move(delta) {
    const n = get().visible().length
    if (n === 0) return
    set({ highlighted: (get().highlighted + delta + n) % n })
  },
  visible: () => get().matters.filter((m) => matchesQuery(m, get().query)),
}))
