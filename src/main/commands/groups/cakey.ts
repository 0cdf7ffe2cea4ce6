/**
 * `cakey …`: what a field engineer checks when a clerk cannot sign in — which keys the configured
 * libraries see, whose certificate each holds, and whether a key really signs (PIN, SM2/ECDSA,
 * verified against its certificate). Without a configuration the training keys answer.
 */
import { createInterface } from 'node:readline'
import {
  createChallenge,
  createProviders,
  identityMapping,
  signAlgorithmFor,
  verifyChallenge,
} from '../../auth'
import { loadConfigFile, parseConfig, trainingConfig, type Config } from '../../config'
import type { TokenProvider } from '../../devices'
import { silentLogger } from '../../log'
import { describeCertificate, extractIdentity, parseCertificate, type Certificate } from '../../pki'
import { createTrainingCaKeys } from '../../training'
import { CounterError } from '../../../shared/errors'
import { printJson, type Command, type CommandContext, type ParsedArgs } from '../command'

const SOURCE_OPTIONS = {
  config: { type: 'string' },
  pkcs11: { type: 'string' },
  skf: { type: 'string' },
} as const

/** The configuration to use: a file, a library named on the command line, or training mode. */
export function cliConfig(values: ParsedArgs['values']): Config {
  const base = typeof values.config === 'string' ? loadConfigFile(values.config) : trainingConfig()
  const providers = [
    ...(typeof values.pkcs11 === 'string' ? [{ kind: 'pkcs11', module: values.pkcs11 }] : []),
    ...(typeof values.skf === 'string' ? [{ kind: 'skf', library: values.skf }] : []),
  ]
  if (providers.length === 0) return base
  return parseConfig({ ...base, cakey: { ...base.cakey, providers } })
}

export async function withProviders<T>(
  config: Config,
  fn: (providers: TokenProvider[]) => Promise<T>,
): Promise<T> {
  const training = config.mode === 'training'
  const sim = training ? createTrainingCaKeys() : undefined
  const providers = createProviders(config, {
    training,
    logger: silentLogger,
    ...(sim ? { simulator: () => sim.simulator } : {}),
  })
  const opened: TokenProvider[] = []
  try {
    for (const p of providers) {
      await p.open()
      opened.push(p)
    }
    return await fn(opened)
  } finally {
    for (const p of opened) await p.close().catch(() => undefined)
  }
}

function certificateJson(cert: Certificate, config: Config) {
  let holder: Record<string, unknown>
  try {
    const id = extractIdentity(cert, identityMapping(config))
    holder = {
      kind: id.kind,
      name: id.name,
      ...(id.kind === 'person' ? { idNumber: id.idNumber } : { uscc: id.uscc }),
      ...(id.organization
        ? { organization: { name: id.organization.name, uscc: id.organization.uscc } }
        : {}),
      checkOk: id.checkOk,
      source: id.source,
    }
  } catch (error) {
    holder = { error: error instanceof CounterError ? error.code : 'INTERNAL' }
  }
  return { holder, certificate: describeCertificate(cert) }
}

async function findToken(providers: TokenProvider[], tokenId: string) {
  for (const p of providers) {
    const tokens = await p.tokens()
    const token = tokens.find(
      (t) => t.id === tokenId || t.serial === tokenId || t.label === tokenId,
    )
    if (token) return { provider: p, token }
  }
  throw new CounterError('CAKEY_TOKEN_NOT_FOUND', { params: { id: tokenId } })
}

async function readPin(values: ParsedArgs['values'], ctx: CommandContext): Promise<string> {
  if (typeof values.pin === 'string') return values.pin
  if (process.env.COUNTERDESK_PIN) return process.env.COUNTERDESK_PIN
  if (!process.stdin.isTTY) throw new CounterError('CAKEY_PIN_FORMAT', { detail: 'no PIN given' })
  ctx.stderr('PIN 码: ')
  const rl = createInterface({ input: process.stdin, terminal: false })
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('line', (line) => resolve(line.trim()))
      // Ctrl-D (or a closed terminal) before a line: no PIN, not a wait for ever.
      rl.once('close', () =>
        reject(new CounterError('CAKEY_PIN_FORMAT', { detail: 'no PIN given' })),
      )
    })
  } finally {
    rl.close()
  }
}

const tokenOption = (values: ParsedArgs['values'], ctx: CommandContext, usage: string) => {
  if (typeof values.token === 'string' && values.token) return values.token
  ctx.stderr(`用法: ${usage}\n`)
  return undefined
}

export const cakeyCommands: Command[] = [
  {
    path: ['cakey', 'list'],
    usage: 'cakey list [--config <file> | --pkcs11 <module> | --skf <library>]',
    summary: '列出已插入的 CA 证书及其持有人（无需 PIN 码）',
    options: SOURCE_OPTIONS,
    async run({ values }, ctx) {
      const config = cliConfig(values)
      const list = await withProviders(config, async (providers) => {
        const out = []
        for (const p of providers) {
          for (const token of await p.tokens()) {
            const keys = await p.keys(token.id).catch(() => [])
            const pin = keys[0] ? await p.pinStatus(token.id, keys[0].ref).catch(() => null) : null
            out.push({
              tokenId: token.id,
              provider: p.kind,
              label: token.label,
              serial: token.serial,
              manufacturer: token.manufacturer,
              pin,
              holders: keys.map((k) => {
                try {
                  const { holder } = certificateJson(parseCertificate(k.certificate), config)
                  return { ref: k.ref, ...holder }
                } catch (error) {
                  return {
                    ref: k.ref,
                    error: error instanceof CounterError ? error.code : 'INTERNAL',
                  }
                }
              }),
            })
          }
        }
        return out
      })
      printJson(ctx, list)
      return 0
    },
  },
  {
    path: ['cakey', 'cert'],
    usage: 'cakey cert --token <id> [--config <file> | --pkcs11 <module> | --skf <library>]',
    summary: '读取证书（无需 PIN 码），输出持有人身份',
    options: { ...SOURCE_OPTIONS, token: { type: 'string' } },
    async run({ values }, ctx) {
      const tokenId = tokenOption(values, ctx, this.usage)
      if (!tokenId) return 64
      const config = cliConfig(values)
      const result = await withProviders(config, async (providers) => {
        const { provider, token } = await findToken(providers, tokenId)
        const keys = await provider.keys(token.id)
        if (keys.length === 0) throw new CounterError('CAKEY_NO_CERTIFICATE')
        return {
          tokenId: token.id,
          label: token.label,
          certificates: keys.map((k) => ({
            ref: k.ref,
            ...certificateJson(parseCertificate(k.certificate), config),
          })),
        }
      })
      printJson(ctx, result)
      return 0
    },
  },
  {
    path: ['cakey', 'sign-test'],
    usage:
      'cakey sign-test --token <id> [--pin <pin>] [--config <file> | --pkcs11 <m> | --skf <l>]',
    summary: '用证书签名一次登录挑战并用证书公钥验证（需 PIN 码）',
    options: { ...SOURCE_OPTIONS, token: { type: 'string' }, pin: { type: 'string' } },
    async run({ values }, ctx) {
      const tokenId = tokenOption(values, ctx, this.usage)
      if (!tokenId) return 64
      const config = cliConfig(values)
      const result = await withProviders(config, async (providers) => {
        const { provider, token } = await findToken(providers, tokenId)
        const [key] = await provider.keys(token.id)
        if (!key) throw new CounterError('CAKEY_NO_CERTIFICATE')
        const cert = parseCertificate(key.certificate)
        const pin = await readPin(values, ctx)
        const t0 = performance.now()
        const session = await provider.login(token.id, key.ref, pin)
        const t1 = performance.now()
        try {
          const challenge = createChallenge(config.terminal.id)
          const algorithm = signAlgorithmFor(cert)
          const signature = await session.sign({
            keyRef: key.ref,
            algorithm,
            message: challenge.bytes,
            publicKey: cert.publicKey.key,
          })
          const t2 = performance.now()
          verifyChallenge(challenge, signature, cert)
          const t3 = performance.now()
          return {
            tokenId: token.id,
            certificate: describeCertificate(cert),
            algorithm,
            signatureValid: true,
            signature: Buffer.from(signature).toString('hex'),
            ms: {
              login: Math.round(t1 - t0),
              sign: Math.round(t2 - t1),
              verify: Math.round(t3 - t2),
            },
          }
        } finally {
          await session.logout()
        }
      })
      printJson(ctx, result)
      return 0
    },
  },
]
