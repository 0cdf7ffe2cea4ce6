/**
 * `issue bulk check | run | status` on a data folder of its own, in training mode: the check
 * names each problem (JSON, exit 3) and touches nothing; a run signs in the training supervisor,
 * seals with the training seal and leaves the licences queued in the app's outbox (the CLI pushes
 * nothing); status tells which row got which identifier.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../src/main/commands'
import { openDatabase } from '../../../../src/main/db'
import { csv, encodeGb18030, RESIDENCE, RESIDENCE_HEADER, residenceRow, utf8 } from './bulk-helpers'

let dir: string
let dataDir: string

async function cli(...argv: string[]) {
  let out = ''
  let err = ''
  const code = await runCli([...argv, '--data-dir', dataDir], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    resourcesDir: 'resources',
    interrupted: new Promise(() => {}),
  })
  return { code, err, json: out ? (JSON.parse(out) as Record<string, unknown>) : undefined }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-cli-'))
  dataDir = join(dir, 'data')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('issue bulk', () => {
  it('check: every problem as JSON with its row, column and words; exit 3', async () => {
    const file = join(dir, 'wrong.csv')
    writeFileSync(
      file,
      utf8(
        csv([
          RESIDENCE_HEADER,
          residenceRow(0),
          residenceRow(1, { 持证主体代码: '4.10102E+17' }),
          residenceRow(2, { 有效期截止: '长期' }),
        ]),
        true,
      ),
    )
    const r = await cli('issue', 'bulk', 'check', file, '--type', RESIDENCE)
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({
      ok: false,
      typeName: '居住证',
      encoding: 'utf-8-bom',
      rows: 3,
      problemCount: 2,
      problems: [
        { row: 3, column: '持证主体代码', columnLetter: 'C', code: 'excel-number' },
        {
          row: 4,
          column: '有效期截止',
          code: 'validity',
          message: '该证照不能长期有效',
        },
      ],
    })
    expect((r.json!.problems as { message: string }[])[0]!.message).toContain('科学计数法')
  })

  it('check: a clean GB18030 list exits 0; a bad file or type is a typed error', async () => {
    const file = join(dir, 'clean.csv')
    writeFileSync(file, encodeGb18030(csv([RESIDENCE_HEADER, residenceRow(0), residenceRow(1)])))
    const ok = await cli('issue', 'bulk', 'check', file, '--type', RESIDENCE)
    expect(ok).toMatchObject({ code: 0, json: { ok: true, rows: 2, encoding: 'gb18030' } })
    const zip = join(dir, 'book.xlsx')
    writeFileSync(zip, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))
    const notCsv = await cli('issue', 'bulk', 'check', zip, '--type', RESIDENCE)
    expect(notCsv).toMatchObject({ code: 1, json: { error: { code: 'ISSUANCE_BULK_NOT_CSV' } } })
    const unknown = await cli('issue', 'bulk', 'check', file, '--type', '11100000000013338W999')
    expect(unknown.json).toMatchObject({ error: { code: 'ISSUANCE_UNKNOWN_TYPE' } })
    expect((await cli('issue', 'bulk', 'check', file)).code).toBe(64)
  })

  it('run (training): issues the list as the supervisor, queued for the app; status names each row', async () => {
    expect(await cli('issue', 'bulk', 'status')).toMatchObject({ code: 0, json: { batches: [] } })
    const file = join(dir, 'run.csv')
    writeFileSync(file, encodeGb18030(csv([RESIDENCE_HEADER, residenceRow(0), residenceRow(1)])))
    const r = await cli('issue', 'bulk', 'run', file, '--type', RESIDENCE)
    expect(r.code).toBe(0)
    expect(r.err).toContain('[2/2 100%]')
    const batch = r.json!.batch as { batchNo: string }
    expect(r.json).toMatchObject({
      batch: { state: 'done', done: 2, total: 2, createdBy: expect.stringMatching(/^cert:/) },
      rows: [
        { row: 2, state: 'issued', holder: expect.stringContaining('********') },
        { row: 3, state: 'issued' },
      ],
    })
    const status = await cli('issue', 'bulk', 'status', batch.batchNo)
    expect(status.json).toEqual({ batch: r.json!.batch, rows: r.json!.rows })
    // Queued in the app's database, in bulk mode, not pushed from the command line.
    const db = openDatabase({ file: join(dataDir, 'training.db') })
    try {
      expect(db.prepare('SELECT mode, batch_no AS batchNo FROM outbox').all()).toEqual([
        { mode: 'bulk', batchNo: batch.batchNo },
        { mode: 'bulk', batchNo: batch.batchNo },
      ])
    } finally {
      db.close()
    }
    // Nothing is left to resume.
    const again = await cli('issue', 'bulk', 'run', '--resume', batch.batchNo)
    expect(again.json).toMatchObject({ error: { code: 'ISSUANCE_BULK_NOT_RESUMABLE' } })
  }, 120_000)
})
