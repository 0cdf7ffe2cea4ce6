import { useEffect, useMemo, useRef } from 'react'
import { NextAction } from '../components/NextAction'
import { useHotkeys } from '../hooks/useHotkeys'
import { useApp } from '../stores/app'
import { useSession } from '../stores/session'
import { useTraining } from '../stores/training'
import { EnterpriseHolderSlot } from './auth/EnterpriseHolderPanel'
import { ChipReaderPanel } from './emrtd/ChipReaderPanel'
import { DocumentHolderSlot } from './emrtd/DocumentHolderPanel'
import { EmrtdTrainingPanel } from './emrtd/EmrtdTrainingPanel'
import { HolderPanel } from './HolderPanel'
import { ManualHolderSlot } from './ManualHolder'
import { LicenceList } from './LicenceList'
import { MatterPicker } from './MatterPicker'
import { TrainingPanel } from './TrainingPanel'

/** The window's main flow: identify the applicant, pick the matter, check the licences, next. */
export function CounterView() {
  const training = useApp((s) => s.info?.mode === 'training')
  const searchRef = useRef<HTMLInputElement>(null)

  const hotkeys = useMemo(
    () => ({
      F2: () => training && void useTraining.getState().place(),
      F3: () => training && void useTraining.getState().remove(),
      F5: () => void useSession.getState().refresh(),
      F12: () =>
        void useSession
          .getState()
          .next()
          .then(() => searchRef.current?.blur()),
      '/': () => searchRef.current?.focus(),
    }),
    [training],
  )
  useHotkeys(hotkeys)

  // A newly identified applicant: put the cursor where the next step is, the matter search.
  const holderReadAt = useSession((s) => s.holder?.readAt)
  useEffect(() => {
    if (holderReadAt) setTimeout(() => searchRef.current?.focus(), 0)
  }, [holderReadAt])

  return (
    <>
      {training && <TrainingPanel />}
      <main className="workspace">
        <aside className="left-column">
          <HolderPanel />
          <EnterpriseHolderSlot />
          <DocumentHolderSlot />
          <ManualHolderSlot />
          <ChipReaderPanel />
          {training && <EmrtdTrainingPanel />}
        </aside>
        <div className="right-column">
          <MatterPicker searchRef={searchRef} />
          <LicenceList />
        </div>
      </main>
      <NextAction />
    </>
  )
}
