/**
 * One configuration, one archive service: the app's module and the CLI take the terminal, the
 * settings, the in-force statuses and the file limit from the same place.
 */
import { existsSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { configuredArchive } from '../../../../src/main/archive'
import { trainingConfig } from '../../../../src/main/config'
import { cliHere, tempDir } from './fixtures'

describe('the archive as configured', () => {
  it('takes the licence module’s file limit and the library’s in-force statuses', () => {
    const base = trainingConfig()
    const config = { ...base, licences: { ...base.licences, maxFileMb: 3 } }
    expect(configuredArchive(config)).toMatchObject({
      terminal: base.terminal,
      inForceStatuses: ['有效', '现势', '延续'],
      maxFileBytes: 3 * 1024 * 1024,
      settings: { systemFonts: base.archive.systemFonts, qr: { validDays: 365 } },
    })
  })

  it('the CLI refuses a local file over that limit, as the app does', async () => {
    const dir = tempDir()
    // A readable picture, made larger than the default 20 MB by what follows its end.
    const file = join(dir, 'face.png')
    writeFileSync(file, PNG.sync.write(new PNG({ width: 4, height: 4 })))
    truncateSync(file, 21 * 1024 * 1024)
    const out = join(dir, 'copy.pdf')
    const r = await cliHere(['archive', 'print', '--licence', file, '--out', out], dir)
    expect(r.status, r.err).toBe(1)
    expect((JSON.parse(r.out) as { error: { code: string } }).error.code).toBe(
      'ARCHIVE_UNSUPPORTED_FILE',
    )
    expect(existsSync(out)).toBe(false)
  })
})
