export { loadDataKey } from './data-key'
export { watchIdle } from './idle-lock'
export { bindIpc } from './ipc'
export { configFile, electronNativeBinding, rendererDir, resourcesDir } from './paths'
export { notifyDeadlines } from './notify'
export { createElectronPrinting } from './printing'
export {
  applySecurityPolicy,
  CONTENT_SECURITY_POLICY,
  registerAppScheme,
  serveRenderer,
} from './security'
export { createMainWindow } from './window'
