/**
 * `npm run fuzz:idcard`: a million random and mutated frames through the ID card parsers, in a
 * child process watched from here so that a hang is caught and reported (a synchronous parser
 * stuck in a loop could not report it itself). Prints throughput, the slowest input, memory
 * before and after, and the typed errors seen; exits non-zero on any escape, hang or growth.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { emptyFuzzStats, fuzzIdCard, type FuzzStats } from './idcard'

const TOTAL = Number(process.env.FUZZ_ITERATIONS ?? 1_000_000)
const BATCH = 5_000
const HANG_MS = 30_000

interface Progress {
  done: number
  heapMb: number
  stats: FuzzStats
}

if (process.argv[2] === '--child') {
  const seed = Number(process.argv[3] ?? 1)
  const gc = (globalThis as { gc?: () => void }).gc
  const total = emptyFuzzStats()
  for (let done = 0, batch = 0; done < TOTAL; batch++) {
    const n = Math.min(BATCH, TOTAL - done)
    const s = fuzzIdCard(n, seed * 1_000_003 + batch)
    total.iterations += s.iterations
    total.decoded += s.decoded
    total.streamedFrames += s.streamedFrames
    total.maxMs = Math.max(total.maxMs, s.maxMs)
    total.maxPending = Math.max(total.maxPending, s.maxPending)
    total.escaped.push(...s.escaped.slice(0, 5))
    for (const [k, v] of Object.entries(s.errors)) total.errors[k] = (total.errors[k] ?? 0) + v
    done += n
    gc?.()
    process.send!({
      done,
      heapMb: process.memoryUsage().heapUsed / 2 ** 20,
      stats: total,
    } satisfies Progress)
  }
  process.exit(0)
}

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 100000)
console.log(`fuzz:idcard — ${TOTAL.toLocaleString()} frames, seed ${seed}`)
const started = Date.now()
const child = fork(fileURLToPath(import.meta.url), ['--child', String(seed)], {
  execArgv: ['--expose-gc', '--import', 'tsx'],
})
const heap: number[] = []
let last: Progress | undefined
let watchdog = setTimeout(onHang, HANG_MS)
function onHang() {
  console.error(
    `HANG: no progress for ${HANG_MS / 1000} s after ${last?.done ?? 0} frames (seed ${seed})`,
  )
  child.kill('SIGKILL')
  process.exit(2)
}
child.on('message', (p: Progress) => {
  clearTimeout(watchdog)
  watchdog = setTimeout(onHang, HANG_MS)
  last = p
  heap.push(p.heapMb)
  if (p.done % 100_000 === 0 || p.done === TOTAL)
    console.log(`  ${p.done.toLocaleString().padStart(9)} frames  heap ${p.heapMb.toFixed(1)} MB`)
})
child.on('exit', (code) => {
  clearTimeout(watchdog)
  const s = last?.stats
  if (code !== 0 || !s) {
    console.error(`fuzz child exited with ${code}`)
    process.exit(1)
  }
  const secs = (Date.now() - started) / 1000
  // Memory: the first batches warm up; after that the heap must stay flat.
  const settled = heap.slice(Math.min(5, heap.length - 1))
  const growth = Math.max(...settled) - Math.min(...settled)
  console.log(`  ${(s.iterations / secs).toFixed(0)} frames/s over ${secs.toFixed(1)} s`)
  console.log(
    `  decoded to a card: ${s.decoded.toLocaleString()}; streamed frames found: ${s.streamedFrames.toLocaleString()}`,
  )
  console.log(
    `  slowest input: ${s.maxMs.toFixed(2)} ms; most bytes held by the stream decoder: ${s.maxPending}`,
  )
  console.log(
    `  heap after warm-up: ${Math.min(...settled).toFixed(1)}–${Math.max(...settled).toFixed(1)} MB (spread ${growth.toFixed(1)} MB)`,
  )
  console.log('  typed errors:')
  for (const [k, v] of Object.entries(s.errors).sort((a, b) => b[1] - a[1]))
    console.log(`    ${k.padEnd(30)} ${v.toLocaleString()}`)
  const failures: string[] = []
  if (s.escaped.length)
    failures.push(`${s.escaped.length} untyped exceptions, first:\n${s.escaped[0]!.error}`)
  if (growth > 32) failures.push(`heap grew by ${growth.toFixed(1)} MB`)
  if (s.maxPending > 65_535 + 7) failures.push(`stream decoder held ${s.maxPending} bytes`)
  if (failures.length) {
    console.error('FAIL\n' + failures.join('\n'))
    process.exit(1)
  }
  console.log('OK: no untyped exception, no hang, memory flat')
})
