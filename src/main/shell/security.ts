/**
 * The shell's security rules: the app's own pages only, no navigation away, no new windows, no
 * webviews, every permission denied except the camera for the real-person check.
 */
import { app, net, protocol, session, type WebContents } from 'electron'
import { normalize, join, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './paths'

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:"

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer from `app://counterdesk/`, never a path outside it. */
export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir + sep)
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 })
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = normalize(join(root, relative))
    if (!file.startsWith(root)) return new Response('forbidden', { status: 403 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    return new Response(response.body, { status: response.status, headers })
  })
}

export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith(APP_ORIGIN + '/')) return true
  return devServerUrl !== undefined && url.startsWith(devServerUrl)
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
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const fromApp = isAppUrl(details.requestingUrl, devServerUrl)
    const cameraOnly =
      permission === 'media' &&
      'mediaTypes' in details &&
      (details.mediaTypes ?? []).every((t) => t === 'video')
    callback(fromApp && cameraOnly)
  })
  ses.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      permission === 'media' && isAppUrl(requestingOrigin + '/', devServerUrl),
  )
}
