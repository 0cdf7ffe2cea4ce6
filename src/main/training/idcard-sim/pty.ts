/**
 * The simulated reader on a real pseudo-terminal pair (socat), for the tests and for
 * `cli idcard sim --pty`: the host opens `path` as it would open COM3, the simulator sits on the
 * other end. Unplugging stops socat, so the host sees its port vanish as on a USB pull; plugging
 * starts it again at the same path.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSerialStream, type SerialStream } from '../../devices/transports'
import { openLineSpeedProbe, type LineSpeedProbe } from './line-speed'
import { SamSimulator, type SimOptions } from './sam-simulator'

export interface PtySimulator {
  /** The host's end: open this as the reader's serial port. */
  readonly path: string
  readonly sim: SamSimulator
  readonly plugged: boolean
  /** Pulls the reader: socat stops and the port disappears. */
  unplug(): Promise<void>
  /** Plugs it back in at the same path. */
  plug(): Promise<void>
  close(): Promise<void>
}

export interface PtySimulatorOptions extends Omit<SimOptions, 'hostLineSpeed'> {
  /** Folder for the links; a fresh private one under the temp folder by default. */
  readonly dir?: string
  readonly socat?: string
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export async function startPtySimulator(options: PtySimulatorOptions = {}): Promise<PtySimulator> {
  const ownDir = options.dir === undefined
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'counterdesk-sam-'))
  const hostPath = join(dir, 'reader')
  const samPath = join(dir, 'sam')
  let probe: LineSpeedProbe | undefined
  const sim = new SamSimulator(undefined, { ...options, hostLineSpeed: () => probe?.read() })
  let socat: ChildProcess | undefined
  let samEnd: SerialStream | undefined

  const plug = async () => {
    if (socat) return
    const child = spawn(
      options.socat ?? 'socat',
      [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${samPath}`],
      { stdio: 'ignore' },
    )
    socat = child
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.once('exit', () => {
      if (socat === child) socat = undefined
    })
    await Promise.race([
      waitFor(() => existsSync(hostPath) && existsSync(samPath), 'the pty pair'),
      exited.then(() => {
        throw new Error('socat exited')
      }),
    ])
    samEnd = await openSerialStream(samPath, 115200)
    probe = openLineSpeedProbe(hostPath)
    sim.attach(samEnd)
  }

  const unplug = async () => {
    const child = socat
    if (!child) return
    sim.detach()
    probe?.close()
    probe = undefined
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    await exited
    await samEnd?.close().catch(() => undefined)
    samEnd = undefined
    await waitFor(() => !existsSync(hostPath), 'the port to vanish', 2000).catch(() => undefined)
  }

  await plug()
  return {
    path: hostPath,
    sim,
    get plugged() {
      return socat !== undefined
    },
    unplug,
    plug,
    async close() {
      await unplug()
      if (ownDir) rmSync(dir, { recursive: true, force: true })
    },
  }
}
