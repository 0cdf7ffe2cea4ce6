import { useEffect, useState } from 'react'
import type { CatalogueInfo, MatterCatalogue } from '../../../shared/domain'
import { counter } from '../counter'
import { useT, type MessageKey } from '../i18n'
import { useApp } from '../stores/app'
import { useLicences } from '../stores/licences'
import { useMatters } from '../stores/matters'

/** Administrators: where the matter catalogue came from, and its reasons of use and licence types. */
export function CatalogueView() {
  const t = useT()
  const caps = useLicences((s) => s.capabilities)
  const [info, setInfo] = useState<CatalogueInfo | null>(null)
  const [draft, setDraft] = useState<MatterCatalogue | null>(null)
  const [dirty, setDirty] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)

  const load = () =>
    Promise.all([counter().catalogue.info(), counter().catalogue.get()]).then(
      ([i, c]) => {
        setInfo(i)
        setDraft(c)
        setDirty(false)
      },
      (error: unknown) => useApp.getState().showError(error),
    )
  useEffect(() => {
    void useLicences.getState().loadCapabilities()
    Promise.all([counter().catalogue.info(), counter().catalogue.get()]).then(
      ([i, c]) => {
        setInfo(i)
        setDraft(c)
      },
      (error: unknown) => useApp.getState().showError(error),
    )
    return counter().on('catalogue', () => void useMatters.getState().load())
  }, [])

  const apply = async (f: () => Promise<CatalogueInfo>) => {
    try {
      const i = await f()
      setSaved(i.version)
      await load()
      await useMatters.getState().load()
    } catch (error) {
      useApp.getState().showError(error)
    }
  }

  const admin = !!caps?.editCatalogue
  const update = (
    code: string,
    change: (m: MatterCatalogue['matters'][number]) => MatterCatalogue['matters'][number],
  ) => {
    if (!draft) return
    setDraft({ ...draft, matters: draft.matters.map((m) => (m.code === code ? change(m) : m)) })
    setDirty(true)
  }
  const toggleType = (code: string, list: 'requiredTypes' | 'optionalTypes', type: string) =>
    update(code, (m) => {
      const other = list === 'requiredTypes' ? 'optionalTypes' : 'requiredTypes'
      const has = m[list].includes(type)
      return {
        ...m,
        [list]: has ? m[list].filter((x) => x !== type) : [...m[list], type],
        [other]: m[other].filter((x) => x !== type),
      }
    })

  return (
    <main className="workspace single">
      <section className="panel catalogue" data-testid="catalogue-view" data-admin={admin}>
        <h2>{t('catalogue.title')}</h2>
        {info && (
          <dl className="facts catalogue-info" data-testid="catalogue-info">
            <div className="fact">
              <dt>{t('catalogue.version')}</dt>
              <dd>{info.version}</dd>
            </div>
            <div className="fact">
              <dt>{t('catalogue.source')}</dt>
              <dd>
                {t(`catalogue.source.${info.source}` as MessageKey)} · {info.origin}
              </dd>
            </div>
            {info.signer && (
              <div className="fact">
                <dt>{t('catalogue.signer')}</dt>
                <dd>{info.signer}</dd>
              </div>
            )}
            <div className="fact">
              <dt>{t('catalogue.loadedAt')}</dt>
              <dd>{new Date(info.loadedAt).toLocaleString('zh-CN', { hour12: false })}</dd>
            </div>
          </dl>
        )}
        {!admin && <p className="warning caution">{t('catalogue.onlyAdmins')}</p>}
        {admin && (
          <div className="licence-toolbar">
            <button
              type="button"
              className="button"
              onClick={() => void apply(() => counter().catalogue.reload())}
            >
              {t('catalogue.reload')}
            </button>
            <label className="button">
              {t('catalogue.import')}
              <input
                type="file"
                accept=".json,application/json"
                hidden
                onChange={(e) => {
                  const file = e.target.files?.[0]
                  if (file)
                    void file
                      .text()
                      .then((text) => apply(() => counter().catalogue.importSigned(text)))
                  e.target.value = ''
                }}
              />
            </label>
            <span className="toolbar-spacer" />
            {dirty && <span className="muted">{t('catalogue.dirty')}</span>}
            <button
              type="button"
              className="button primary"
              disabled={!dirty || !draft}
              onClick={() => draft && void apply(() => counter().catalogue.save(draft))}
              data-testid="catalogue-save"
            >
              {t('catalogue.save')}
            </button>
          </div>
        )}
        {saved && <p className="warning ok">{t('catalogue.saved', { version: saved })}</p>}
        {draft && (
          <div className="catalogue-matters">
            {draft.matters.map((m) => (
              <article
                key={m.code}
                className="catalogue-matter"
                data-testid={`catalogue-${m.code}`}
              >
                <header>
                  <strong>{m.name}</strong>{' '}
                  <span className="muted small">
                    {m.department} · {m.code}
                  </span>
                </header>
                <label className="field-block">
                  <span>{t('catalogue.reason')}</span>
                  <input
                    className="search"
                    value={m.reasonOfUse}
                    disabled={!admin}
                    onChange={(e) => update(m.code, (x) => ({ ...x, reasonOfUse: e.target.value }))}
                  />
                </label>
                <table className="type-grid">
                  <thead>
                    <tr>
                      <th />
                      <th>{t('catalogue.required')}</th>
                      <th>{t('catalogue.optional')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {draft.licenceTypes.map((lt) => (
                      <tr key={lt.code}>
                        <td>{lt.name}</td>
                        {(['requiredTypes', 'optionalTypes'] as const).map((list) => (
                          <td key={list}>
                            <input
                              type="checkbox"
                              disabled={!admin}
                              checked={m[list].includes(lt.code)}
                              onChange={() => toggleType(m.code, list, lt.code)}
                            />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </article>
            ))}
          </div>
        )}
      </section>
    </main>
  )
}
