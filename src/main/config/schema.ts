/**
 * The configuration file's schema. Objects are strict, so a misspelt key is reported by name
 * instead of being silently ignored. Each domain owns its section; sections default sensibly.
 */
import { z } from 'zod'
import { AuthSchema, CakeySchema, PkiSchema } from './auth-schema'
import { EmrtdConfigSchema, RealnameConfigSchema } from './emrtd-schema'
import { checkUscc } from '../../shared/ids'
import { modeProblems } from './modes'
import { DEFAULT_IN_FORCE_STATUSES } from './policy'

const Uscc = z.string().refine((v) => checkUscc(v).valid, '不是有效的统一社会信用代码')

export const TerminalSchema = z
  .object({
    /** Unique per terminal: it goes into serial numbers and the audit log. */
    id: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, '只能包含字母、数字和连字符，最长 32 位'),
    unitName: z.string().min(1),
    unitCode: Uscc,
    /** 所属管辖属地编码, six digits. */
    region: z.string().regex(/^\d{6}$/, '应为 6 位行政区划代码'),
  })
  .strict()

export const LibraryAuthSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('token'), accessId: z.string().min(1), token: z.string().min(1) })
    .strict(),
  z
    .object({ kind: z.literal('appkey'), appKey: z.string().min(1), appSecret: z.string().min(1) })
    .strict(),
])

export const LibrarySchema = z
  .object({
    baseUrl: z.url(),
    auth: LibraryAuthSchema,
    timeoutMs: z.number().int().min(200).max(120_000).default(8000),
    /** Retries for idempotent reads only. */
    retries: z.number().int().min(0).max(5).default(2),
    /** Statuses (as the library names them) under which a licence may be relied on. */
    inForceStatuses: z.array(z.string()).default([...DEFAULT_IN_FORCE_STATUSES]),
  })
  .strict()

/** A vendor's WLT photo decoder library, called in a separate process (see devices/idcard/photo). */
export const PhotoDecoderSchema = z.discriminatedUnion('style', [
  z
    .object({
      /** Linux libwlt2bmp.so and kin: `int unpack(char *wlt, char *bmp, int bmpSave)`. */
      style: z.literal('unpack'),
      library: z.string().min(1),
      symbol: z.string().min(1).optional(),
      bmpSave: z.number().int().optional(),
      successCode: z.number().int().optional(),
      timeoutMs: z.number().int().min(200).max(30_000).optional(),
    })
    .strict(),
  z
    .object({
      /** Windows WltRS.dll and kin: `int GetBmp(char *wltFile, int intf)`. */
      style: z.literal('getbmp'),
      library: z.string().min(1),
      symbol: z.string().min(1).optional(),
      intf: z.number().int().optional(),
      /** 32-bit Windows DLLs are __stdcall. */
      stdcall: z.boolean().optional(),
      successCode: z.number().int().optional(),
      /** Where the short-lived .wlt/.bmp files go; an ASCII path suits ANSI DLLs. */
      workDir: z.string().optional(),
      timeoutMs: z.number().int().min(200).max(30_000).optional(),
    })
    .strict(),
])

const UsbId = z
  .union([
    z.number().int().min(0).max(0xffff),
    z.string().regex(/^0x[0-9a-fA-F]{1,4}$/, '应为 0x 开头的十六进制'),
  ])
  .transform((v) => (typeof v === 'number' ? v : Number.parseInt(v, 16)))

/** The line speeds a GA 467 SAM speaks. */
const BaudRate = z.literal([115200, 57600, 38400, 19200, 9600])

/** A transcript of every exchange with the ID card reader, for field engineers (appended to). */
const ReaderRecordSchema = z
  .object({
    file: z.string().min(1),
    /** Keep names, numbers, photo and fingerprints as read. Default false: masked. */
    personalData: z.boolean().default(false),
  })
  .strict()

/** What every real reader may say about itself; unset keys take the defaults in the README. */
const readerOptions = {
  record: ReaderRecordSchema.optional(),
  /** Read with `30 10`, which also returns fingerprints (kept in memory only). Default false. */
  fingerprints: z.boolean().optional(),
  /** Also read the newest appended address (`30 03`). Default true. */
  appendedAddress: z.boolean().optional(),
  /** `sticky`: the reader fails every find after a read until the card is lifted. Default auto. */
  afterRead: z.enum(['auto', 'refinds', 'sticky']).optional(),
  /** The reader decodes the photo and answers with a BMP/JPEG instead of the WLT. */
  returnsImage: z.boolean().optional(),
  photoDecoder: PhotoDecoderSchema.optional(),
  /** How often to look again for a detached reader, in milliseconds. Default 2000. */
  rescanMs: z.number().int().min(100).max(60_000).optional(),
}

export const IdCardDeviceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('simulated'),
      /** `bmp`: the simulated reader returns faces itself (training photos); default `wlt`. */
      photo: z.enum(['wlt', 'bmp']).optional(),
      /** Simulate a reader that fails every find after a read until the card is lifted. */
      sticky: z.boolean().optional(),
      /** Pace the answers at this line speed, as a serial reader's; default: unpaced. */
      baudRate: BaudRate.optional(),
      photoDecoder: PhotoDecoderSchema.optional(),
      record: ReaderRecordSchema.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('serial'),
      /** A port path, or "auto" to probe candidate ports for a SAM. */
      port: z.string().min(1).default('auto'),
      baudRate: BaudRate.default(115200),
      /** Switch a reader found at another speed to `baudRate`. Default true. */
      negotiateBaud: z.boolean().optional(),
      /** Ports (or patterns like /dev/ttyUSB*) to probe in auto mode; default: the system's list. */
      candidates: z.array(z.string().min(1)).optional(),
      ...readerOptions,
    })
    .strict(),
  z
    .object({
      kind: z.literal('hid'),
      vendorId: UsbId,
      productId: UsbId,
      /** One interface's path when the reader has several. */
      path: z.string().min(1).optional(),
      /** The vendor's report layout (no public source documents one). */
      report: z
        .object({
          size: z.number().int().min(2).max(1024).default(64),
          id: z.number().int().min(0).max(255).default(0),
          lengthPrefix: z.enum(['none', 'u8']).default('u8'),
          pad: z.number().int().min(0).max(255).default(0),
        })
        .strict()
        // A one-byte count says at most 255 bytes follow it in a report.
        .refine((r) => r.lengthPrefix !== 'u8' || r.size <= 256, {
          path: ['size'],
          message: '一字节长度前缀（"lengthPrefix": "u8"）时报告大小不能超过 256',
        })
        .optional(),
      ...readerOptions,
    })
    .strict(),
])

const SIMULATED_READER = IdCardDeviceSchema.parse({ kind: 'simulated' })
const PROBED_SERIAL_READER = IdCardDeviceSchema.parse({ kind: 'serial', port: 'auto' })

export const DevicesSchema = z
  .object({
    /** Default: the simulated reader in training, a serial reader found by probing in production. */
    idcard: IdCardDeviceSchema.optional(),
    /** How often to look for a card, in milliseconds. */
    pollIntervalMs: z.number().int().min(50).max(5000).default(250),
  })
  .strict()

export const CatalogueSchema = z
  .object({
    /** A local matter catalogue file; without it the bundled training catalogue is used. */
    file: z.string().optional(),
    /** Where the catalogue comes from: the local file, or the library (the file or stored copy when it is unreachable). */
    source: z.enum(['file', 'library']).default('file'),
    /** SM2 public keys (uncompressed hex, 04…) whose signatures on catalogue files this terminal accepts. */
    trustedKeys: z
      .array(z.string().regex(/^04[0-9a-fA-F]{128}$/, '应为 04 开头的 130 位十六进制 SM2 公钥'))
      .default([]),
    /** Refuse an unsigned catalogue file; on by default in production. */
    requireSignature: z.boolean().optional(),
  })
  .strict()

export const LicencesSchema = z
  .object({
    /** Where materials, annotated copies and log exports are written; default `<dataDir>/exports`. */
    exportDir: z.string().optional(),
    /** The largest licence file accepted from the library, in MB. */
    maxFileMb: z.number().int().min(1).max(200).default(20),
    /** Certificate files (DER or PEM) of the electronic-seal roots whose seals this terminal trusts. */
    sealRoots: z.array(z.string().min(1)).default([]),
    /** What is kept in memory to show when the library is offline, and for how long. Never on disk. */
    cache: z
      .object({
        /** `applicant`: dropped at 下一位 or when the card is lifted; `terminal`: kept for returning applicants until it expires. */
        scope: z.enum(['applicant', 'terminal']).default('applicant'),
        lists: z.boolean().default(true),
        files: z.boolean().default(true),
        ttlMinutes: z.number().int().min(0).max(1440).default(60),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export const AuditSchema = z
  .object({
    /** Years the access log is kept; the rules' three years is the floor. */
    retentionYears: z.number().int().min(3).max(30).default(3),
  })
  .strict()

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '应为 HH:MM')

export const IssuanceSchema = z
  .object({
    /** 32-byte key (base64) sealing personal data at rest; else COUNTERDESK_DATA_KEY. The desktop app keeps its own in the system keychain. */
    dataKey: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, '应为 32 字节密钥的 base64 编码（44 个字符）')
      .optional(),
    /** The unit's electronic seal (SESeal file from the seal authority); its key is on a CA token. */
    unitSealFile: z.string().min(1).optional(),
  })
  .strict()

export const SyncSchema = z
  .object({
    /** Where issued licences go: the library's exchange API (library.baseUrl) or the front-end processor (MySQL HN_license). */
    target: z.enum(['library', 'frontend', 'none']).default('library'),
    frontend: z
      .object({
        url: z.string().regex(/^mysql:\/\//, '应为 mysql://用户名:密码@主机:3306/HN_license'),
        queryTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
      })
      .strict()
      .optional(),
    batchSize: z.number().int().min(1).max(500).default(50),
    /** How often to look for work when idle; the exchange runs every 2 minutes. */
    intervalMs: z.number().int().min(1000).max(3_600_000).default(120_000),
    /** Full-jitter exponential backoff after a failed push. */
    backoff: z
      .object({
        baseMs: z.number().int().min(100).max(600_000).default(2000),
        capMs: z.number().int().min(1000).max(3_600_000).default(300_000),
      })
      .strict()
      .prefault({}),
    /** Office hours on working days, for "within 2 working hours of the deadline". */
    officeHours: z
      .array(z.tuple([HourMinute, HourMinute]))
      .min(1)
      .max(4)
      .default([
        ['09:00', '12:00'],
        ['13:30', '17:30'],
      ]),
    /** Warn when an unsent item has this many office-hours minutes left. */
    alertWorkingMinutes: z.number().int().min(0).max(1440).default(120),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.target === 'frontend' && !s.frontend)
      ctx.addIssue({
        code: 'custom',
        path: ['frontend'],
        message: '推送目标为前置机时必须配置 sync.frontend.url',
      })
    let last = -1
    s.officeHours.forEach(([a, b], i) => {
      const [from, to] = [a, b].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)))
      if (!(to! > from!) || from! < last)
        ctx.addIssue({
          code: 'custom',
          path: ['officeHours', i],
          message: '时段应按时间先后排列且结束晚于开始',
        })
      last = to!
    })
  })

export const ArchiveSchema = z
  .object({
    /** Where archive copies (PDF) are written; default `<exports>/archive`. */
    outputDir: z.string().optional(),
    /** Font files for rare characters the bundled faces lack (tried before the system's fonts). */
    extraFonts: z.array(z.string().min(1)).default([]),
    /** Also look in the operating system's CJK fonts (SimSun-ExtB, Noto CJK …) for rare characters. */
    systemFonts: z.boolean().default(true),
    qr: z
      .object({
        /** The verification address the QR code points to; default `<library.baseUrl>/archive/v1/verify`. */
        verifyUrl: z.string().url().optional(),
        /** Days the QR code's token stays valid; printed on the copy in words. */
        validDays: z.number().int().min(1).max(3650).default(365),
        /** The office's SM2 key for signing QR tokens (64 hex digits); default: one made on first use. */
        privateKey: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/, '应为 64 位十六进制 SM2 私钥')
          .optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export const ConfigSchema = z
  .object({
    mode: z.enum(['training', 'production']).default('production'),
    language: z.enum(['zh-CN', 'en']).default('zh-CN'),
    terminal: TerminalSchema,
    /** Where the database and logs live; defaults to the app's per-user data folder. */
    dataDir: z.string().optional(),
    /** In training mode the in-process sandbox is used when this is absent. */
    library: LibrarySchema.optional(),
    devices: DevicesSchema.prefault({}),
    catalogue: CatalogueSchema.prefault({}),
    licences: LicencesSchema.prefault({}),
    audit: AuditSchema.prefault({}),
    issuance: IssuanceSchema.prefault({}),
    sync: SyncSchema.prefault({}),
    cakey: CakeySchema.prefault({}),
    pki: PkiSchema.prefault({}),
    auth: AuthSchema.prefault({}),
    archive: ArchiveSchema.prefault({}),
    emrtd: EmrtdConfigSchema.prefault({}),
    /** Without it: the simulated platform in training mode, no checks in production. */
    realname: RealnameConfigSchema.optional(),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const problem of modeProblems(config))
      ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message })
  })
  .transform((config) => ({
    ...config,
    devices: {
      ...config.devices,
      // Only training falls back to the simulated reader; production looks for a real one.
      idcard: config.devices.idcard ?? {
        ...(config.mode === 'training' ? SIMULATED_READER : PROBED_SERIAL_READER),
      },
    },
  }))

export type Config = z.output<typeof ConfigSchema>
export type ConfigInput = z.input<typeof ConfigSchema>
