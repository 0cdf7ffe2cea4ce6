/**
 * A passport / permit chip in TypeScript: the eMRTD applet with its LDS files, BAC, PACE
 * (ECDH generic mapping), secure messaging, Chip Authentication and Active Authentication, and
 * EF.CardAccess in the master file. It answers raw APDU bytes, so the same object sits behind the
 * vpcd socket (real pcscd) and behind the in-process transport of training mode.
 *
 * Faults for practice and tests: no extended length, a small response buffer, and a slow chip
 * (latency is applied by the transport in front of it).
 */
import { randomBytes } from 'node:crypto'
import {
  aesCbcEncrypt,
  bytesToBigInt,
  digest,
  ecdsaSignDigest,
  padIso9797m2,
  retailMac,
  rsaModulusLength,
  rsaPrivateOp,
  tdesCbcDecrypt,
  tdesCbcEncrypt,
} from '../../crypto'
import {
  authenticationToken,
  bacKeys,
  canPassword,
  concatBytes,
  decodeCommand,
  deriveSessionKeys,
  encodeResponse,
  encodeTlv,
  equalBytes,
  genericMapping,
  integratedMapping,
  kdf,
  KDF_ENC,
  KDF_MAC,
  mrzPassword,
  parsePaceOid,
  parseTlv,
  parseTlvList,
  passwordKey,
  SecureMessaging,
  sessionCipher,
  standardizedGroup,
  SW,
  tdesCipher,
  ecGroup,
  decodeOid,
  parseCaOid,
  LDS_FILES,
  EF_CARD_ACCESS,
  EF_CARD_ACCESS_SFI,
  EMRTD_AID,
  incrementCounter,
  unpad,
  xorBytes,
  type CipherSuite,
  type CommandApdu,
  type GroupElement,
  type LdsFileName,
  type PaceGroup,
  type PacePassword,
  type ResponseApdu,
} from '../../devices/emrtd'
import type { ChipImage } from './documents'

export interface ChipOptions {
  /** Refuse extended-length APDUs (and say so in the ATR). */
  readonly noExtendedLength?: boolean
  /** Largest response data field the chip will build (default 65535). */
  readonly maxResponse?: number
  /** How a too-large Le is refused: 6700 (default) or 6Cxx naming the length it can give. */
  readonly wrongLength?: '6700' | '6C'
}

type Pace =
  | { step: 'set'; oid: string; cipher: CipherSuite; password: PacePassword; group: PaceGroup }
  | { step: 'nonce'; oid: string; cipher: CipherSuite; group: PaceGroup; nonce: Uint8Array }
  | { step: 'mapped'; oid: string; cipher: CipherSuite; group: PaceGroup }
  | {
      step: 'agreed'
      oid: string
      cipher: CipherSuite
      group: PaceGroup
      terminalKey: GroupElement
      chipPublic: GroupElement
      ksEnc: Uint8Array
      ksMac: Uint8Array
    }

const respond = (data: Uint8Array, sw: number = SW.OK): ResponseApdu => ({ data, sw })
const status = (sw: number): ResponseApdu => ({ data: new Uint8Array(0), sw })

export class EmrtdChip {
  private applet = false
  private currentFile: Uint8Array | undefined
  private sm: SecureMessaging | undefined
  private authenticated = false
  private challenge: Uint8Array | undefined
  private pace: Pace | undefined
  private caOid: string | undefined
  /** APDUs answered since power-on: for tests and the benchmark. */
  apdus = 0
  /** Commands by INS (plain or inside secure messaging), for tests. */
  readonly commands = new Map<number, number>()

  constructor(
    readonly image: ChipImage,
    readonly options: ChipOptions = {},
  ) {}

  /** ISO 14443-4 ATR as PC/SC shows contactless cards, with the card capabilities in it. */
  atr(): Uint8Array {
    const caps = this.options.noExtendedLength ? 0x80 : 0xc0
    const historical = [0x00, 0x73, 0x80, 0x00, caps, 0x00, 0x90, 0x00]
    const body = [0x3b, 0x80 | historical.length, 0x80, 0x01, ...historical]
    let tck = 0
    for (const b of body.slice(1)) tck ^= b
    return Uint8Array.from([...body, tck])
  }

  reset(): void {
    this.applet = false
    this.currentFile = undefined
    this.sm = undefined
    this.authenticated = false
    this.challenge = undefined
    this.pace = undefined
    this.caOid = undefined
  }

  /** One C-APDU in, one R-APDU out. Never throws. */
  process(bytes: Uint8Array): Uint8Array {
    this.apdus++
    let cmd: CommandApdu & { extended: boolean }
    try {
      cmd = decodeCommand(bytes)
    } catch {
      return encodeResponse(status(SW.WRONG_LENGTH))
    }
    if (cmd.extended && this.options.noExtendedLength) {
      this.sm = undefined
      this.authenticated = false
      return encodeResponse(status(SW.WRONG_LENGTH))
    }
    const secured = (cmd.cla & 0x0c) === 0x0c
    if (!secured) {
      if (this.sm) {
        // A plain command ends secure messaging.
        this.sm = undefined
        this.authenticated = false
      }
      return encodeResponse(this.safeExecute(cmd))
    }
    const sm = this.sm
    if (!sm) return encodeResponse(status(SW.CONDITIONS_NOT_SATISFIED))
    let plain: CommandApdu
    try {
      plain = this.unwrapCommand(sm, cmd)
    } catch {
      this.sm = undefined
      this.authenticated = false
      return encodeResponse(status(SW.SM_DATA_INCORRECT))
    }
    const answer = this.safeExecute(plain)
    // Chip Authentication switches keys after answering under the old ones.
    const wrapped = this.wrapResponse(sm, answer)
    if (this.pendingKeys) {
      this.sm = this.pendingKeys
      this.pendingKeys = undefined
    }
    return encodeResponse(wrapped)
  }

  private pendingKeys: SecureMessaging | undefined

  private safeExecute(cmd: CommandApdu): ResponseApdu {
    this.commands.set(cmd.ins, (this.commands.get(cmd.ins) ?? 0) + 1)
    try {
      return this.execute(cmd)
    } catch {
      return status(SW.UNKNOWN)
    }
  }

  private unwrapCommand(sm: SecureMessaging, cmd: CommandApdu): CommandApdu {
    const objects = parseTlvList(cmd.data ?? new Uint8Array(0))
    const mac = objects.find((o) => o.tag === 0x8e)
    if (!mac || objects.at(-1) !== mac) throw new Error('no MAC')
    const bs = sm.cipher.blockSize
    const header = padIso9797m2(Uint8Array.of(cmd.cla, cmd.ins, cmd.p1, cmd.p2), bs)
    const ssc = sm.ssc
    incrementCounter(ssc)
    const covered = concatBytes(ssc, header, ...objects.filter((o) => o !== mac).map((o) => o.raw))
    if (!equalBytes(sm.cipher.mac(padIso9797m2(covered, bs)), mac.value)) throw new Error('MAC')
    let data: Uint8Array | undefined
    const d87 = objects.find((o) => o.tag === 0x87 || o.tag === 0x85)
    if (d87) {
      const crypt = d87.tag === 0x87 ? d87.value.subarray(1) : d87.value
      data = unpad(sm.cipher.decrypt(ssc, crypt))
      if (!data) throw new Error('padding')
    }
    const le = objects.find((o) => o.tag === 0x97)
    let ne = 0
    if (le) {
      const v = le.value
      ne = v.length === 1 ? v[0] || 256 : (v[0]! << 8) | v[1]! || 65536
    }
    return {
      cla: cmd.cla & 0xf0,
      ins: cmd.ins,
      p1: cmd.p1,
      p2: cmd.p2,
      ...(data ? { data } : {}),
      ne,
    }
  }

  private wrapResponse(sm: SecureMessaging, r: ResponseApdu): ResponseApdu {
    const bs = sm.cipher.blockSize
    const ssc = sm.ssc
    incrementCounter(ssc)
    let dataDo: Uint8Array = new Uint8Array(0)
    if (r.data.length > 0) {
      const enc = sm.cipher.encrypt(ssc, padIso9797m2(r.data, bs))
      dataDo = encodeTlv(0x87, Uint8Array.of(1), enc)
    }
    const swDo = encodeTlv(0x99, Uint8Array.of(r.sw >> 8, r.sw & 0xff))
    const mac = sm.cipher.mac(padIso9797m2(concatBytes(ssc, dataDo, swDo), bs))
    return {
      data: concatBytes(dataDo, swDo, encodeTlv(0x8e, mac)),
      sw: r.sw === SW.OK || r.sw === SW.END_OF_FILE ? SW.OK : r.sw,
    }
  }

  private execute(cmd: CommandApdu): ResponseApdu {
    switch (cmd.ins) {
      case 0xa4:
        return this.select(cmd)
      case 0xb0:
      case 0xb1:
        return this.readBinary(cmd)
      case 0x84:
        return this.getChallenge(cmd)
      case 0x82:
        return this.externalAuthenticate(cmd)
      case 0x22:
        return this.manageSecurityEnvironment(cmd)
      case 0x86:
        return this.generalAuthenticate(cmd)
      case 0x88:
        return this.internalAuthenticate(cmd)
      default:
        return status(SW.INS_NOT_SUPPORTED)
    }
  }

  private fileByFid(fid: number): Uint8Array | undefined {
    if (!this.applet) return fid === EF_CARD_ACCESS ? this.image.cardAccess : undefined
    const f = LDS_FILES.find((x) => x.fid === fid)
    return f ? this.image.files.get(f.name as LdsFileName) : undefined
  }

  private fileBySfi(sfi: number): Uint8Array | undefined {
    if (!this.applet) return sfi === EF_CARD_ACCESS_SFI ? this.image.cardAccess : undefined
    const f = LDS_FILES.find((x) => x.sfi === sfi)
    return f ? this.image.files.get(f.name as LdsFileName) : undefined
  }

  private select(cmd: CommandApdu): ResponseApdu {
    const data = cmd.data ?? new Uint8Array(0)
    if (cmd.p1 === 0x04) {
      if (!equalBytes(data, EMRTD_AID)) return status(SW.FILE_NOT_FOUND)
      this.applet = true
      this.currentFile = undefined
      return status(SW.OK)
    }
    if (cmd.p1 === 0x00 && (data.length === 0 || (data[0] === 0x3f && data[1] === 0x00))) {
      this.applet = false
      this.currentFile = undefined
      return status(SW.OK)
    }
    if (cmd.p1 === 0x02 && data.length === 2) {
      const file = this.fileByFid((data[0]! << 8) | data[1]!)
      if (!file) return status(SW.FILE_NOT_FOUND)
      if (this.applet && !this.authenticated) return status(SW.SECURITY_NOT_SATISFIED)
      this.currentFile = file
      return status(SW.OK)
    }
    return status(SW.WRONG_P1P2)
  }

  private readBinary(cmd: CommandApdu): ResponseApdu {
    let file = this.currentFile
    let offset: number
    if (cmd.ins === 0xb1) {
      const d = parseTlv(cmd.data ?? new Uint8Array(0))
      if (d.tag !== 0x54) return status(SW.WRONG_DATA)
      offset = [...d.value].reduce((a, b) => a * 256 + b, 0)
    } else if (cmd.p1 & 0x80) {
      file = this.fileBySfi(cmd.p1 & 0x1f)
      if (!file) return status(SW.FILE_NOT_FOUND)
      this.currentFile = file
      offset = cmd.p2
    } else offset = ((cmd.p1 & 0x7f) << 8) | cmd.p2
    if (!file) return status(SW.CONDITIONS_NOT_SATISFIED)
    if (this.applet && !this.authenticated) return status(SW.SECURITY_NOT_SATISFIED)
    if (offset > file.length) return status(SW.WRONG_P1P2)
    const ne = cmd.ne ?? 0
    const limit = this.options.maxResponse ?? 65535
    if (ne > limit)
      return status(
        this.options.wrongLength === '6C' && limit < 256 ? 0x6c00 | limit : SW.WRONG_LENGTH,
      )
    const data = file.subarray(offset, Math.min(file.length, offset + ne))
    const out = cmd.ins === 0xb1 ? encodeTlv(0x53, data) : data
    return respond(out, data.length < ne ? SW.END_OF_FILE : SW.OK)
  }

  // --- BAC -------------------------------------------------------------------------------------

  private getChallenge(cmd: CommandApdu): ResponseApdu {
    if ((cmd.ne ?? 0) !== 8) return status(SW.WRONG_LENGTH)
    this.challenge = new Uint8Array(randomBytes(8))
    return respond(this.challenge)
  }

  private externalAuthenticate(cmd: CommandApdu): ResponseApdu {
    const data = cmd.data
    const rndIc = this.challenge
    this.challenge = undefined
    if (!this.applet || !rndIc || !data || data.length !== 40)
      return status(SW.CONDITIONS_NOT_SATISFIED)
    const keys = bacKeys(this.image.mrzInfo)
    const e = data.subarray(0, 32)
    if (!equalBytes(retailMac(keys.kmac, padIso9797m2(e)), data.subarray(32)))
      return status(SW.SECURITY_NOT_SATISFIED)
    const s = tdesCbcDecrypt(keys.kenc, e)
    if (!equalBytes(s.subarray(8, 16), rndIc)) return status(SW.SECURITY_NOT_SATISFIED)
    const rndIfd = s.subarray(0, 8)
    const kIfd = s.subarray(16, 32)
    const kIc = new Uint8Array(randomBytes(16))
    const r = tdesCbcEncrypt(keys.kenc, concatBytes(rndIc, rndIfd, kIc))
    const answer = concatBytes(r, retailMac(keys.kmac, padIso9797m2(r)))
    const seed = xorBytes(kIfd, kIc)
    const ssc = concatBytes(rndIc.subarray(4, 8), rndIfd.subarray(4, 8))
    this.startSm(
      new SecureMessaging(tdesCipher(kdf(seed, KDF_ENC, '3DES'), kdf(seed, KDF_MAC, '3DES')), ssc),
    )
    return respond(answer)
  }

  private startSm(sm: SecureMessaging): void {
    // The answer that establishes the session goes out plain; the session starts after it.
    this.sm = sm
    this.authenticated = true
  }

  // --- PACE and Chip Authentication ------------------------------------------------------------

  private manageSecurityEnvironment(cmd: CommandApdu): ResponseApdu {
    const items = parseTlvList(cmd.data ?? new Uint8Array(0))
    const get = (tag: number) => items.find((t) => t.tag === tag)?.value
    if (cmd.p1 === 0xc1 && cmd.p2 === 0xa4) {
      const oidBytes = get(0x80)
      const ref = get(0x83)
      if (!oidBytes || !ref || !this.image.paceOid) return status(SW.WRONG_DATA)
      const oid = decodeOid(oidBytes)
      const parsed = parsePaceOid(oid)
      if (oid !== this.image.paceOid || !parsed) return status(SW.WRONG_DATA)
      const group = standardizedGroup(this.image.paceParameterId ?? -1)
      if (!group) return status(SW.WRONG_DATA)
      const password =
        ref[0] === 1
          ? mrzPassword(this.image.mrzInfo)
          : ref[0] === 2
            ? canPassword(this.image.can)
            : undefined
      if (!password) return status(SW.WRONG_DATA)
      this.sm = undefined
      this.authenticated = false
      this.pace = { step: 'set', oid, cipher: parsed.cipher, password, group }
      return status(SW.OK)
    }
    if (cmd.p1 === 0x41 && cmd.p2 === 0xa4) {
      const oidBytes = get(0x80)
      if (!oidBytes || !this.authenticated || decodeOid(oidBytes) !== this.image.caOid)
        return status(SW.WRONG_DATA)
      this.caOid = this.image.caOid
      return status(SW.OK)
    }
    if (cmd.p1 === 0x41 && cmd.p2 === 0xa6) {
      const pk = get(0x91)
      if (!pk || !this.authenticated || !this.image.caOid?.endsWith('.1'))
        return status(SW.WRONG_DATA)
      return this.chipAuthenticate(pk, '3DES')
    }
    return status(SW.WRONG_P1P2)
  }

  private chipAuthenticate(terminalKey: Uint8Array, cipher: CipherSuite): ResponseApdu {
    const key = this.image.caKey
    if (!key || key.kind !== 'ec') return status(SW.CONDITIONS_NOT_SATISFIED)
    const group = ecGroup(key.curve)
    let peer: GroupElement
    try {
      peer = group.decode(terminalKey)
    } catch {
      return status(SW.WRONG_DATA)
    }
    const shared = group.secret(group.multiply(key.d, peer))
    const { ksEnc, ksMac } = deriveSessionKeys(cipher, shared)
    const c = sessionCipher(cipher, ksEnc, ksMac)
    this.pendingKeys = new SecureMessaging(c, new Uint8Array(c.blockSize))
    return status(SW.OK)
  }

  private generalAuthenticate(cmd: CommandApdu): ResponseApdu {
    let items
    try {
      const outer = parseTlv(cmd.data ?? new Uint8Array(0))
      if (outer.tag !== 0x7c) return status(SW.WRONG_DATA)
      items = parseTlvList(outer.value)
    } catch {
      return status(SW.WRONG_DATA)
    }
    const get = (tag: number) => items.find((t) => t.tag === tag)?.value
    // Chip Authentication (AES): General Authenticate carries the terminal's ephemeral key.
    if (this.caOid && this.authenticated && get(0x80)) {
      const cipher = parseCaOid(this.caOid)?.cipher ?? 'AES-128'
      this.caOid = undefined
      const r = this.chipAuthenticate(get(0x80)!, cipher)
      return r.sw === SW.OK ? respond(encodeTlv(0x7c, new Uint8Array(0))) : r
    }
    const pace = this.pace
    if (!pace) return status(SW.CONDITIONS_NOT_SATISFIED)
    const chained = (cmd.cla & 0x10) !== 0
    try {
      if (pace.step === 'set' && chained) {
        const s = new Uint8Array(randomBytes(pace.cipher === '3DES' ? 8 : 16))
        const kPi = passwordKey(pace.password, pace.cipher)
        const z = pace.cipher === '3DES' ? tdesCbcEncrypt(kPi, s) : aesCbcEncrypt(kPi, s)
        this.pace = {
          step: 'nonce',
          oid: pace.oid,
          cipher: pace.cipher,
          group: pace.group,
          nonce: s,
        }
        return respond(encodeTlv(0x7c, encodeTlv(0x80, z)))
      }
      if (pace.step === 'nonce' && chained && get(0x81)) {
        if (parsePaceOid(pace.oid)?.mapping === 'IM') {
          const mapped = integratedMapping(pace.group, pace.cipher, pace.nonce, get(0x81)!)
          this.pace = { step: 'mapped', oid: pace.oid, cipher: pace.cipher, group: mapped }
          return respond(encodeTlv(0x7c, new Uint8Array(0)))
        }
        const terminalMap = pace.group.decode(get(0x81)!)
        const mapKey = pace.group.randomScalar()
        const mapped = genericMapping(pace.group, bytesToBigInt(pace.nonce), mapKey, terminalMap)
        this.pace = { step: 'mapped', oid: pace.oid, cipher: pace.cipher, group: mapped }
        return respond(
          encodeTlv(
            0x7c,
            encodeTlv(0x82, pace.group.encode(pace.group.multiply(mapKey, pace.group.generator))),
          ),
        )
      }
      if (pace.step === 'mapped' && chained && get(0x83)) {
        const g = pace.group
        const terminalKey = g.decode(get(0x83)!)
        const sk = g.randomScalar()
        const chipPublic = g.multiply(sk, g.generator)
        const { ksEnc, ksMac } = deriveSessionKeys(
          pace.cipher,
          g.secret(g.multiply(sk, terminalKey)),
        )
        this.pace = {
          step: 'agreed',
          oid: pace.oid,
          cipher: pace.cipher,
          group: g,
          terminalKey,
          chipPublic,
          ksEnc,
          ksMac,
        }
        return respond(encodeTlv(0x7c, encodeTlv(0x84, g.encode(chipPublic))))
      }
      if (pace.step === 'agreed' && !chained && get(0x85)) {
        const expected = authenticationToken(
          pace.cipher,
          pace.ksMac,
          pace.group,
          pace.oid,
          pace.chipPublic,
        )
        this.pace = undefined
        if (!equalBytes(expected, get(0x85)!)) return status(0x63c2)
        const token = authenticationToken(
          pace.cipher,
          pace.ksMac,
          pace.group,
          pace.oid,
          pace.terminalKey,
        )
        const c = sessionCipher(pace.cipher, pace.ksEnc, pace.ksMac)
        this.startSm(new SecureMessaging(c, new Uint8Array(c.blockSize)))
        return respond(encodeTlv(0x7c, encodeTlv(0x86, token)))
      }
    } catch {
      this.pace = undefined
      return status(SW.WRONG_DATA)
    }
    this.pace = undefined
    return status(SW.CONDITIONS_NOT_SATISFIED)
  }

  // --- Active Authentication -------------------------------------------------------------------

  private internalAuthenticate(cmd: CommandApdu): ResponseApdu {
    const key = this.image.aaKey
    const challenge = cmd.data
    if (!key) return status(SW.INS_NOT_SUPPORTED)
    if (!this.authenticated || !challenge || challenge.length !== 8)
      return status(SW.CONDITIONS_NOT_SATISFIED)
    if (key.kind === 'ec')
      return respond(ecdsaSignDigest(key.curve, key.d, digest('sha256', challenge)))
    // ISO/IEC 9796-2 scheme 1, SHA-1, partial recovery: 6A ‖ M1 ‖ H ‖ BC.
    const k = rsaModulusLength(key.key)
    const m1 = new Uint8Array(randomBytes(k - 20 - 2))
    const h = digest('sha1', concatBytes(m1, challenge))
    return respond(
      rsaPrivateOp(key.key, concatBytes(Uint8Array.of(0x6a), m1, h, Uint8Array.of(0xbc))),
    )
  }
}
