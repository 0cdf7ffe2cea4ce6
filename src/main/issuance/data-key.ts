/**
 * The key that seals personal data at rest: the configuration's (`issuance.dataKey`) or the
 * environment's (`COUNTERDESK_DATA_KEY`) when an administrator set one, else the desktop app's own,
 * kept in the operating system's keychain (Electron safeStorage, in the shell). Training mode
 * without any makes its own beside the training database — training data is fictional.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CounterError } from '../../shared/errors'
import { openBox, sealBox, SealedBoxError } from '../crypto'

export interface DataKeyOptions {
  /** From the shell (safeStorage). */
  readonly provided?: Uint8Array
  readonly configured?: string
  readonly env?: string
  readonly training: boolean
  readonly dataDir: string
}

export function decodeDataKey(text: string): Uint8Array {
  const t = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64')
  if (bytes.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(t) && bytes.toString('base64') !== t))
    throw new CounterError('ISSUANCE_DATA_KEY_INVALID')
  return new Uint8Array(bytes)
}

/** The data key, or undefined when production has none (issuing and pushing then refuse). */
export function resolveDataKey(o: DataKeyOptions): Uint8Array | undefined {
  // An administrator's explicit key wins over the keychain's, so data sealed with it stays readable.
  if (o.configured) return decodeDataKey(o.configured)
  if (o.env) return decodeDataKey(o.env)
  if (o.provided) {
    if (o.provided.length !== 32) throw new CounterError('ISSUANCE_DATA_KEY_INVALID')
    return o.provided
  }
  if (!o.training) return undefined
  const file = join(o.dataDir, 'training-data.key')
  if (existsSync(file)) return decodeDataKey(readFileSync(file, 'utf8'))
  mkdirSync(o.dataDir, { recursive: true })
  const key = randomBytes(32)
  writeFileSync(file, key.toString('base64'), { mode: 0o600 })
  return new Uint8Array(key)
}

/** Seals and opens boxes with the data key; failures become the clerk-facing errors. */
export interface Sealer {
  readonly available: boolean
  seal(plaintext: Uint8Array, aad: string): Buffer
  open(box: Uint8Array, aad: string): Buffer
  sealJson(value: unknown, aad: string): Buffer
  openJson<T>(box: Uint8Array, aad: string): T
}

export function createSealer(key: Uint8Array | undefined): Sealer {
  const need = (): Uint8Array => {
    if (!key) throw new CounterError('ISSUANCE_NO_DATA_KEY')
    return key
  }
  const open = (box: Uint8Array, aad: string): Buffer => {
    try {
      return openBox(need(), box, aad)
    } catch (error) {
      if (error instanceof SealedBoxError) {
        throw new CounterError(
          error.reason === 'wrong-key' ? 'SYNC_DATA_KEY_WRONG' : 'SYNC_ITEM_DAMAGED',
          {
            detail: `${aad}: ${error.reason}`,
          },
        )
      }
      throw error
    }
  }
  return {
    available: key !== undefined,
    seal: (plaintext, aad) => sealBox(need(), plaintext, aad),
    open,
    sealJson: (value, aad) => sealBox(need(), Buffer.from(JSON.stringify(value), 'utf8'), aad),
    openJson: <T>(box: Uint8Array, aad: string) => JSON.parse(open(box, aad).toString('utf8')) as T,
  }
}
