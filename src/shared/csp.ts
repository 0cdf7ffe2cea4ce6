/**
 * The renderer's Content-Security-Policy, defined once: the Electron shell sends it with every
 * page it serves, the end-to-end harness's server does the same, and a unit test holds the
 * `<meta>` tag in `src/renderer/index.html` to it.
 *
 * Everything comes from the app itself; pictures may also be data/blob URLs (card photos,
 * rendered licence pages) and media a live camera stream (the real-person check).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:"
