/**
 * The desktop app's key for personal data at rest, kept in the operating system's keychain
 * through safeStorage: 32 random bytes made on first start, stored encrypted beside the database.
 * A file that no longer decrypts (the keychain was reset) is left alone, never replaced, so the
 * data sealed with it is not orphaned; the core then refuses to issue until a key is configured.
 */
import { safeStorage } from 'electron'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export function loadDataKey(userDataDir: string): Uint8Array | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  const file = join(userDataDir, 'data-key.bin')
  try {
    if (existsSync(file)) {
      const key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64')
      return key.length === 32 ? new Uint8Array(key) : undefined
    }
    mkdirSync(userDataDir, { recursive: true })
    const key = randomBytes(32)
    writeFileSync(file, safeStorage.encryptString(key.toString('base64')), {
      mode: 0o600,
      flag: 'wx',
    })
    return new Uint8Array(key)
  } catch (error) {
    process.stderr.write(`data key unavailable: ${(error as Error).message}\n`)
    return undefined
  }
}
