import { useEffect, useMemo, useState } from 'react'
import { DeviceBanner } from './components/DeviceBanner'
import { ErrorSurface } from './components/ErrorSurface'
import { StatusBar } from './components/StatusBar'
import { TrainingBanner } from './components/TrainingBanner'
import { useHotkeys } from './hooks/useHotkeys'
import { useT } from './i18n'
import { useNavigation, VIEWS } from './navigation'
import { useApp } from './stores/app'
import { useMatters } from './stores/matters'
import { useSession } from './stores/session'
import { useTraining } from './stores/training'
import { useAuth } from './stores/auth'
import { LockScreen } from './views/auth/LockScreen'
import { SignInScreen } from './views/auth/SignInScreen'
import { StaffBadge } from './views/auth/StaffBadge'

function Clock() {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 15_000)
    return () => clearInterval(id)
  }, [])
  return (
    <time>
      {now.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false })}
    </time>
  )
}

export function App() {
  const t = useT()
  const info = useApp((s) => s.info)
  const showError = useApp((s) => s.showError)
  const { current, go } = useNavigation()
  const training = info?.mode === 'training'
  const auth = useAuth((s) => s.state)

  useEffect(() => {
    const offs: (() => void)[] = []
    let live = true
    void (async () => {
      try {
        const off = await useApp.getState().init()
        const offSession = await useSession.getState().init()
        const offAuth = await useAuth.getState().init()
        if (!live) return (off(), offSession(), offAuth())
        offs.push(off, offSession, offAuth)
        await useMatters.getState().load()
        if (useApp.getState().info?.mode === 'training') await useTraining.getState().load()
      } catch (error) {
        showError(error)
      }
    })()
    return () => {
      live = false
      offs.forEach((off) => off())
    }
  }, [showError])

  // The window's title follows the language, like every other string.
  const title = t('app.title')
  useEffect(() => {
    document.title = title
  }, [title])

  const hotkeys = useMemo(
    () => ({
      Escape: () => useApp.getState().dismissError(),
      F10: () => useAuth.getState().state?.status === 'signed-in' && void useAuth.getState().lock(),
    }),
    [],
  )
  useHotkeys(hotkeys)

  if (!info || !auth) return <div className="booting">{t('app.loading')}</div>

  // The counter opens only to a signed-in clerk, and shows only the views their role may use.
  const role = auth.staff?.role
  const views = VIEWS.filter((v) => !v.roles || (role && v.roles.includes(role)))
  const signedIn = auth.status === 'signed-in'

  const View = (views.find((v) => v.id === current) ?? views[0] ?? VIEWS[0]!).component
  return (
    <div className={training ? 'app training' : 'app'}>
      <header className="app-header">
        <div className="brand">
          <span className="emblem" aria-hidden="true">
            {t('app.emblem')}
          </span>
          <span className="app-name">{t('app.title')}</span>
          <span className="unit">{info.unitName}</span>
        </div>
        {signedIn && views.length > 1 && (
          <nav className="app-nav" aria-label={t('nav.label')}>
            {views.map((v) => (
              <button
                key={v.id}
                type="button"
                className={v.id === current ? 'nav-tab current' : 'nav-tab'}
                aria-current={v.id === current ? 'page' : undefined}
                onClick={() => go(v.id)}
                data-testid={`nav-${v.id}`}
              >
                {t(v.label)}
              </button>
            ))}
          </nav>
        )}
        <div className="header-right">
          <StaffBadge />
          <Clock />
        </div>
      </header>
      {training && <TrainingBanner />}
      <DeviceBanner />
      <ErrorSurface />
      {signedIn ? (
        <View />
      ) : auth.status === 'locked' ? (
        <LockScreen state={auth} />
      ) : (
        <SignInScreen />
      )}
      <StatusBar />
    </div>
  )
}
