/**
 * `npm run bench:signin`: the staff sign-in round trip with a real PKCS#11 token (SoftHSM2),
 * from pressing Enter on the PIN to signed in, PIN entry excluded — certificate read, validity,
 * chain and CRL, roster, PIN verification, the challenge signed on the token and verified.
 * Target: median under 300 ms. Baselines measured in the same process: the token's own
 * login + C_Sign alone, and a software ECDSA sign + verify. The SM2 path (SKF test library,
 * OpenSSL signing, pure-JS verifying) is reported beside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChallenge } from '../../src/main/auth'
import { softwareSign, spkiVerify } from '../../src/main/crypto'
import {
  loadSkfLibrary,
  Pkcs11Provider,
  SkfProvider,
  type TokenProvider,
} from '../../src/main/devices'
import type { Certificate } from '../../src/main/pki'
import {
  p256Ca,
  pkcs8Pem,
  sm2Ca,
  sm2Pkcs8Pem,
  staffSubject,
  type TestCa,
} from '../fixtures/pki/test-pki'
import { buildSkfLibrary, SkfStore } from '../fixtures/skf/store'
import { createSoftHsm } from '../system/cakey/softhsm'
import { startAuthStack } from '../unit/main/auth/env'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)
const TARGET_MS = 300

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  return { median: at(0.5), p90: at(0.9), min: s[0]!, max: s[s.length - 1]! }
}

async function time(rounds: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn() // warm-up: library load, JIT
  const out: number[] = []
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now()
    await fn()
    out.push(performance.now() - t0)
  }
  return out
}

const fmt = (n: number) => n.toFixed(1).padStart(7)

function report(label: string, samples: number[], baseline?: number) {
  const s = stats(samples)
  const ratio = baseline ? `  ×${(s.median / baseline).toFixed(1)} of baseline` : ''
  console.log(
    `${label.padEnd(58)} median ${fmt(s.median)} ms  p90 ${fmt(s.p90)}  min ${fmt(s.min)}  max ${fmt(s.max)}${ratio}`,
  )
  return s
}

/** The auth service over one provider, its roster read from a file as an office's would be. */
async function authFor(provider: TokenProvider, ca: TestCa, idNumber: string, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-roster-'))
  const rosterFile = join(dir, 'roster.json')
  writeFileSync(
    rosterFile,
    JSON.stringify({ version: 'bench', staff: [{ name, idNumber, role: 'clerk' }] }),
  )
  const stack = await startAuthStack({
    providers: [provider],
    ca,
    crl: ca.crl([{ serial: 0xdeadn }], {
      thisUpdate: new Date(Date.now() - 3600_000),
      nextUpdate: new Date(Date.now() + 86_400_000),
    }),
    roster: { file: rosterFile, timeoutMs: 1000 },
    pinAttempts: 5,
    terminalId: 'BENCH-01',
  })
  return {
    service: stack.service,
    keys: stack.keys,
    async close() {
      try {
        await stack.close()
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/** The PKCS#11 / SoftHSM2 rounds, ECDSA P-256; the token folder is removed whatever happens. */
async function softHsmRounds() {
  const hsm = createSoftHsm()
  try {
    const ca = p256Ca()
    const leaf = ca.issue({
      subject: staffSubject('王磊', '410102199001204511'),
      key: 'p256',
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
    })
    hsm.initToken('bench', '246810')
    hsm.importKey('bench', '246810', '01', pkcs8Pem(leaf.software!), leaf.der)
    const provider = new Pkcs11Provider({ id: 'hsm', label: 'SoftHSM', module: hsm.module })
    const env = await authFor(provider, ca, '410102199001204511', '王磊')
    try {
      const tokenId = env.keys.tokens()[0]!.id

      // Baseline 1: the token alone — login, C_Sign of a digest, logout.
      const cert: Certificate = leaf.cert
      const tokenOnly = await time(ROUNDS, async () => {
        const s = await provider.login(tokenId, '01', '246810')
        await s.sign({
          keyRef: '01',
          algorithm: 'ecdsa-sha256',
          message: createChallenge('B').bytes,
          publicKey: cert.publicKey.key,
        })
        await s.logout()
      })
      // Baseline 2: software ECDSA sign + verify of the same challenge.
      const software = await time(ROUNDS, async () => {
        const c = createChallenge('B').bytes
        spkiVerify(
          'ecdsa',
          'sha256',
          leaf.software!.spki,
          c,
          softwareSign(leaf.software!, 'sha256', c),
        )
      })

      const warm = await time(ROUNDS, async () => {
        await env.service.signIn(tokenId, '246810')
        env.service.signOut()
      })
      const cold = await time(ROUNDS, async () => {
        env.service.forgetKey(tokenId) // read the certificate from the token again
        await env.service.signIn(tokenId, '246810')
        env.service.signOut()
      })
      const base = report('baseline: token login + C_Sign + logout (SoftHSM2)', tokenOnly)
      report('baseline: software ECDSA P-256 sign + verify', software)
      const warmStats = report(
        'sign-in, PKCS#11 SoftHSM2, ECDSA P-256 (key already read)',
        warm,
        base.median,
      )
      const coldStats = report(
        'sign-in, PKCS#11 SoftHSM2, certificate read from the token',
        cold,
        base.median,
      )
      return { base, warm: warmStats, cold: coldStats }
    } finally {
      await env.close()
    }
  } finally {
    hsm.cleanup()
  }
}

/** The SKF test library rounds, SM2; the key store folder is removed whatever happens. */
async function skfRounds(baseline: number) {
  const library = buildSkfLibrary()
  const store = new SkfStore().activate()
  try {
    const smCa = sm2Ca()
    const smLeaf = smCa.issue({
      subject: staffSubject('李娜', '410105198806120029'),
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
    })
    store.add({ name: 'BENCH', certificate: smLeaf.der, privateKeyPem: sm2Pkcs8Pem(smLeaf.sm2!) })
    const skf = new SkfProvider({
      id: 'skf',
      label: 'soft',
      load: () => loadSkfLibrary({ library }),
      events: 'poll',
    })
    const smEnv = await authFor(skf, smCa, '410105198806120029', '李娜')
    try {
      const sm2 = await time(Math.max(10, Math.floor(ROUNDS / 2)), async () => {
        await smEnv.service.signIn('skf/BENCH', '123456')
        smEnv.service.signOut()
      })
      report('sign-in, SKF test library, SM2/SM3 (pure-JS verify)', sm2, baseline)
    } finally {
      await smEnv.close()
    }
  } finally {
    store.cleanup()
  }
}

async function main() {
  console.log(`Sign-in round trip, ${ROUNDS} rounds each (PIN entry excluded)\n`)
  const { base, warm, cold } = await softHsmRounds()
  await skfRounds(base.median)

  const verdict = warm.median < TARGET_MS && cold.median < TARGET_MS ? 'MET' : 'MISSED'
  console.log(
    `\nTarget: median under ${TARGET_MS} ms with SoftHSM2 — ${verdict} (${warm.median.toFixed(1)} ms; cold ${cold.median.toFixed(1)} ms)`,
  )
  process.exitCode = verdict === 'MET' ? 0 : 1
}

await main()
