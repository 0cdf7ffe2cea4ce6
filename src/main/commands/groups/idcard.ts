/**
 * ID card reader diagnostics: decode a captured read response, read a card on a serial port, and
 * run the simulated reader on a pseudo-terminal for tests and demonstrations.
 */
import { createInterface } from 'node:readline'
import { CounterError } from '../../../shared/errors'
import { maskIdNumber } from '../../../shared/ids'
import {
  BAUD_RATES,
  connectSerialReader,
  createSamTransport,
  decodeReadResponseFrame,
  describeCard,
  MAX_IMAGE_BODY_LENGTH,
  readOneCard,
  recordingTransport,
  SamReader,
  transcriptHeader,
  type BaudRate,
  type SamTransport,
} from '../../devices/idcard'
import {
  listSerialCandidates,
  openSerialStream,
  openTranscriptFile,
  type TranscriptSink,
} from '../../devices/transports'
import { startPtySimulator, TRAINING_CARDS, trainingCard, type SimFaults } from '../../training'
import { printJson, UsageError, type Command, type ParsedArgs } from '../command'

function parseHex(text: string): Uint8Array {
  const compact = text.replace(/[\s:]+/g, '')
  if (compact.length === 0 || compact.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(compact))
    throw new CounterError('IDCARD_HEX_INVALID')
  return Uint8Array.from(Buffer.from(compact, 'hex'))
}

function baudOption(value: unknown, fallback: BaudRate): BaudRate {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!(BAUD_RATES as readonly number[]).includes(n))
    throw new UsageError(`--baud 应为 ${BAUD_RATES.join(' / ')}`)
  return n as BaudRate
}

const str = (args: ParsedArgs, key: string): string | undefined => {
  const v = args.values[key]
  return typeof v === 'string' ? v : undefined
}

/**
 * A number of seconds or milliseconds as typed: refused unless it is a finite number in range, so
 * that a typo cannot become NaN (a read that waits for ever, a radio delay that is silently none).
 */
function numberOption(args: ParsedArgs, key: string, fallback: number, min: number): number {
  const raw = str(args, key)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || n < min)
    throw new UsageError(`--${key} 应为不小于 ${min} 的数字，而不是“${raw}”`)
  return n
}

const FAULTS = ['noCard', 'selectFail', 'readFail', 'hang', 'garbage', 'splitFrames'] as const

/** `name[=value]`: a fault for the simulator, as `--fault` and the `fault` stdin command take it. */
function applyFault(faults: SimFaults, spec: string): string {
  const [name, value] = spec.split('=') as [string, string | undefined]
  const whole = (what: string): number => {
    const n = Number(value)
    if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < 0)
      throw new UsageError(`故障 ${name} 的值应为${what}，而不是“${value ?? ''}”`)
    return n
  }
  if (name === 'slowRf') {
    faults.slowRfMs = value === undefined ? 500 : whole('非负整数（毫秒）')
    return `slowRf=${faults.slowRfMs}`
  }
  if (!(FAULTS as readonly string[]).includes(name))
    throw new UsageError(`未知的故障 ${name}；可用：${[...FAULTS, 'slowRf'].join('、')}`)
  const v =
    value === undefined || value === 'on'
      ? true
      : value === 'off'
        ? false
        : whole(' on、off 或非负整数')
  ;(faults as Record<string, unknown>)[name] = v
  return `${name}=${String(v)}`
}

export const idcardCommands: Command[] = [
  {
    path: ['idcard', 'decode'],
    usage: 'idcard decode --hex <整帧十六进制>',
    summary: '解析一帧读卡响应（30 01 / 30 10），输出证件信息 JSON',
    options: { hex: { type: 'string' } },
    run(args, ctx) {
      const hex = str(args, 'hex') ?? args.positionals[0]
      if (!hex) {
        ctx.stderr('用法: idcard decode --hex <整帧十六进制>\n')
        return 64
      }
      printJson(ctx, decodeReadResponseFrame(parseHex(hex)))
      return 0
    },
  },
  {
    path: ['idcard', 'read'],
    usage:
      'idcard read --port <路径|auto> [--baud 115200] [--timeout 30] [--candidates a,b] [--fingerprints] [--image] [--record <文件> [--record-personal-data]]',
    summary:
      '在串口阅读器上等待并读取一张证件（号码已遮蔽）；--record 把与阅读器的交换写成记录文件（个人信息已遮蔽）',
    options: {
      port: { type: 'string' },
      baud: { type: 'string' },
      timeout: { type: 'string' },
      candidates: { type: 'string' },
      fingerprints: { type: 'boolean' },
      image: { type: 'boolean' },
      record: { type: 'string' },
      'record-personal-data': { type: 'boolean' },
    },
    async run(args, ctx) {
      const port = str(args, 'port') ?? 'auto'
      const baudRate = baudOption(args.values.baud, 115200)
      const timeoutMs = numberOption(args, 'timeout', 30, 1) * 1000
      const candidates = (str(args, 'candidates') ?? '').split(',').filter(Boolean)
      const connection = await connectSerialReader({
        port,
        baudRate,
        negotiate: true,
        listCandidates: () => listSerialCandidates(candidates),
        open: openSerialStream,
        notice: (e) => ctx.stderr(`${e.message}\n`),
      })
      const image = args.values.image === true
      const maxBody = image ? MAX_IMAGE_BODY_LENGTH : undefined
      let transport: SamTransport = createSamTransport(
        connection.stream,
        maxBody ? { maxBodyLength: maxBody } : {},
      )
      const recordFile = str(args, 'record')
      let sink: TranscriptSink | undefined
      if (recordFile) {
        const personalData = args.values['record-personal-data'] === true
        sink = openTranscriptFile(recordFile, {
          header: [
            ...transcriptHeader('idcard read transcript', personalData),
            `reader ${connection.path} @ ${connection.baudRate} (detection probes not recorded)`,
          ],
          onError: (e) => ctx.stderr(`记录文件无法写入：${e.message}\n`),
        })
        transport = recordingTransport(transport, { sink, personalData })
      }
      const reader = new SamReader(transport, maxBody)
      try {
        ctx.stderr(`阅读器 ${connection.path} @ ${connection.baudRate}，请放置证件…\n`)
        const fingerprints = args.values.fingerprints === true
        // The SAM is reset first and after every timeout: a card left hung by an earlier
        // program (or this read) would otherwise time out every read until the reader restarts.
        const { read, samId } = await readOneCard(reader, {
          timeoutMs,
          read: { fingerprints, appendedAddress: true },
          onReset: (after) => ctx.stderr(`${after.message}：已复位 SAM，重试…\n`),
        })
        const description = describeCard(read.text, read, fingerprints)
        printJson(ctx, {
          ...description,
          idNumber: maskIdNumber(description.idNumber),
          ...(description.previousCardNumber
            ? { previousCardNumber: maskIdNumber(description.previousCardNumber) }
            : {}),
          appendedAddress: read.appendedAddress ?? null,
          reader: {
            port: connection.path,
            baudRate: connection.baudRate,
            samId,
            readMs: Math.round(read.timing.doneAt - read.timing.startedAt),
          },
        })
        return 0
      } finally {
        await connection.stream.close()
        await sink?.close()
      }
    },
  },
  {
    path: ['idcard', 'sim'],
    usage:
      'idcard sim --pty [--baud 115200] [--card <id>] [--photo wlt|bmp] [--sticky] [--rf <ms>] [--fault <f>]',
    summary: '在伪终端上运行模拟身份证阅读器；标准输入接受 place <id> / remove / fault <f> 命令',
    options: {
      pty: { type: 'boolean' },
      baud: { type: 'string' },
      card: { type: 'string' },
      photo: { type: 'string' },
      sticky: { type: 'boolean' },
      rf: { type: 'string' },
      fault: { type: 'string', multiple: true },
    },
    async run(args, ctx) {
      if (args.values.pty !== true) {
        ctx.stderr('目前只支持 --pty：模拟阅读器运行在一对伪终端上。\n')
        return 64
      }
      const baudRate = baudOption(args.values.baud, 115200)
      const faults: SimFaults = {}
      const faultSpecs = args.values.fault
      for (const f of Array.isArray(faultSpecs) ? faultSpecs : []) applyFault(faults, String(f))
      const rfMs = numberOption(args, 'rf', 0, 0)
      const photo = str(args, 'photo') === 'bmp' ? 'bmp' : 'wlt'
      const pty = await startPtySimulator({
        profile: {
          baudRate,
          photo,
          afterRead: args.values.sticky === true ? 'sticky' : 'refinds',
          rf: { findMs: rfMs / 20, selectMs: rfMs / 10, readMs: rfMs, addressMs: rfMs / 4 },
        },
        faults,
      })
      const first = str(args, 'card')
      if (first) {
        const card = trainingCard(first)
        if (!card) throw new CounterError('TRAINING_UNKNOWN_CARD', { params: { id: first } })
        pty.sim.place(card)
      }
      printJson(ctx, {
        path: pty.path,
        baudRate,
        photo,
        card: pty.sim.current?.id ?? null,
        cards: TRAINING_CARDS.map((c) => c.id),
      })
      ctx.stderr(
        '模拟阅读器已启动；输入 place <id>、remove、fault <名称>[=值] 或 quit，Ctrl-C 停止。\n',
      )
      const lines = createInterface({ input: process.stdin, terminal: false })
      const quit = new Promise<void>((resolve) => {
        lines.on('line', (line) => {
          const [cmd, arg] = line.trim().split(/\s+/)
          try {
            if (cmd === 'place' && arg) {
              const card = trainingCard(arg)
              if (!card) throw new Error(`no training card ${arg}`)
              pty.sim.place(card)
              ctx.stderr(`placed ${arg}\n`)
            } else if (cmd === 'remove') {
              pty.sim.remove()
              ctx.stderr('removed\n')
            } else if (cmd === 'fault' && arg) {
              ctx.stderr(`fault ${applyFault(pty.sim.faults, arg)}\n`)
            } else if (cmd === 'quit') {
              resolve()
            } else if (cmd) {
              ctx.stderr(`unknown command: ${line}\n`)
            }
          } catch (error) {
            ctx.stderr(`${(error as Error).message}\n`)
          }
        })
        lines.on('close', () => undefined)
      })
      await Promise.race([ctx.interrupted, quit])
      lines.close()
      await pty.close()
      return 0
    },
  },
]
