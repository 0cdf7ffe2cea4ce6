/**
 * The training panel's levers: place a simulated card on the simulated reader, lift it. Placing a
 * card while another lies there lifts the first and waits only until the reader has noticed (the
 * host has asked for a card often enough to count it lifted), as a clerk swapping cards would.
 */
import { CounterError } from '../../shared/errors'
import type { TrainingCard as TrainingCardView } from '../../shared/domain'
import { TRAINING_CARDS, trainingCard, type SamSimulator } from './idcard-sim'

export interface TrainingControls {
  cards(): TrainingCardView[]
  placeCard(id: string): Promise<void>
  removeCard(): Promise<void>
}

export interface TrainingControlsOptions {
  /** The "no card" answers the host needs to count a card as lifted. */
  readonly missesForRemoval: number
  /** The longest a swap waits for the host to notice the lift (a stalled host must not hang it). */
  readonly maxLiftWaitMs: number
}

export function createTrainingControls(
  sim: SamSimulator,
  options: TrainingControlsOptions,
): TrainingControls {
  return {
    cards: () => TRAINING_CARDS.map((c) => ({ id: c.id, label: c.label, cardType: c.text.type })),
    async placeCard(id) {
      const card = trainingCard(id)
      if (!card) throw new CounterError('TRAINING_UNKNOWN_CARD', { params: { id } })
      if (sim.current) {
        sim.remove()
        await sim.whenLiftNoticed(options.missesForRemoval, options.maxLiftWaitMs)
      }
      sim.place(card)
    },
    async removeCard() {
      sim.remove()
    },
  }
}
