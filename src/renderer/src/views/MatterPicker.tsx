import { useEffect, useRef } from 'react'
import { useT } from '../i18n'
import { useMatters } from '../stores/matters'
import { useSession } from '../stores/session'

export function MatterPicker({
  searchRef,
}: {
  searchRef: React.RefObject<HTMLInputElement | null>
}) {
  const t = useT()
  const { query, highlighted, setQuery, move, visible } = useMatters()
  const matters = useMatters((s) => s.matters)
  const { holder, matterCode, selectMatter } = useSession()
  const list = visible()
  const listRef = useRef<HTMLOListElement>(null)

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [highlighted])

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      move(1)
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      move(-1)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const m = list[highlighted]
      if (m && holder) void selectMatter(m.code)
    } else if (e.key === 'Escape' && query) {
      e.stopPropagation()
      setQuery('')
    }
  }

  return (
    <section className="panel matters" aria-labelledby="matter-title" data-testid="matter-picker">
      <h2 id="matter-title">{t('matter.title')}</h2>
      <input
        ref={searchRef}
        className="search"
        type="search"
        placeholder={t('matter.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
        disabled={!holder}
        aria-controls="matter-list"
        data-testid="matter-search"
      />
      {!holder && <p className="muted small">{t('matter.needHolder')}</p>}
      <ol
        id="matter-list"
        ref={listRef}
        className="matter-list"
        role="listbox"
        aria-label={t('matter.title')}
      >
        {list.length === 0 && matters.length > 0 && <li className="muted">{t('matter.none')}</li>}
        {list.map((m, i) => (
          <li
            key={m.code}
            role="option"
            aria-selected={i === highlighted}
            aria-disabled={!holder}
            className={[
              i === highlighted ? 'highlighted' : '',
              m.code === matterCode ? 'chosen' : '',
            ].join(' ')}
            onClick={() => holder && void selectMatter(m.code)}
            data-testid={`matter-${m.code}`}
          >
            <span className="matter-name">{m.name}</span>
            <span className="matter-meta">
              {m.department} · {m.code}
            </span>
          </li>
        ))}
      </ol>
    </section>
  )
}
