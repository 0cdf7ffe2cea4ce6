import { BrowserWindow, Menu } from 'electron'
import { EVENT_PREFIX } from '../../shared/api'
import type { Core } from '../core'
import { preloadFile } from './paths'
import { APP_ORIGIN } from './policy'

export function createMainWindow(core: Core, devServerUrl: string | undefined): BrowserWindow {
  Menu.setApplicationMenu(null)
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1180,
    minHeight: 720,
    show: false,
    title: 'CounterDesk 政务服务窗口',
    backgroundColor: '#f3f4f1',
    webPreferences: {
      preload: preloadFile(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  const off = core.onEvent((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_PREFIX + event, payload)
  })
  win.on('closed', off)
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)
  return win
}
