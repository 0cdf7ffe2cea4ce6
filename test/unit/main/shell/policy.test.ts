/**
 * The shell's security decisions, without Electron: the app's own pages, trusted frames,
 * permissions (the camera only) and the renderer file server's path guard.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  allowPermissionCheck,
  allowPermissionRequest,
  appRequestFile,
  isAppUrl,
  isTrustedFrame,
  rendererFileFor,
} from '../../../../src/main/shell/policy'

const DEV = 'http://localhost:5173'

describe('isAppUrl', () => {
  it.each([
    ['app://counterdesk/index.html', undefined],
    ['app://counterdesk/', undefined],
    ['app://counterdesk/assets/x.js?v=1#top', undefined],
    ['http://localhost:5173/', DEV],
    ['http://localhost:5173/src/main.tsx', DEV],
    ['http://localhost:5173', DEV + '/'],
  ])('accepts %s (dev server %s)', (url, dev) => {
    expect(isAppUrl(url, dev)).toBe(true)
  })

  it.each([
    // Prefix look-alikes of the dev server: another port, another host, credentials.
    ['http://localhost:51730/', DEV],
    ['http://localhost:5173.evil.example/', DEV],
    ['http://localhost:5173@evil.example/', DEV],
    ['https://localhost:5173/', DEV],
    ['http://127.0.0.1:5173/', DEV],
    // The dev server is not trusted when there is none.
    ['http://localhost:5173/', undefined],
    // Look-alikes of the app's own origin.
    ['app://counterdesk.evil/index.html', undefined],
    ['app://counterdesk:8080/index.html', undefined],
    ['app://user@counterdesk/index.html', undefined],
    ['app://other/index.html', undefined],
    ['file:///app/index.html', undefined],
    ['https://counterdesk/index.html', undefined],
    ['not a url', DEV],
    ['', DEV],
  ])('refuses %s (dev server %s)', (url, dev) => {
    expect(isAppUrl(url, dev)).toBe(false)
  })

  it('never trusts a dev server that is not http(s)', () => {
    expect(isAppUrl('file:///x/index.html', 'file:///x/')).toBe(false)
  })
})

describe('isTrustedFrame', () => {
  it('trusts only the app’s own top-level frame', () => {
    expect(isTrustedFrame({ parent: null, url: 'app://counterdesk/index.html' }, undefined)).toBe(
      true,
    )
    const top = { parent: null, url: 'app://counterdesk/index.html' }
    expect(isTrustedFrame({ parent: top, url: 'app://counterdesk/index.html' }, undefined)).toBe(
      false,
    )
    expect(isTrustedFrame({ parent: null, url: 'https://evil.example/' }, undefined)).toBe(false)
    expect(isTrustedFrame({ parent: null, url: 'http://localhost:51730/' }, DEV)).toBe(false)
    expect(isTrustedFrame({ parent: null, url: 'http://localhost:5173/' }, DEV)).toBe(true)
    expect(isTrustedFrame(null, undefined)).toBe(false)
    expect(isTrustedFrame(undefined, undefined)).toBe(false)
  })
})

describe('permission requests', () => {
  const app = { requestingUrl: 'app://counterdesk/index.html', isMainFrame: true }

  it('grants the camera alone to the app’s own top page', () => {
    expect(allowPermissionRequest('media', { ...app, mediaTypes: ['video'] }, undefined)).toBe(true)
  })

  it.each([
    ['no media type named', 'media', { ...app, mediaTypes: [] }],
    ['media types missing', 'media', { ...app }],
    ['the microphone', 'media', { ...app, mediaTypes: ['audio'] }],
    ['camera and microphone', 'media', { ...app, mediaTypes: ['video', 'audio'] }],
    ['a sub-frame', 'media', { ...app, isMainFrame: false, mediaTypes: ['video'] }],
    [
      'a foreign page',
      'media',
      { ...app, requestingUrl: 'https://evil.example/', mediaTypes: ['video'] },
    ],
    ['geolocation', 'geolocation', { ...app }],
    ['notifications', 'notifications', { ...app }],
    ['screen capture', 'display-capture', { ...app, mediaTypes: ['video'] }],
    ['openExternal', 'openExternal', { ...app }],
  ])('refuses %s', (_what, permission, details) => {
    expect(allowPermissionRequest(permission, details, undefined)).toBe(false)
  })

  it('grants the dev server only at its exact origin', () => {
    const video = { isMainFrame: true, mediaTypes: ['video'] }
    expect(
      allowPermissionRequest('media', { ...video, requestingUrl: 'http://localhost:5173/' }, DEV),
    ).toBe(true)
    expect(
      allowPermissionRequest('media', { ...video, requestingUrl: 'http://localhost:51730/' }, DEV),
    ).toBe(false)
  })
})

describe('permission checks', () => {
  const top = { isMainFrame: true }
  it('pass for the camera asked by the app’s own top page', () => {
    expect(
      allowPermissionCheck('media', 'app://counterdesk', { ...top, mediaType: 'video' }, undefined),
    ).toBe(true)
  })

  it.each([
    ['audio', 'media', 'app://counterdesk', { ...top, mediaType: 'audio' }],
    ['an unknown media type', 'media', 'app://counterdesk', { ...top, mediaType: 'unknown' }],
    ['no media type', 'media', 'app://counterdesk', { ...top }],
    ['a sub-frame', 'media', 'app://counterdesk', { isMainFrame: false, mediaType: 'video' }],
    ['a foreign origin', 'media', 'https://evil.example', { ...top, mediaType: 'video' }],
    ['a look-alike dev origin', 'media', 'http://localhost:51730', { ...top, mediaType: 'video' }],
    ['serial ports', 'serial', 'app://counterdesk', { ...top }],
    ['HID devices', 'hid', 'app://counterdesk', { ...top }],
    ['the clipboard', 'clipboard-read', 'app://counterdesk', { ...top }],
  ])('fail for %s', (_what, permission, origin, details) => {
    expect(allowPermissionCheck(permission, origin, details, DEV)).toBe(false)
  })
})

describe('renderer file server path guard', () => {
  const root = '/opt/counterdesk/renderer'

  it.each([
    ['/', '/opt/counterdesk/renderer/index.html'],
    ['', '/opt/counterdesk/renderer/index.html'],
    ['/index.html', '/opt/counterdesk/renderer/index.html'],
    ['/assets/index-abc.js', '/opt/counterdesk/renderer/assets/index-abc.js'],
    ['/assets/%E5%BE%BD.svg', '/opt/counterdesk/renderer/assets/徽.svg'],
    ['/assets/../index.html', '/opt/counterdesk/renderer/index.html'],
  ])('serves %s as %s', (request, file) => {
    expect(rendererFileFor(root, request)).toBe(file)
  })

  it.each([
    '/../main/index.js',
    '/%2e%2e/main/index.js',
    '/assets/%2E%2E/%2e%2e/main/index.js',
    '/..%2f..%2fetc/passwd',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/../renderer-evil/index.html',
    '/index.html%00.png',
    '/%E0%A4%A', // malformed percent-encoding
    '/..',
  ])('refuses %s', (request) => {
    expect(rendererFileFor(root, request)).toBeUndefined()
  })

  it('refuses Windows traversal with backslashes and drive letters', () => {
    const winRoot = 'C:\\Program Files\\CounterDesk\\resources\\renderer'
    expect(rendererFileFor(winRoot, '/assets/x.js', path.win32)).toBe(
      'C:\\Program Files\\CounterDesk\\resources\\renderer\\assets\\x.js',
    )
    for (const request of ['/..%5c..%5cmain%5cindex.js', '/%5C..%5C..%5Capp.asar', '/..\\..\\x'])
      expect(rendererFileFor(winRoot, request, path.win32)).toBeUndefined()
    expect(rendererFileFor(winRoot, '/D:%5Cx', path.win32)).toBe(
      'C:\\Program Files\\CounterDesk\\resources\\renderer\\D:\\x',
    )
  })

  it('answers app:// requests only for the app’s own host', () => {
    expect(appRequestFile(root, 'app://counterdesk/assets/a.css')).toBe(
      '/opt/counterdesk/renderer/assets/a.css',
    )
    // The URL parser resolves %2e%2e segments itself, inside the root; an encoded slash it does not.
    expect(appRequestFile(root, 'app://counterdesk/%2e%2e/%2e%2e/main/index.js')).toBe(
      '/opt/counterdesk/renderer/main/index.js',
    )
    expect(appRequestFile(root, 'app://counterdesk/..%2f..%2fmain/index.js')).toBeUndefined()
    expect(appRequestFile(root, 'app://other/index.html')).toBeUndefined()
    expect(appRequestFile(root, 'https://counterdesk/index.html')).toBeUndefined()
  })
})
