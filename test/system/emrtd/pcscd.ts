/**
 * A PC/SC daemon with the vpcd virtual reader for the chip tests. As root, each test run gets a
 * private pcscd — its own socket (bound over /run/pcscd in a private mount namespace, reached by
 * the client through PCSCLITE_CSOCK_NAME) and its own vpcd port — so concurrent runs and a system
 * pcscd never meet. Without root it uses the system's pcscd and vpcd's default port. Either way
 * it stops exactly what it started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PcscContext } from '../../../src/main/devices/transports/pcsc'

export const VPCD_READER = 'Virtual PCD 00 00'
const DEFAULT_VPCD_PORT = 35963

export interface Pcscd {
  /** The port the simulated card connects to. */
  readonly vpcdPort: number
  readonly private: boolean
  stop(): Promise<void>
}

async function readers(): Promise<string[] | undefined> {
  try {
    const ctx = await PcscContext.establish()
    try {
      return await ctx.readers()
    } finally {
      await ctx.release()
    }
  } catch {
    return undefined
  }
}

async function waitForReader(ms: number): Promise<boolean> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if ((await readers())?.includes(VPCD_READER)) return true
    await new Promise((r) => setTimeout(r, 200))
  }
  return false
}

/** Two free consecutive ports (vpcd opens one per slot). */
async function freePorts(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 40000 + Math.floor(Math.random() * 20000)
    const ok = await Promise.all(
      [base, base + 1].map(
        (port) =>
          new Promise<boolean>((resolve) => {
            const s = createServer()
            s.once('error', () => resolve(false))
            s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)))
          }),
      ),
    )
    if (ok.every(Boolean)) return base
  }
  throw new Error('no free port for vpcd')
}

function canUnshare(): boolean {
  if (process.getuid?.() !== 0) return false
  return spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status === 0
}

export async function ensurePcscd(): Promise<Pcscd> {
  if (!existsSync('/usr/sbin/pcscd') || !existsSync('/usr/lib/pcsc/drivers/serial/libifdvpcd.so'))
    throw new Error('pcscd and vsmartcard-vpcd are not installed: run scripts/setup-system.sh')
  if (canUnshare()) {
    const dir = mkdtempSync(join(tmpdir(), 'pcscd-'))
    const conf = join(dir, 'conf')
    const run = join(dir, 'run')
    mkdirSync(conf)
    mkdirSync(run)
    mkdirSync('/run/pcscd', { recursive: true })
    const port = await freePorts()
    const channel = '0x' + port.toString(16).toUpperCase()
    writeFileSync(
      join(conf, 'vpcd'),
      `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:${channel}\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    ${channel}\n`,
    )
    process.env.PCSCLITE_CSOCK_NAME = join(run, 'pcscd.comm')
    const child: ChildProcess = spawn(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        `mount --bind '${run}' /run/pcscd && exec /usr/sbin/pcscd --foreground --config '${conf}'`,
      ],
      { stdio: 'ignore' },
    )
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    if (!(await waitForReader(15_000))) {
      child.kill('SIGTERM')
      throw new Error('the private pcscd did not show the vpcd reader')
    }
    return {
      vpcdPort: port,
      private: true,
      async stop() {
        if (child.exitCode !== null) return
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      },
    }
  }
  if ((await readers())?.includes(VPCD_READER))
    return { vpcdPort: DEFAULT_VPCD_PORT, private: false, stop: async () => {} }
  throw new Error('no pcscd with the vpcd reader is running, and starting a private one needs root')
}
