/**
 * The app's views. Each domain adds its view here; the header shows a tab for each view the
 * signed-in role may open.
 */
import type { ComponentType } from 'react'
import { create } from 'zustand'
import type { MessageKey } from './i18n'
import { ArchiveView } from './views/archive/ArchiveView'
import { AuditView } from './views/AuditView'
import { CatalogueView } from './views/CatalogueView'
import { CounterView } from './views/CounterView'
import { IssuanceView } from './views/issuance/IssuanceView'
import { SyncDashboard } from './views/sync/SyncDashboard'

export type Role = 'clerk' | 'supervisor' | 'administrator'

export interface ViewDef {
  readonly id: string
  readonly label: MessageKey
  readonly component: ComponentType
  /** Roles that may open it; all roles when absent. */
  readonly roles?: readonly Role[]
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'counter', label: 'nav.counter', component: CounterView },
  {
    id: 'issuance',
    label: 'nav.issuance',
    component: IssuanceView,
    roles: ['clerk', 'supervisor'],
  },
  {
    id: 'sync',
    label: 'nav.sync',
    component: SyncDashboard,
    roles: ['supervisor', 'administrator'],
  },
  { id: 'audit', label: 'nav.audit', component: AuditView, roles: ['supervisor'] },
  { id: 'archive', label: 'nav.archive', component: ArchiveView, roles: ['supervisor'] },
  { id: 'catalogue', label: 'nav.catalogue', component: CatalogueView, roles: ['administrator'] },
]

export const useNavigation = create<{ current: string; go(id: string): void }>((set) => ({
  current: 'counter',
  go: (id) => set({ current: VIEWS.some((v) => v.id === id) ? id : 'counter' }),
}))
