/**
 * The Electron shell. Only this file and `shell/` import Electron: everything else is the core,
 * which runs the same under Node in the CLI and the tests.
 */
import { app, BrowserWindow as ElectronWindow, dialog, type BrowserWindow } from 'electron'
import { isCounterError } from '../shared/errors'
import { resolveConfig } from './config'
import { createCore, type Core } from './core'
import {
  applySecurityPolicy,
  bindIpc,
  configFile,
  createElectronPrinting,
  createMainWindow,
  electronNativeBinding,
  loadDataKey,
  notifyDeadlines,
  registerAppScheme,
  rendererDir,
  resourcesDir,
  serveRenderer,
  watchIdle,
} from './shell'

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  registerAppScheme()
  let core: Core | undefined
  let win: BrowserWindow | undefined

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore()
    win?.focus()
  })

  const fail = (error: unknown): never => {
    const text = isCounterError(error) ? `${error.message}\n${error.hint}` : String(error)
    process.stderr.write(text + '\n')
    dialog.showErrorBox('CounterDesk 无法启动', text)
    app.exit(2)
    throw error
  }

  void app.whenReady().then(async () => {
    applySecurityPolicy(devServerUrl)
    serveRenderer(rendererDir())
    try {
      const config = resolveConfig(configFile(process.argv))
      const nativeBinding = electronNativeBinding()
      const dataKey = loadDataKey(app.getPath('userData'))
      core = await createCore({
        config,
        dataDir: app.getPath('userData'),
        resourcesDir: resourcesDir(),
        version: app.getVersion(),
        ...(nativeBinding ? { nativeBinding } : {}),
        ...(dataKey ? { dataKey } : {}),
        printing: createElectronPrinting({
          createWindow: (options) => new ElectronWindow(options),
          tempDir: () => app.getPath('temp'),
        }),
      })
      bindIpc(core, devServerUrl)
      win = createMainWindow(core, devServerUrl)
      // A module that cannot start would leave a window that half works: say why and stop, as
      // for a bad configuration.
      await core.start()
      watchIdle(core)
      notifyDeadlines(core)
    } catch (error) {
      fail(error)
    }
  })

  let stopping = false
  app.on('before-quit', (event) => {
    if (!core || stopping) return
    stopping = true
    event.preventDefault()
    void core.stop().finally(() => app.quit())
  })
  app.on('window-all-closed', () => app.quit())
}
