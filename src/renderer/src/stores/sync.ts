/**
 * The supervisor's view of delivery: the pusher's state as it changes, the outbox by state with
 * each item's countdown, the last two weeks' completions, the calendar, and deadline alerts.
 */
import { create } from 'zustand'
import type {
  CalendarStatus,
  CalendarYearView,
  DailySyncStats,
  OutboxItemView,
  OutboxSummary,
  SyncStatus,
} from '../../../shared/domain'
import { counter } from '../counter'
import { useApp } from './app'

interface SyncState {
  status: SyncStatus | null
  summary: OutboxSummary | null
  items: OutboxItemView[]
  history: DailySyncStats[]
  calendar: CalendarStatus | null
  selected: readonly number[]
  busy: boolean
  init(): Promise<() => void>
  refresh(): Promise<void>
  pushNow(): Promise<void>
  toggle(id: number): void
  retrySelected(): Promise<number>
  importCalendar(fileName: string, text: string): Promise<CalendarYearView[]>
}

export const HISTORY_DAYS = 14

export const useSync = create<SyncState>((set, get) => ({
  status: null,
  summary: null,
  items: [],
  history: [],
  calendar: null,
  selected: [],
  busy: false,
  async init() {
    const api = counter()
    let pending: ReturnType<typeof setTimeout> | undefined
    // Bursts of changes (a batch delivered) refresh the lists once.
    const soon = () => {
      clearTimeout(pending)
      pending = setTimeout(() => void get().refresh(), 300)
    }
    const offs = [
      api.on('sync.progress', (status) => {
        set({ status })
        if (status.state !== 'pushing') soon()
      }),
      api.on('outbox.changed', (summary) => {
        set({ summary })
        soon()
      }),
      // The desktop notification is the shell's; here the lists catch up.
      api.on('sync.deadlineAlert', soon),
    ]
    // Countdowns move with the clock, not only with events.
    const tick = setInterval(() => void get().refresh(), 60_000)
    await get().refresh()
    return () => {
      clearTimeout(pending)
      clearInterval(tick)
      offs.forEach((off) => off())
    }
  },
  async refresh() {
    try {
      const api = counter()
      const [status, summary, items, history, calendar] = await Promise.all([
        api.sync.status(),
        api.outbox.summary(),
        api.outbox.items({}),
        api.sync.history(HISTORY_DAYS),
        api.calendar.status(),
      ])
      const ids = new Set(items.map((i) => i.id))
      set((s) => ({
        status,
        summary,
        items,
        history,
        calendar,
        selected: s.selected.filter((id) => ids.has(id)),
      }))
    } catch (error) {
      useApp.getState().showError(error)
    }
  },
  async pushNow() {
    set({ busy: true })
    try {
      set({ status: await counter().sync.pushNow() })
      await get().refresh()
    } catch (error) {
      useApp.getState().showError(error)
    } finally {
      set({ busy: false })
    }
  },
  toggle(id) {
    set((s) => ({
      selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id],
    }))
  },
  async retrySelected() {
    const ids = [...get().selected]
    if (ids.length === 0) return 0
    try {
      const { retried } = await counter().outbox.retry(ids)
      set({ selected: [] })
      await get().refresh()
      return retried
    } catch (error) {
      useApp.getState().showError(error)
      return 0
    }
  },
  async importCalendar(fileName, text) {
    try {
      const years = await counter().calendar.import({ fileName, text })
      await get().refresh()
      return years
    } catch (error) {
      useApp.getState().showError(error)
      return []
    }
  },
}))
