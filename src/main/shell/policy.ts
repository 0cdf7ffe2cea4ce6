/**
 * The shell's security decisions as plain functions, free of Electron so that each is unit
 * tested: which URLs are the app's own pages, which frames may call the core, which permission
 * requests are granted, and which file a request for the renderer may read.
 */
import nodePath from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'counterdesk'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * The app's own pages: `app://counterdesk/…`, or in development exactly the dev server's origin
 * (scheme, host and port) — never a longer host or port that merely starts the same way.
 */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  const u = parse(url)
  if (!u || u.username || u.password) return false
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true
  const dev = devServerUrl === undefined ? undefined : parse(devServerUrl)
  return !!dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && u.origin === dev.origin
}

/** What the shell knows of a frame that sent an IPC message (Electron's WebFrameMain fits). */
export interface FrameLike {
  readonly parent: unknown
  readonly url: string
}

/** Only the app's own top-level page may call the core; no sub-frame, no foreign page. */
export function isTrustedFrame(
  frame: FrameLike | null | undefined,
  devServerUrl: string | undefined,
): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url, devServerUrl)
}

/** The parts of Electron's permission request details the decision reads. */
export interface PermissionRequestDetails {
  readonly requestingUrl?: string
  readonly isMainFrame?: boolean
  readonly mediaTypes?: readonly string[]
}

/**
 * A permission request is granted only for the camera (video, and nothing else: a request that
 * names no media type or also asks for the microphone is refused) from the app's own top page,
 * for the real-person check. Everything else is denied.
 */
export function allowPermissionRequest(
  permission: string,
  details: PermissionRequestDetails,
  devServerUrl: string | undefined,
): boolean {
  const types = details.mediaTypes ?? []
  return (
    permission === 'media' &&
    types.length > 0 &&
    types.every((t) => t === 'video') &&
    details.isMainFrame === true &&
    isAppUrl(details.requestingUrl ?? '', devServerUrl)
  )
}

/** The parts of Electron's permission check details the decision reads. */
export interface PermissionCheckDetails {
  readonly mediaType?: string
  readonly isMainFrame?: boolean
}

/** A permission check passes only for the camera, asked by the app's own top page. */
export function allowPermissionCheck(
  permission: string,
  requestingOrigin: string,
  details: PermissionCheckDetails,
  devServerUrl: string | undefined,
): boolean {
  return (
    permission === 'media' &&
    details.mediaType === 'video' &&
    details.isMainFrame === true &&
    isAppUrl(requestingOrigin, devServerUrl)
  )
}

/**
 * The file under `rendererRoot` that a request path (as it appears in the URL, percent-encoded)
 * names, or undefined when it would lead outside it (`..`, encoded or with backslashes), is
 * malformed, or holds a NUL. `/` is `index.html`. `path` is the platform's path module; tests
 * pass `path.win32` to check Windows paths too.
 */
export function rendererFileFor(
  rendererRoot: string,
  requestPath: string,
  path: Pick<typeof nodePath, 'normalize' | 'join' | 'resolve' | 'sep'> = nodePath,
): string | undefined {
  let relative: string
  try {
    relative = decodeURIComponent(requestPath)
  } catch {
    return undefined
  }
  if (relative.includes('\0')) return undefined
  if (relative === '' || relative === '/') relative = '/index.html'
  const root = path.normalize(path.resolve(rendererRoot) + path.sep)
  const file = path.normalize(path.join(root, relative))
  return file.startsWith(root) && file.length > root.length ? file : undefined
}

/** The file an `app://counterdesk/…` request names; undefined for another host or a bad path. */
export function appRequestFile(rendererRoot: string, requestUrl: string): string | undefined {
  const url = parse(requestUrl)
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined
  return rendererFileFor(rendererRoot, url.pathname)
}
