import { useT } from '../i18n'
import { useApp } from '../stores/app'

/** Always visible: each device's state, the library's reachability, the mode, the terminal. */
export function StatusBar() {
  const t = useT()
  const { info, devices, library } = useApp()
  return (
    <footer className="status-bar" data-testid="status-bar">
      {devices.map((d) => (
        <span
          key={d.id}
          className={`status-item state-${d.state}`}
          data-testid={`device-${d.id}`}
          data-state={d.state}
        >
          <i className="dot" aria-hidden="true" />
          {d.label}：{t(`status.device.${d.state}`)}
        </span>
      ))}
      <span
        className={`status-item library-${library.state}`}
        data-testid="library-status"
        data-state={library.state}
      >
        <i className="dot" aria-hidden="true" />
        {t('status.library')}：{t(`status.library.${library.state}`)}
      </span>
      <span className="status-spacer" />
      {info && (
        <>
          <span className="status-item">
            {t(info.mode === 'training' ? 'status.mode.training' : 'status.mode.production')}
          </span>
          <span className="status-item">{t('app.terminal', { id: info.terminalId })}</span>
          <span className="status-item muted">v{info.version}</span>
        </>
      )}
    </footer>
  )
}
