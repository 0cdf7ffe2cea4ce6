/**
 * `cert …`: certificate files on their own — whose identity a certificate carries (by the same
 * configurable mapping sign-in uses), whether it chains to the configured roots and is not
 * revoked, and what a CRL file holds.
 */
import { readFileSync } from 'node:fs'
import { identityMapping } from '../../auth'
import { loadConfigFile, trainingConfig, type Config } from '../../config'
import {
  describeCertificate,
  extractIdentity,
  formatName,
  loadCertificateFiles,
  parseCertificate,
  parseCrl,
  TrustStore,
  type Certificate,
} from '../../pki'
import { trainingPki } from '../../training'
import { CounterError } from '../../../shared/errors'
import { printJson, type Command, type ParsedArgs } from '../command'

function readFile(file: string): Uint8Array {
  try {
    return readFileSync(file)
  } catch (cause) {
    throw new CounterError('CERT_FILE_UNREADABLE', { params: { file }, cause })
  }
}

function configOf(values: ParsedArgs['values']): Config {
  return typeof values.config === 'string' ? loadConfigFile(values.config) : trainingConfig()
}

/** The configured roots, plus the training CA in training mode; CRLs from the configured folder. */
function trustOf(config: Config): TrustStore {
  const roots: Certificate[] = loadCertificateFiles(config.pki.roots)
  if (config.mode === 'training') roots.push(parseCertificate(trainingPki().root))
  const store = new TrustStore({
    roots,
    intermediates: loadCertificateFiles(config.pki.intermediates),
    policy: { requireCrl: config.pki.requireCrl, staleGraceDays: config.pki.staleCrlGraceDays },
    skewSeconds: config.pki.clockSkewSeconds,
  })
  if (config.mode === 'training') store.importCrl(trainingPki().crl(), 'training')
  if (config.pki.crlDir) store.importCrlFolder(config.pki.crlDir)
  return store
}

const needFile = (positionals: string[], ctx: { stderr(t: string): void }, usage: string) => {
  const file = positionals[0]
  if (!file) ctx.stderr(`用法: ${usage}\n`)
  return file
}

export const certCommands: Command[] = [
  {
    path: ['cert', 'identity'],
    usage: 'cert identity <file.pem|der> [--config <file>]',
    summary: '从证书文件中识别持有人：个人（姓名、身份证号）或企业（名称、统一社会信用代码）',
    options: { config: { type: 'string' } },
    run({ positionals, values }, ctx) {
      const file = needFile(positionals, ctx, 'cert identity <file.pem|der>')
      if (!file) return 64
      const cert = parseCertificate(readFile(file))
      const id = extractIdentity(cert, identityMapping(configOf(values)))
      printJson(ctx, {
        kind: id.kind,
        name: id.name,
        ...(id.kind === 'person' ? { idNumber: id.idNumber } : { uscc: id.uscc }),
        ...(id.organization
          ? { organization: { name: id.organization.name, uscc: id.organization.uscc } }
          : {}),
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        issuer: formatName(cert.issuer),
      })
      return 0
    },
  },
  {
    path: ['cert', 'verify'],
    usage: 'cert verify <file.pem|der> [--config <file>]',
    summary: '核验证书：有效期、到配置根证书的证书链、吊销列表',
    options: { config: { type: 'string' } },
    run({ positionals, values }, ctx) {
      const file = needFile(positionals, ctx, 'cert verify <file.pem|der>')
      if (!file) return 64
      const cert = parseCertificate(readFile(file))
      const result = trustOf(configOf(values)).validate(cert)
      printJson(ctx, {
        valid: true,
        revocation: result.revocation,
        chain: result.chain.map((c) => describeCertificate(c)),
      })
      return 0
    },
  },
  {
    path: ['cert', 'crl'],
    usage: 'cert crl <file.crl|pem> [--config <file>]',
    summary: '检查证书吊销列表文件：签发者、更新时间、吊销数量、签名是否由受信任的 CA 做出',
    options: { config: { type: 'string' } },
    run({ positionals, values }, ctx) {
      const file = needFile(positionals, ctx, 'cert crl <file.crl|pem>')
      if (!file) return 64
      const bytes = readFile(file)
      const crl = parseCrl(bytes)
      const summary = trustOf(configOf(values)).importCrl(bytes, file)
      printJson(ctx, {
        issuer: summary.issuer,
        thisUpdate: summary.thisUpdate,
        nextUpdate: summary.nextUpdate ?? null,
        revoked: summary.revoked,
        crlNumber: crl.crlNumber ?? null,
        trusted: true,
      })
      return 0
    },
  },
]
