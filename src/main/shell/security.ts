/**
 * The shell's security rules: the app's own pages only, no navigation away, no new windows, no
 * webviews, every permission denied except the camera for the real-person check. The decisions
 * themselves are plain functions in policy.ts; this file only wires them into Electron.
 */
import { app, net, protocol, session, type WebContents } from 'electron'
import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import {
  allowPermissionCheck,
  allowPermissionRequest,
  appRequestFile,
  APP_SCHEME,
  isAppUrl,
} from './policy'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer from `app://counterdesk/`, never a path outside it. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appRequestFile(rendererDir, request.url)
    if (!file) return new Response('not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    return new Response(response.body, { status: response.status, headers })
  })
}

function lockDown(contents: WebContents, devServerUrl: string | undefined): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

export function applySecurityPolicy(devServerUrl: string | undefined): void {
  app.on('web-contents-created', (_event, contents) => lockDown(contents, devServerUrl))
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowPermissionRequest(permission, details, devServerUrl)),
  )
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowPermissionCheck(permission, requestingOrigin, details, devServerUrl),
  )
}
