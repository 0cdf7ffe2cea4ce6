/**
 * The renderer's Content-Security-Policy, defined once: the Electron shell sends it with every
 * page it serves, the end-to-end harness's server does the same, and a unit test holds the
 * `<meta>` tag in `src/renderer/index.html` to it.
 *
 * Everything comes from the app itself; pictures may also be data URLs (card and chip photos,
 * OFD page images, the camera capture). The live camera needs no source: a MediaStream is given
 * to the video element as `srcObject`, which no fetch directive governs.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:"
