import { useEffect, useMemo, useState } from 'react'
import { useHotkeys } from '../../hooks/useHotkeys'
import { useT } from '../../i18n'
import { useAuth } from '../../stores/auth'

/** Training: insert and pull out the simulated CA keys (F4 for the chosen enterprise key). */
export function TrainingCaKeys() {
  const t = useT()
  const keys = useAuth((s) => s.trainingKeys)
  const toggle = useAuth((s) => s.toggleTrainingKey)
  const load = useAuth((s) => s.loadTrainingKeys)
  const enterprises = keys.filter((k) => k.kind === 'enterprise')
  const [chosen, setChosen] = useState<string | null>(null)
  const current = chosen ?? enterprises[0]?.id ?? null
  useEffect(() => {
    void load()
  }, [load])
  const hotkeys = useMemo(() => ({ F4: () => current && void toggle(current) }), [current, toggle])
  useHotkeys(hotkeys)
  const entry = keys.find((k) => k.id === current)
  return (
    <div className="training-cakeys" data-testid="training-cakeys">
      <label className="training-field">
        <span>{t('training.cakeys')}</span>
        <select
          value={current ?? ''}
          onChange={(e) => setChosen(e.target.value)}
          data-testid="training-cakey-select"
        >
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
              {k.inserted ? ` · ${t('training.cakey.inserted')}` : ''}
            </option>
          ))}
        </select>
      </label>
      <div className="training-actions">
        <button
          type="button"
          className="button"
          disabled={!current}
          onClick={() => current && void toggle(current)}
          data-testid="training-cakey-toggle"
        >
          {t(entry?.inserted ? 'training.cakey.remove' : 'training.cakey.insert')} <kbd>F4</kbd>
        </button>
        <span className="muted small">{t('training.cakey.pin')}</span>
      </div>
    </div>
  )
}
