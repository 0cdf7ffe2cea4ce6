/**
 * The diagnostics CLI for field engineers: `npm run -s cli -- <command>`. It runs on the same
 * core code as the app, under plain Node.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from './commands'

const here = dirname(fileURLToPath(import.meta.url))
const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve())
  process.once('SIGTERM', () => resolve())
})

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  resourcesDir: process.env.COUNTERDESK_RESOURCES ?? join(here, '..', '..', 'resources'),
  interrupted,
})
process.exitCode = code
// Long-running commands have closed their servers; nothing else should keep the process alive.
setImmediate(() => process.exit(code))
