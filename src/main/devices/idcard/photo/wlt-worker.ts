/**
 * The child process that holds the vendor's WLT decoder library. It is plain JavaScript run with
 * `node -e` (Electron runs it as Node): a library that crashes, hangs or was built for another
 * architecture takes only this process down, and the app sees a clean error.
 *
 * Kept as source text on purpose: bundlers and loaders rewrite functions (helper calls, renamed
 * bindings), and this must run in a bare process with nothing but `require`.
 *
 * Two calling styles, both configured rather than guessed:
 *   unpack — `int unpack(char *wlt, char *bmp, int bmpSave)` (Linux libwlt2bmp.so and kin):
 *            in memory; the output is a BMP file image or the bare BGR pixels.
 *   getbmp — `int GetBmp(char *wltFile, int intf)` (Windows WltRS.dll and kin): the library
 *            only reads a file and writes `<name>.bmp` beside it, so the WLT goes into a private
 *            folder that is removed again at once.
 */
export const WLT_WORKER_SOURCE = String.raw`
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const cfg = JSON.parse(process.env.COUNTERDESK_WLT_DECODER || '{}');
const OUTPUT_BYTES = 65536;

let decode;
try {
  const koffi = require(cfg.koffi);
  const lib = koffi.load(cfg.library);
  const conv = cfg.stdcall ? '__stdcall ' : '';
  if (cfg.style === 'unpack') {
    const fn = lib.func('int ' + conv + cfg.symbol + '(uint8_t *wlt, uint8_t *bmp, int bmpSave)');
    decode = function (wlt) {
      const out = Buffer.alloc(OUTPUT_BYTES);
      const result = fn(wlt, out, cfg.bmpSave | 0);
      return { result: result, data: out };
    };
  } else {
    const fn = lib.func('int ' + conv + cfg.symbol + '(const char *wltFile, int intf)');
    decode = function (wlt) {
      const dir = fs.mkdtempSync(path.join(cfg.workDir || os.tmpdir(), 'cdwlt-'));
      try {
        fs.chmodSync(dir, 0o700);
        const file = path.join(dir, 'photo.wlt');
        fs.writeFileSync(file, wlt, { mode: 0o600 });
        const result = fn(file, cfg.intf | 0);
        const bmp = path.join(dir, 'photo.bmp');
        const data = fs.existsSync(bmp) ? fs.readFileSync(bmp) : Buffer.alloc(0);
        return { result: result, data: data };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
  }
} catch (error) {
  process.send({ type: 'load-error', message: String((error && error.message) || error) });
  process.disconnect();
  process.exit(0);
}

process.on('message', function (m) {
  if (!m || m.type !== 'decode') return;
  let reply;
  try {
    const out = decode(Buffer.from(m.wlt, 'base64'));
    reply = { type: 'result', id: m.id, result: out.result, data: out.data.toString('base64') };
  } catch (error) {
    reply = { type: 'failure', id: m.id, message: String((error && error.message) || error) };
  }
  process.send(reply);
});
process.on('disconnect', function () {
  process.exit(0);
});
process.send({ type: 'ready' });
`
