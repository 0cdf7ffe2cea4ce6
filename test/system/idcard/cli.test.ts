/**
 * The diagnostics CLI as a field engineer runs it, as separate processes: `idcard sim --pty`
 * prints the path of a real pseudo-terminal, and `idcard read --port` reads a card through it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseTranscript, replayTranscript } from '../../../src/main/devices/transports'
import { createSamTransport, SamReader } from '../../../src/main/devices/idcard'
import { openSerialStream } from '../../../src/main/devices/transports'

const root = resolve(import.meta.dirname, '../../..')
const cliArgs = ['--import', 'tsx', join(root, 'src/main/cli.ts')]
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGINT')
})

async function startSim(...args: string[]): Promise<{ child: ChildProcess; path: string }> {
  const child = spawn(process.execPath, [...cliArgs, 'idcard', 'sim', '--pty', ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  children.push(child)
  const info = await new Promise<{ path: string }>((resolveInfo, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        resolveInfo(JSON.parse(out))
      } catch {
        // not all of it yet
      }
    })
    child.once('exit', (code) => reject(new Error(`sim exited ${code}`)))
  })
  return { child, path: info.path }
}

/** Sends the simulator a stdin command and waits until it says it has taken it. */
async function tell(child: ChildProcess, line: string, reply: RegExp): Promise<void> {
  const heard = new Promise<void>((resolveHeard) => {
    let err = ''
    const listen = (d: Buffer) => {
      err += d.toString()
      if (!reply.test(err)) return
      child.stderr!.off('data', listen)
      resolveHeard()
    }
    child.stderr!.on('data', listen)
  })
  child.stdin!.write(line + '\n')
  await heard
}

function read(...args: string[]) {
  const r = spawnSync(process.execPath, [...cliArgs, 'idcard', 'read', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: r.status, json: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr }
}

describe('cli idcard sim --pty and read --port', () => {
  it('reads the card the simulator holds, masking the number', async () => {
    const { path } = await startSim('--card', 'foreigner-garcia-2023', '--rf', '200')
    expect(path).toMatch(/reader$/)
    const r = read('--port', path, '--timeout', '10')
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({
      type: 'Y',
      name: '加西亚·玛丽亚',
      englishName: 'GARCIA MARIA',
      nationality: 'ESP',
      idNumber: '934840********0023',
      reader: { port: path, baudRate: 115200, samId: '05.01-20240115-0000410100-0001234567' },
    })
    expect(r.json.reader.readMs).toBeGreaterThanOrEqual(200)
  }, 90_000)

  it('takes place/remove on stdin, and finds the reader in auto mode at another speed', async () => {
    const { child, path } = await startSim('--baud', '38400')
    child.stdin!.write('place permit-chen\n')
    const r = read('--port', 'auto', '--candidates', join(path, '..', 'reader'), '--timeout', '10')
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ type: 'J', passNumber: 'H60412785' })
    // Negotiated up to the default 115200.
    expect(r.json.reader.baudRate).toBe(115200)
    child.stdin!.write('remove\n')
    const none = read('--port', path, '--timeout', '1')
    expect(none.code).toBe(1)
    expect(none.json.error.code).toBe('IDCARD_NO_CARD')
  }, 90_000)

  it('records the exchanges with --record, the holder masked unless --record-personal-data', async () => {
    const { path } = await startSim('--card', 'resident-zhang')
    const dir = mkdtempSync(join(tmpdir(), 'idcard-cli-record-'))
    try {
      const masked = join(dir, 'masked.transcript')
      expect(read('--port', path, '--timeout', '10', '--record', masked).code).toBe(0)
      const text = readFileSync(masked, 'utf8')
      expect(text).toMatch(/personal data masked/)
      expect(text).not.toContain(Buffer.from('张建国', 'utf16le').toString('hex').toUpperCase())
      // What was recorded replays through the reader, as a regression test would.
      const entries = parseTranscript(text)
      expect(entries.length).toBeGreaterThanOrEqual(4)
      const reader = new SamReader(replayTranscript(text))
      await reader.reset()
      await reader.samId()
      let found = false
      while (!found) found = await reader.find()
      expect((await reader.readCard({ appendedAddress: true })).text.name).toBe('某某某')

      const full = join(dir, 'full.transcript')
      const r = read('--port', path, '--timeout', '10', '--record', full, '--record-personal-data')
      expect(r.code).toBe(0)
      expect(readFileSync(full, 'utf8')).toContain(
        Buffer.from('张建国', 'utf16le').toString('hex').toUpperCase(),
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)

  it('resets the SAM first and after a timeout: a hung card no longer fails every later read', async () => {
    // Hung by an earlier program: its read timed out and it went away, leaving the SAM hung.
    const { child, path } = await startSim('--card', 'resident-li')
    await tell(child, 'fault hang=1', /fault hang=1/)
    const stream = await openSerialStream(path, 115200)
    const earlier = new SamReader(createSamTransport(stream))
    try {
      let found = false
      for (let i = 0; i < 50 && !found; i++) found = await earlier.find()
      expect(found).toBe(true)
      await earlier.select()
      await expect(earlier.readTextPhoto()).rejects.toMatchObject({ code: 'IDCARD_TIMEOUT' })
      await expect(earlier.find()).rejects.toMatchObject({ code: 'IDCARD_TIMEOUT' })
    } finally {
      await stream.close()
    }
    const after = read('--port', path, '--timeout', '10')
    expect(after.code).toBe(0)
    expect(after.json).toMatchObject({ type: 'resident', name: '李秀兰' })

    // Hung by this read itself: reset, read again.
    await tell(child, 'fault hang=1', /fault hang=1/)
    const own = read('--port', path, '--timeout', '10')
    expect(own.code).toBe(0)
    expect(own.json).toMatchObject({ name: '李秀兰' })
    expect(own.stderr).toMatch(/已复位 SAM/)
  }, 90_000)

  it('says which port is missing', () => {
    const r = read('--port', join(root, 'no-such-port'), '--timeout', '1')
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('IDCARD_PORT_NOT_FOUND')
  }, 60_000)
})
