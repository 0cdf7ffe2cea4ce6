import { create } from 'zustand'
import type { TrainingCard } from '../../../shared/domain'
import { counter } from '../counter'
import { useApp } from './app'

interface TrainingState {
  cards: TrainingCard[]
  selected: string | null
  load(): Promise<void>
  select(id: string): void
  place(): Promise<void>
  remove(): Promise<void>
}

export const useTraining = create<TrainingState>((set, get) => ({
  cards: [],
  selected: null,
  async load() {
    const cards = await counter().training.cards()
    set({ cards, selected: cards[0]?.id ?? null })
  },
  select: (id) => set({ selected: id }),
  async place() {
    const id = get().selected
    if (!id) return
    try {
      await counter().training.placeCard(id)
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async remove() {
    try {
      await counter().training.removeCard()
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
}))
