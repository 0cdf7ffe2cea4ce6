/** Runs the diagnostics CLI as a user does, and starts the sandbox library as its own process. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '../../..')
const tsx = join(root, 'node_modules/.bin/tsx')
const cliEntry = join(root, 'src/main/cli.ts')

export interface CliRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  json<T = Record<string, unknown>>(): T
}

export function cli(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(tsx, [cliEntry, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  })
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: <T>() => JSON.parse(r.stdout) as T,
  }
}

export interface SandboxProcess {
  readonly url: string
  readonly accessId: string
  readonly token: string
  readonly sealRoots?: string[]
  stop(): void
}

export async function sandboxProcess(args: readonly string[]): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(tsx, [cliEntry, 'sandbox', '--port', '0', ...args], {
    cwd: root,
  })
  const info = await new Promise<Omit<SandboxProcess, 'stop'>>((resolveInfo, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${out}`)), 60_000)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        const parsed = JSON.parse(out) as Omit<SandboxProcess, 'stop'>
        clearTimeout(timer)
        resolveInfo(parsed)
      } catch {
        // not all of it yet
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`sandbox exited ${code}`))
    })
  })
  return { ...info, stop: () => void child.kill('SIGINT') }
}
