/** The `mrz` and `emrtd` CLI groups, run in process (the built-in simulator stands in for a reader). */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { runCli } from '../../../../../src/main/commands'
import { emrtdTrainingPki, pem } from '../../../../../src/main/training/emrtd-sim'
import { image } from './helpers'

vi.setConfig({ testTimeout: 60_000 })

async function cli(...argv: string[]) {
  let out = ''
  let err = ''
  const code = await runCli(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    resourcesDir: 'resources',
    interrupted: Promise.resolve(),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { code, err, json: out ? (JSON.parse(out) as any) : undefined }
}

describe('mrz and emrtd CLI groups', () => {
  it('emrtd keys: the Appendix D worked example in upper-case hex', async () => {
    const r = await cli('emrtd', 'keys', '--mrz-info', 'L898902C<369080619406236')
    expect(r.code).toBe(0)
    expect(r.json).toEqual({
      kseed: '239AB9CB282DAF66231DC5A4DF6BFBAE',
      kenc: 'AB94FDECF2674FDFB9B391F85D7F76F2',
      kmac: '7962D9ECE03D1ACD4C76089DCE131543',
    })
    const bad = await cli('emrtd', 'keys', '--mrz-info', 'L898902C<469080619406236')
    expect(bad.code).toBe(1)
    expect(bad.json.error.code).toBe('EMRTD_MRZ_INVALID')
  })

  it('mrz parse: fields and per-field checks', async () => {
    const r = await cli(
      'mrz',
      'parse',
      'I<UTOD231458907<<<<<<<<<<<<<<<',
      '7408122F1204159UTO<<<<<<<<<<<6',
      'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
    )
    expect(r.json).toMatchObject({
      format: 'TD1',
      documentCode: 'I',
      documentNumber: 'D23145890',
      birthDate: '1974-08-12',
      expiryDate: '2012-04-15',
      valid: true,
      checks: { documentNumber: true, birthDate: true, expiryDate: true, composite: true },
    })
    const cs = await cli('mrz', 'parse', 'CSC604127853<3409224<9211052<7')
    expect(cs.json).toMatchObject({
      format: 'CS',
      documentNumber: 'C60412785',
      valid: false,
      checks: { composite: false },
    })
  })

  it('emrtd read from the built-in simulator writes the raw files; emrtd verify checks them', async () => {
    const img = await image('passport-liu')
    const out = mkdtempSync(join(tmpdir(), 'emrtd-read-'))
    const r = await cli(
      'emrtd',
      'read',
      '--reader',
      'sim:passport-liu',
      '--mrz-info',
      img.mrzInfo,
      '--out',
      out,
    )
    expect(r.code, r.err).toBe(0)
    expect(r.json).toMatchObject({
      accessControl: 'PACE',
      chipAuthentication: { state: 'passed' },
      active: { state: 'passed' },
      passive: { verdict: 'unknown-csca' },
      document: { format: 'TD3', documentNumber: 'E6*****73', chineseName: '刘芳' },
    })
    expect(readdirSync(out).sort()).toEqual([
      'COM',
      'CardAccess',
      'DG1',
      'DG11',
      'DG12',
      'DG14',
      'DG15',
      'DG2',
      'SOD',
    ])
    const csca = join(out, 'csca.pem')
    writeFileSync(csca, pem(emrtdTrainingPki().csca.certificate))
    const v = await cli('emrtd', 'verify', '--dir', out, '--csca', csca)
    expect(v.json.passive).toMatchObject({
      valid: true,
      dataGroups: { '1': true, '2': true, '11': true, '12': true, '14': true, '15': true },
      signer: { country: 'CN' },
      reason: null,
    })
    // Change a byte of DG2: the same command now says which group was altered.
    const dg2 = Buffer.from(img.files.get('DG2')!)
    dg2[200]! ^= 1
    writeFileSync(join(out, 'DG2'), dg2)
    const t = await cli('emrtd', 'verify', '--dir', out, '--csca', csca)
    expect(t.json.passive).toMatchObject({
      valid: false,
      verdict: 'altered',
      dataGroups: { '2': false },
      reason: 'hash-mismatch-dg2',
    })
  })

  it('emrtd csca import and list against a data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emrtd-csca-'))
    const file = join(dir, 'csca.pem')
    writeFileSync(
      file,
      pem(emrtdTrainingPki().csca.certificate) + pem(emrtdTrainingPki().foreignCsca.certificate),
    )
    expect((await cli('emrtd', 'csca', 'import', file, '--data-dir', dir)).json).toEqual({
      imported: 2,
      skipped: 0,
    })
    expect(
      (await cli('emrtd', 'csca', 'list', '--data-dir', dir)).json.map(
        (e: { country: string }) => e.country,
      ),
    ).toEqual(['CN', 'UT'])
  })
})
