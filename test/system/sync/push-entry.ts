/**
 * The pusher as the crash test runs it: the CLI's own `sync push` command, without the rest of
 * the diagnostics tool, so that fifty restarts do not each load every command group.
 */
import { parseArgs } from 'node:util'
import { syncCommands } from '../../../src/main/commands/groups/sync'

const push = syncCommands.find((c) => c.path.join(' ') === 'sync push')!
const { positionals, values } = parseArgs({
  args: process.argv.slice(2 + push.path.length),
  options: push.options ?? {},
  allowPositionals: true,
})
const code = await push.run(
  { positionals, values },
  {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    resourcesDir: process.env.COUNTERDESK_RESOURCES ?? '',
    interrupted: new Promise<void>((resolve) => process.once('SIGTERM', () => resolve())),
  },
)
setImmediate(() => process.exit(code))
