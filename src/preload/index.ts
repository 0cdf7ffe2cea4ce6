import { contextBridge, ipcRenderer } from 'electron'
import { bindCounterApi } from './bind'

contextBridge.exposeInMainWorld('counter', bindCounterApi(ipcRenderer))
