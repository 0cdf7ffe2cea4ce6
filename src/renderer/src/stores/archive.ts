/**
 * The supervisor's archive printing: the selection of businesses and licences, the preview of
 * one copy, the batch in progress (pushed by the core's `archive` event) and the register.
 */
import { create } from 'zustand'
import type {
  ArchiveBusiness,
  ArchivePreview,
  ArchivePrint,
  ArchiveQuery,
  BatchSpec,
  BatchView,
  Orientation,
  Paper,
  Printers,
} from '../../../shared/domain'
import { shanghaiDate } from '../../../shared/time'
import { counter } from '../counter'
import { useApp } from './app'

export type PrintChoice = 'none' | 'dialog' | 'silent'

export const itemKey = (serial: string, identifier: string) => `${serial}\u0000${identifier}`

export interface ArchiveFilter {
  from: string
  to: string
  matterCode: string
  serials: string
}

interface ArchiveState {
  filter: ArchiveFilter
  businesses: ArchiveBusiness[] | null
  picked: Set<string>
  searching: boolean
  previewOf: { serial: string; identifier: string } | null
  preview: ArchivePreview | null
  previewing: boolean
  paper: Paper
  orientation: Orientation
  output: 'per-business' | 'combined'
  printChoice: PrintChoice
  printer: string
  printers: Printers | null
  batch: BatchView | null
  batches: BatchView[]
  register: ArchivePrint[] | null
  init(): Promise<() => void>
  setFilter(patch: Partial<ArchiveFilter>): void
  search(): Promise<void>
  toggle(serial: string, identifier: string): void
  pickAll(on: boolean): void
  showPreview(serial: string, identifier: string): Promise<void>
  setLayout(patch: Partial<{ paper: Paper; orientation: Orientation }>): void
  setOutput(output: 'per-business' | 'combined'): void
  setPrint(choice: PrintChoice, printer?: string): void
  start(): Promise<void>
  cancel(): Promise<void>
  resume(id: string): Promise<void>
  printFile(path: string): Promise<void>
  loadRegister(from: string, to: string): Promise<void>
}

function query(filter: ArchiveFilter): ArchiveQuery {
  const serials = filter.serials
    .split(/[\s,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  return {
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    ...(filter.matterCode ? { matterCode: filter.matterCode } : {}),
    ...(serials.length ? { serials } : {}),
  }
}

async function attempt<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f()
  } catch (error) {
    useApp.getState().showError(error)
    return undefined
  }
}

export const useArchive = create<ArchiveState>((set, get) => ({
  filter: { from: shanghaiDate(), to: shanghaiDate(), matterCode: '', serials: '' },
  businesses: null,
  picked: new Set(),
  searching: false,
  previewOf: null,
  preview: null,
  previewing: false,
  paper: 'A4',
  orientation: 'auto',
  output: 'per-business',
  printChoice: 'none',
  printer: '',
  printers: null,
  batch: null,
  batches: [],
  register: null,

  async init() {
    const api = counter()
    const off = api.on('archive', (view) => {
      const current = get().batch
      if (!current || current.id === view.id || view.state === 'running') set({ batch: view })
      set({ batches: [view, ...get().batches.filter((b) => b.id !== view.id)] })
      if (view.state !== 'running') {
        // Numbers and print counts changed: the list and the preview say so.
        void get().search()
        const of = get().previewOf
        if (of) void get().showPreview(of.serial, of.identifier)
      }
    })
    const [printers, batches] = await Promise.all([
      attempt(() => api.archive.printers()),
      attempt(() => api.archive.batches()),
    ])
    const running = batches?.find((b) => b.state === 'running')
    set({
      printers: printers ?? null,
      batches: batches ?? [],
      batch: running ?? get().batch,
      printer:
        printers?.printers.find((p) => p.isDefault)?.name ?? printers?.printers[0]?.name ?? '',
    })
    return off
  },

  setFilter(patch) {
    set({ filter: { ...get().filter, ...patch } })
  },

  async search() {
    const q = query(get().filter)
    if (!q.from && !q.to && !q.matterCode && !q.serials) return
    set({ searching: true })
    const businesses = await attempt(() => counter().archive.candidates(q))
    set({ searching: false })
    if (!businesses) return
    const picked = new Set<string>()
    for (const b of businesses)
      for (const i of b.items) picked.add(itemKey(b.businessSerial, i.identifier))
    set({ businesses, picked })
  },

  toggle(serial, identifier) {
    const picked = new Set(get().picked)
    const key = itemKey(serial, identifier)
    if (picked.has(key)) picked.delete(key)
    else picked.add(key)
    set({ picked })
  },

  pickAll(on) {
    const picked = new Set<string>()
    if (on)
      for (const b of get().businesses ?? [])
        for (const i of b.items) picked.add(itemKey(b.businessSerial, i.identifier))
    set({ picked })
  },

  async showPreview(serial, identifier) {
    set({ previewOf: { serial, identifier }, previewing: true, preview: null })
    const { paper, orientation } = get()
    const preview = await attempt(() =>
      counter().archive.preview({
        item: { identifier, ...(serial ? { businessSerial: serial } : {}) },
        paper,
        orientation,
      }),
    )
    // A later click wins over a slow earlier preview.
    const of = get().previewOf
    if (of?.serial === serial && of.identifier === identifier)
      set({ preview: preview ?? null, previewing: false })
  },

  setLayout(patch) {
    set(patch)
    const of = get().previewOf
    if (of) void get().showPreview(of.serial, of.identifier)
  },

  setOutput(output) {
    set({ output })
  },

  setPrint(printChoice, printer) {
    set({ printChoice, ...(printer !== undefined ? { printer } : {}) })
  },

  async start() {
    const s = get()
    const items = (s.businesses ?? []).flatMap((b) =>
      b.items
        .filter((i) => s.picked.has(itemKey(b.businessSerial, i.identifier)))
        .map((i) => ({ identifier: i.identifier, businessSerial: b.businessSerial })),
    )
    if (items.length === 0) return
    const spec: BatchSpec = {
      items,
      output: s.output,
      paper: s.paper,
      orientation: s.orientation,
      ...(s.printChoice === 'none'
        ? {}
        : {
            print: {
              mode: s.printChoice,
              ...(s.printer ? { printer: s.printer } : {}),
            },
          }),
    }
    const batch = await attempt(() => counter().archive.start(spec))
    if (batch) set({ batch })
  },

  async cancel() {
    const b = get().batch
    if (!b || b.state !== 'running') return
    const view = await attempt(() => counter().archive.cancel(b.id))
    if (view) set({ batch: view })
  },

  async resume(id) {
    const view = await attempt(() => counter().archive.resume(id))
    if (view) set({ batch: view })
  },

  async printFile(path) {
    const b = get().batch
    if (!b) return
    const { printChoice, printer } = get()
    await attempt(() =>
      counter().archive.printFile({
        batchId: b.id,
        path,
        mode: printChoice === 'silent' ? 'silent' : 'dialog',
        ...(printer ? { printer } : {}),
      }),
    )
  },

  async loadRegister(from, to) {
    const register = await attempt(() =>
      counter().archive.register({
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        limit: 1000,
      }),
    )
    if (register) set({ register })
  },
}))
