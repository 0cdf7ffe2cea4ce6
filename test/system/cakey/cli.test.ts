/**
 * The CLI as a field engineer runs it: `cert identity` on certificate files (the exact JSON the
 * issue asks for), and `cakey list / cert / sign-test` against the real SKF test library and
 * SoftHSM2, with PIN failures as JSON errors and non-zero exits.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/main/commands'
import { toPem } from '../../../src/main/pki'
import { p256Ca, pkcs8Pem, sm2Ca, sm2Pkcs8Pem, staffSubject } from '../../fixtures/pki/test-pki'
import { productionConfigFile } from '../../fixtures/pki/production-config'
import { buildSkfLibrary, SkfStore } from '../../fixtures/skf/store'
import { createSoftHsm, type SoftHsm } from './softhsm'

const root = resolve(import.meta.dirname, '../../..')
const tsx = join(root, 'node_modules/.bin/tsx')
const fixtures = join(root, 'test/fixtures/pki/openssl')

/** A real process: what the engineer types, exit code included (slow: the whole CLI loads). */
const cliProcess = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(tsx, [join(root, 'src/main/cli.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  })
  return {
    status: r.status,
    json: r.stdout.trim() ? (JSON.parse(r.stdout) as unknown) : undefined,
    stderr: r.stderr,
  }
}

/** The same command line run in this process (the CLI entry only adds argv and exit). */
const cli = async (args: string[], env: Record<string, string> = {}) => {
  const saved = { ...process.env }
  Object.assign(process.env, env)
  let out = ''
  let err = ''
  try {
    const status = await runCli(args, {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      resourcesDir: join(root, 'resources'),
      interrupted: new Promise(() => undefined),
    })
    return { status, json: out.trim() ? (JSON.parse(out) as unknown) : undefined, stderr: err }
  } finally {
    for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

describe('cert identity', () => {
  it.each([
    [
      'sm2-person.pem',
      {
        kind: 'person',
        name: '张建国',
        idNumber: '410105197805160032',
        issuer: 'C=CN, O=测试电子认证服务有限公司, CN=测试 SM2 根 CA',
      },
    ],
    [
      'p256-enterprise.pem',
      {
        kind: 'enterprise',
        name: '郑州市金水区鑫源餐饮管理有限公司',
        uscc: '91410105MA44K7QX15',
        issuer: 'C=CN, O=测试电子认证服务有限公司, CN=测试 ECC 根 CA',
      },
    ],
    [
      'rsa-enterprise.pem',
      {
        kind: 'enterprise',
        name: '河南中原智造科技有限公司',
        uscc: '91410100MA47DR2P28',
        issuer: 'C=CN, O=测试电子认证服务有限公司, CN=测试 RSA 根 CA',
      },
    ],
  ])('%s', async (file, expected) => {
    const r = await cli(['cert', 'identity', join(fixtures, file)])
    expect(r.status).toBe(0)
    const json = r.json as Record<string, string>
    expect(Object.keys(json)).toEqual([
      'kind',
      'name',
      expected.kind === 'person' ? 'idNumber' : 'uscc',
      'notBefore',
      'notAfter',
      'issuer',
    ])
    expect(json).toMatchObject(expected)
    expect(json.notAfter).toMatch(/^2046-11-1\dT/)
  })

  it('as a process: JSON on stdout, exit 0; a garbage file is a JSON error and exit 1, no stack', () => {
    const ok = cliProcess(['cert', 'identity', join(fixtures, 'sm2-person.pem')])
    expect(ok.status).toBe(0)
    expect(ok.json).toMatchObject({ kind: 'person', idNumber: '410105197805160032' })
    const dir = mkdtempSync(join(tmpdir(), 'cert-'))
    writeFileSync(
      join(dir, 'x.pem'),
      '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n',
    )
    const r = cliProcess(['cert', 'identity', join(dir, 'x.pem')])
    expect(r.status).toBe(1)
    expect(r.json).toMatchObject({ error: { code: 'CERT_MALFORMED' } })
    expect(r.stderr).not.toMatch(/\n\s+at /)
    rmSync(dir, { recursive: true })
  })
})

describe('cakey with the SKF test library', () => {
  let store: SkfStore
  let library: string
  const ca = sm2Ca()
  const leaf = ca.issue({ subject: staffSubject('李娜', '410105198806120029') })
  beforeAll(() => {
    library = buildSkfLibrary()
    store = new SkfStore()
    store.add({
      name: 'KEY-A',
      certificate: leaf.der,
      privateKeyPem: sm2Pkcs8Pem(leaf.sm2!),
      maxRetries: 5,
    })
  })
  afterAll(() => store.cleanup())
  const env = () => ({ SKF_SOFT_STORE: store.dir })

  it('lists keys and their holders without a PIN', async () => {
    const r = await cli(['cakey', 'list', '--skf', library], env())
    expect(r.status).toBe(0)
    expect(r.json).toEqual([
      expect.objectContaining({
        tokenId: 'skf/KEY-A',
        provider: 'skf',
        pin: { locked: false, remaining: 5, max: 5, finalTry: false },
        holders: [
          expect.objectContaining({ kind: 'person', name: '李娜', idNumber: '410105198806120029' }),
        ],
      }),
    ])
  })

  it('cakey cert --token gives the holder identity', async () => {
    const r = await cli(['cakey', 'cert', '--token', 'skf/KEY-A', '--skf', library], env())
    expect(r.status).toBe(0)
    expect(r.json).toMatchObject({
      tokenId: 'skf/KEY-A',
      certificates: [
        {
          holder: { kind: 'person', name: '李娜', idNumber: '410105198806120029' },
          certificate: { sha256: leaf.cert.sha256, keyAlgorithm: 'sm2' },
        },
      ],
    })
    expect(
      (await cli(['cakey', 'cert', '--token', 'nope', '--skf', library], env())).json,
    ).toMatchObject({ error: { code: 'CAKEY_TOKEN_NOT_FOUND' } })
  })

  it('cakey sign-test signs with the PIN and verifies; a wrong PIN says how many tries are left', async () => {
    const bad = cliProcess(
      ['cakey', 'sign-test', '--token', 'skf/KEY-A', '--pin', '000000', '--skf', library],
      env(),
    )
    expect(bad.status).toBe(1)
    expect(bad.json).toMatchObject({
      error: { code: 'CAKEY_PIN_INCORRECT', message: 'PIN 码错误，还可尝试 4 次' },
    })
    const ok = await cli(['cakey', 'sign-test', '--token', 'skf/KEY-A', '--skf', library], {
      ...env(),
      COUNTERDESK_PIN: '123456',
    })
    expect(ok.status).toBe(0)
    expect(ok.json).toMatchObject({ algorithm: 'sm2-sm3', signatureValid: true })
  })

  it('at the terminal’s PIN prompt, Ctrl-D ends with an error instead of a silent exit', () => {
    // util-linux `script` gives the CLI a terminal and passes the end of its input on as Ctrl-D.
    const args = [
      tsx,
      join(root, 'src/main/cli.ts'),
      'cakey',
      'sign-test',
      '--token',
      'sim/staff-trainee',
    ]
    const command = args.map((a) => `'${a}'`).join(' ')
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: root,
      encoding: 'utf8',
      input: '',
    })
    expect(r.stdout).toContain('PIN 码: ')
    expect(r.stdout).toContain('"code": "CAKEY_PIN_FORMAT"')
    expect(r.status).toBe(1)
  })
})

describe('cakey and cert verify with SoftHSM2', () => {
  let hsm: SoftHsm
  let dir: string
  const ca = p256Ca()
  const leaf = ca.issue({
    subject: staffSubject('王磊', '410102199001204511'),
    key: 'p256',
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 30 * 86_400_000),
  })
  beforeAll(() => {
    hsm = createSoftHsm()
    hsm.initToken('cli', '112233')
    hsm.importKey('cli', '112233', '0a', pkcs8Pem(leaf.software!), leaf.der)
    dir = mkdtempSync(join(tmpdir(), 'cli-p11-'))
    writeFileSync(join(dir, 'roots.pem'), toPem(ca.der))
    writeFileSync(join(dir, 'leaf.pem'), toPem(leaf.der))
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify(
        productionConfigFile('CLI-01', {
          cakey: { providers: [{ kind: 'pkcs11', module: hsm.module }] },
          pki: { roots: [join(dir, 'roots.pem')] },
        }),
      ),
    )
  })
  afterAll(() => {
    hsm.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })
  const env = () => ({ SOFTHSM2_CONF: process.env.SOFTHSM2_CONF! })

  it('lists the token, signs ECDSA with the PIN, and verifies the certificate against the roots', async () => {
    const list = await cli(['cakey', 'list', '--config', join(dir, 'config.json')], env())
    expect(list.status).toBe(0)
    const [token] = list.json as { tokenId: string; holders: unknown[] }[]
    expect(token?.holders).toEqual([
      expect.objectContaining({ ref: '0a', name: '王磊', idNumber: '410102199001204511' }),
    ])
    const sign = await cli(
      [
        'cakey',
        'sign-test',
        '--token',
        token!.tokenId,
        '--pin',
        '112233',
        '--config',
        join(dir, 'config.json'),
      ],
      env(),
    )
    expect(sign.json).toMatchObject({ algorithm: 'ecdsa-sha256', signatureValid: true })
    const verify = await cli([
      'cert',
      'verify',
      join(dir, 'leaf.pem'),
      '--config',
      join(dir, 'config.json'),
    ])
    expect(verify.json).toMatchObject({ valid: true, revocation: 'unchecked' })
    expect(
      (
        await cli([
          'cert',
          'verify',
          join(fixtures, 'p256-enterprise.pem'),
          '--config',
          join(dir, 'config.json'),
        ])
      ).json,
    ).toMatchObject({
      error: { code: 'CERT_UNKNOWN_ISSUER' },
    })
  })
})
