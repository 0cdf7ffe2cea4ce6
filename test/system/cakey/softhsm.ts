/**
 * SoftHSM2 set up for a test: its own token folder and configuration (SOFTHSM2_CONF points the
 * library at it), tokens initialised with softhsm2-util, keys imported with softhsm2-util and
 * certificates written with OpenSC's pkcs11-tool — the tools an administrator would use.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
]

export function softhsmModule(): string {
  const found = CANDIDATES.find((p) => existsSync(p))
  if (!found) throw new Error('SoftHSM2 is not installed (scripts/setup-system.sh installs it)')
  return found
}

export interface SoftHsm {
  readonly module: string
  readonly dir: string
  /** Creates a token and returns its serial. */
  initToken(label: string, pin: string, soPin?: string): void
  /** Imports a PKCS#8 PEM private key and its certificate under the same CKA_ID. */
  importKey(label: string, pin: string, id: string, keyPem: string, certDer: Uint8Array): void
  cleanup(): void
}

export function createSoftHsm(): SoftHsm {
  const module = softhsmModule()
  const dir = mkdtempSync(join(tmpdir(), 'softhsm-'))
  const tokens = join(dir, 'tokens')
  mkdirSync(tokens)
  const conf = join(dir, 'softhsm2.conf')
  writeFileSync(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  )
  // Read by the library at C_Initialize, in this process and in the tools below.
  process.env.SOFTHSM2_CONF = conf
  const env = { ...process.env, SOFTHSM2_CONF: conf }
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { env, stdio: 'pipe' })
  return {
    module,
    dir,
    initToken(label, pin, soPin = '12345678') {
      run('softhsm2-util', [
        '--init-token',
        '--free',
        '--label',
        label,
        '--so-pin',
        soPin,
        '--pin',
        pin,
      ])
    },
    importKey(label, pin, id, keyPem, certDer) {
      const keyFile = join(dir, `${label}-${id}.key.pem`)
      const certFile = join(dir, `${label}-${id}.cer`)
      writeFileSync(keyFile, keyPem)
      writeFileSync(certFile, certDer)
      run('softhsm2-util', [
        '--import',
        keyFile,
        '--token',
        label,
        '--label',
        `key-${id}`,
        '--id',
        id,
        '--pin',
        pin,
      ])
      run('pkcs11-tool', [
        '--module',
        module,
        '--token-label',
        label,
        '--login',
        '--pin',
        pin,
        '--write-object',
        certFile,
        '--type',
        'cert',
        '--id',
        id,
        '--label',
        `cert-${id}`,
      ])
      rmSync(keyFile)
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
