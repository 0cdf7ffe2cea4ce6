/**
 * Licence tooling for administrators and field engineers: signing the matter catalogue for
 * terminals that require a signed file, checking a catalogue file as a terminal would, and
 * checking that the configured library answers and accepts this terminal's credentials.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { CounterError } from '../../../shared/errors'
import { catalogueMustBeSigned } from '../../config'
import { sm2GenerateKeyPair, sm2PublicKeyFromPrivate } from '../../crypto'
import {
  createLibraryClient,
  parseCatalogue,
  parseCatalogueText,
  readCatalogueFile,
  signCatalogue,
} from '../../licences'
import { printJson, type Command } from '../command'
import { localStore, STORE_OPTIONS } from './local-store'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

function readKey(file: string): Uint8Array {
  const invalid = (problem: string, cause?: unknown) =>
    new CounterError('CONFIG_INVALID', { params: { file, key: '(私钥)', problem }, cause })
  let text: string
  try {
    text = readFileSync(file, 'utf8').trim()
  } catch (cause) {
    throw invalid('无法读取私钥文件', cause)
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw invalid('应为 64 位十六进制 SM2 私钥')
  return new Uint8Array(Buffer.from(text, 'hex'))
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []

export const licenceCommands: Command[] = [
  {
    path: ['licence', 'catalogue', 'keygen'],
    usage: 'licence catalogue keygen --out <key file>',
    summary: '生成事项目录签名用的 SM2 密钥（私钥写入文件，公钥用于 catalogue.trustedKeys）',
    options: { out: { type: 'string' } },
    run({ values }, ctx) {
      if (typeof values.out !== 'string') {
        ctx.stderr('用法: licence catalogue keygen --out <key file>\n')
        return 64
      }
      const keys = sm2GenerateKeyPair()
      writeFileSync(values.out, hex(keys.privateKey) + '\n', { mode: 0o600 })
      chmodSync(values.out, 0o600)
      printJson(ctx, { keyFile: values.out, publicKey: hex(keys.publicKey) })
      return 0
    },
  },
  {
    path: ['licence', 'catalogue', 'sign'],
    usage: 'licence catalogue sign <catalogue.json> --key <key file> --signer <名称> --out <file>',
    summary: '用 SM2 私钥签名事项目录文件',
    options: { key: { type: 'string' }, signer: { type: 'string' }, out: { type: 'string' } },
    run({ positionals, values }, ctx) {
      const [file] = positionals
      if (!file || typeof values.key !== 'string' || typeof values.out !== 'string') {
        ctx.stderr(`用法: ${licenceCommands[1]!.usage}\n`)
        return 64
      }
      const privateKey = readKey(values.key)
      const text = readCatalogueFile(file)
      let json: unknown
      try {
        json = JSON.parse(text.replace(/^\uFEFF/, ''))
      } catch (cause) {
        throw new CounterError('CATALOGUE_INVALID', {
          params: { problem: `${file} 不是有效的 JSON` },
          cause,
        })
      }
      const catalogue = parseCatalogue(json)
      const signed = signCatalogue(
        catalogue,
        { privateKey, publicKey: sm2PublicKeyFromPrivate(privateKey) },
        typeof values.signer === 'string' ? values.signer : '事项目录管理员',
      )
      writeFileSync(values.out, JSON.stringify(signed, null, 2) + '\n')
      printJson(ctx, {
        out: values.out,
        version: catalogue.version,
        matters: catalogue.matters.length,
        publicKey: signed.signature.publicKey,
      })
      return 0
    },
  },
  {
    path: ['licence', 'catalogue', 'check'],
    usage: 'licence catalogue check <file> [--trusted <公钥>]… [--config <file>]',
    summary: '按终端的规则检查事项目录文件（签名、信任的公钥、交叉引用）',
    options: { trusted: { type: 'string', multiple: true }, ...STORE_OPTIONS },
    run(args, ctx) {
      const [file] = args.positionals
      if (!file) {
        ctx.stderr(`用法: ${licenceCommands[2]!.usage}\n`)
        return 64
      }
      const trusted = list(args.values.trusted)
      const config = trusted.length ? undefined : localStore(args).config
      const { catalogue, signer } = parseCatalogueText(readCatalogueFile(file), {
        requireSignature: config ? catalogueMustBeSigned(config) : true,
        trustedKeys: trusted.length ? trusted : (config?.catalogue.trustedKeys ?? []),
      })
      printJson(ctx, {
        valid: true,
        version: catalogue.version,
        signer: signer ?? null,
        matters: catalogue.matters.length,
        licenceTypes: catalogue.licenceTypes.length,
      })
      return 0
    },
  },
  {
    path: ['licence', 'ping'],
    usage: 'licence ping [--config <file>]',
    summary: '检查电子证照库是否可达、是否接受本终端的接入凭证',
    options: { ...STORE_OPTIONS },
    async run(args, ctx) {
      const store = localStore(args)
      const library = store.config.library
      if (!library) {
        ctx.stderr('配置中没有 library（培训模式使用内置沙箱证照库）。\n')
        return 64
      }
      const client = createLibraryClient({ ...library, logger: store.logger.child('library') })
      const started = Date.now()
      const reachable = await client.ping()
      let authorised: boolean | string = false
      if (reachable) {
        try {
          await client.catalogue()
          authorised = true
        } catch (error) {
          authorised = error instanceof CounterError ? error.code : 'INTERNAL'
        }
      }
      printJson(ctx, { baseUrl: library.baseUrl, reachable, authorised, ms: Date.now() - started })
      return reachable && authorised === true ? 0 : 2
    },
  },
]
