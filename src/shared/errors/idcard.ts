/**
 * Resident ID card reader errors: GA 467 frames, every SW3 status code, the serial and HID links,
 * the photo decoder and transcripts. Each says what happened and what the clerk should do next.
 */
import type { ErrorCatalogue } from './types'

const retryCard = '请将证件平放在阅读器感应区中央，保持不动后重试。'
const retryCardEn = 'Lay the card flat in the middle of the reader, hold still and try again.'
const callSupport = '请重启阅读器（拔插 USB）；仍不行请联系运维人员。'
const callSupportEn = 'Restart the reader (replug USB); if it persists, contact support.'
const automatic = '程序会自动重试；反复出现请检查连接线后联系运维人员。'
const automaticEn =
  'This is retried automatically; if it keeps happening, check the cable and contact support.'
const suspectCard = '请仔细核验证件；可重放一次，仍失败请按规定处置。'
const suspectCardEn = 'Inspect the card; retry once, then follow procedure.'
const decoderHint = '照片可在证件上人工核对；请联系运维人员检查照片解码库配置。'
const decoderHintEn =
  'Compare the photo on the card by eye; ask support to check the photo decoder setup.'

export const idcardErrors = {
  IDCARD_FRAME_BAD_PREAMBLE: {
    zh: { message: '阅读器数据帧头错误', hint: retryCard },
    en: { message: 'Reader frame has a bad preamble', hint: retryCardEn },
  },
  IDCARD_FRAME_BAD_LENGTH: {
    zh: { message: '阅读器数据长度错误（{length}）', hint: retryCard },
    en: { message: 'Reader frame has a bad length ({length})', hint: retryCardEn },
  },
  IDCARD_FRAME_TRUNCATED: {
    zh: { message: '阅读器数据不完整', hint: retryCard },
    en: { message: 'Reader frame is truncated', hint: retryCardEn },
  },
  IDCARD_FRAME_BAD_CHECKSUM: {
    zh: { message: '阅读器数据校验错误', hint: retryCard },
    en: { message: 'Reader frame checksum mismatch', hint: retryCardEn },
  },
  IDCARD_HEX_INVALID: {
    zh: { message: '十六进制数据格式错误', hint: '只能包含 0-9、A-F 和空格，且为偶数个字符。' },
    en: {
      message: 'The hex data is malformed',
      hint: 'Use only 0-9, A-F and spaces, with an even number of digits.',
    },
  },
  IDCARD_RESPONSE_UNEXPECTED: {
    zh: { message: '阅读器返回了无法识别的数据', hint: callSupport },
    en: { message: 'The reader returned unexpected data', hint: callSupportEn },
  },
  IDCARD_TEXT_INVALID: {
    zh: { message: '证件文字信息无法解析（{reason}）', hint: retryCard },
    en: { message: 'The card text cannot be decoded ({reason})', hint: retryCardEn },
  },
  IDCARD_TEXT_UNKNOWN_TYPE: {
    zh: {
      message: '不支持的证件类型标识“{flag}”',
      hint: '请改用其他方式核验身份，并告知运维人员。',
    },
    en: {
      message: 'Unsupported card type flag "{flag}"',
      hint: 'Verify identity another way and tell support.',
    },
  },
  IDCARD_TIMEOUT: {
    zh: { message: '阅读器无响应', hint: callSupport },
    en: { message: 'The reader does not respond', hint: callSupportEn },
  },
  IDCARD_NO_READER: {
    zh: { message: '未连接身份证阅读器', hint: '检查阅读器的 USB 线或串口线是否插好。' },
    en: { message: 'No ID card reader connected', hint: 'Check the reader cable.' },
  },
  IDCARD_DISCONNECTED: {
    zh: { message: '身份证阅读器已断开', hint: '重新插好阅读器，程序会自动重新连接。' },
    en: {
      message: 'The ID card reader was disconnected',
      hint: 'Plug the reader back in; it reconnects by itself.',
    },
  },
  IDCARD_PORT_NOT_FOUND: {
    zh: {
      message: '找不到串口 {port}',
      hint: '检查阅读器是否插好，或在配置中改为 "auto" 自动查找。',
    },
    en: {
      message: 'Serial port {port} not found',
      hint: 'Check the reader is plugged in, or set the port to "auto".',
    },
  },
  IDCARD_PORT_BUSY: {
    zh: {
      message: '串口 {port} 被其他程序占用',
      hint: '关闭其他读卡软件（如厂商演示程序）后重试。',
    },
    en: {
      message: 'Serial port {port} is in use by another program',
      hint: 'Close other card-reading software (such as the vendor demo) and retry.',
    },
  },
  IDCARD_PORT_OPEN_FAILED: {
    zh: { message: '无法打开串口 {port}', hint: '检查串口权限和连接线，或重新插拔阅读器。' },
    en: {
      message: 'Cannot open serial port {port}',
      hint: 'Check port permissions and the cable, or replug the reader.',
    },
  },
  IDCARD_NOT_DETECTED: {
    zh: {
      message: '在 {count} 个串口上都没有找到身份证阅读器',
      hint: '检查阅读器电源和连接线；插好后程序会自动发现。',
    },
    en: {
      message: 'No ID card reader answered on {count} serial ports',
      hint: 'Check the reader power and cable; it is found automatically once plugged in.',
    },
  },
  IDCARD_BAUD_FAILED: {
    zh: {
      message: '无法将阅读器切换到 {baud} bps',
      hint: '程序继续以阅读器当前速率工作；如读卡慢，请联系运维人员。',
    },
    en: {
      message: 'Cannot switch the reader to {baud} bps',
      hint: 'Working on at the reader’s current speed; contact support if reading is slow.',
    },
  },
  IDCARD_HID_NOT_FOUND: {
    zh: {
      message: '找不到 HID 身份证阅读器（{device}）',
      hint: '检查阅读器的 USB 线；插好后程序会自动连接。',
    },
    en: {
      message: 'HID ID card reader not found ({device})',
      hint: 'Check the reader’s USB cable; it connects by itself once plugged in.',
    },
  },
  IDCARD_HID_OPEN_FAILED: {
    zh: {
      message: '无法打开 HID 阅读器（{device}）',
      hint: '关闭其他读卡软件；Linux 下检查 hidraw 设备权限。',
    },
    en: {
      message: 'Cannot open the HID reader ({device})',
      hint: 'Close other card software; on Linux check the hidraw permissions.',
    },
  },
  IDCARD_HID_REPORT_INVALID: {
    zh: {
      message: 'HID 阅读器的数据包格式不符（{reason}）',
      hint: '检查配置中的阅读器型号（报告格式）。',
    },
    en: {
      message: 'The HID reader sent a report that does not fit the profile ({reason})',
      hint: 'Check the reader profile (report layout) in the configuration.',
    },
  },
  IDCARD_HID_PROFILE_INVALID: {
    zh: {
      message: 'HID 阅读器的报告格式配置有误（{reason}）',
      hint: '请运维人员按阅读器厂商资料修改配置 devices.idcard.report。',
    },
    en: {
      message: 'The HID reader’s report layout is misconfigured ({reason})',
      hint: 'Support should fix devices.idcard.report from the vendor’s documentation.',
    },
  },
  IDCARD_SAM_STATUS: {
    zh: { message: '阅读器返回错误（SW3={sw3}）', hint: callSupport },
    en: { message: 'The reader reported an error (SW3={sw3})', hint: callSupportEn },
  },
  IDCARD_SAM_BAD_CHECKSUM: {
    zh: { message: '阅读器收到的命令校验和错误（SW3=10）', hint: automatic },
    en: { message: 'The reader got a command with a bad checksum (SW3=10)', hint: automaticEn },
  },
  IDCARD_SAM_BAD_LENGTH: {
    zh: { message: '阅读器收到的命令长度错误（SW3=11）', hint: automatic },
    en: { message: 'The reader got a command with a bad length (SW3=11)', hint: automaticEn },
  },
  IDCARD_SAM_BAD_COMMAND: {
    zh: {
      message: '阅读器不支持该命令（SW3=21）',
      hint: '阅读器型号或固件不匹配，请联系运维人员。',
    },
    en: {
      message: 'The reader does not support the command (SW3=21)',
      hint: 'The reader model or firmware does not match; contact support.',
    },
  },
  IDCARD_SAM_NOT_PERMITTED: {
    zh: { message: '阅读器拒绝执行：操作未授权（SW3=23）', hint: callSupport },
    en: { message: 'The reader refused: operation not authorised (SW3=23)', hint: callSupportEn },
  },
  IDCARD_SAM_UNKNOWN_ERROR: {
    zh: { message: '阅读器发生无法识别的错误（SW3=24）', hint: '已自动复位阅读器，请重放证件。' },
    en: {
      message: 'The reader reported an unrecognised error (SW3=24)',
      hint: 'The reader was reset; place the card again.',
    },
  },
  IDCARD_AUTH_CARD_TO_SAM: {
    zh: { message: '证件对安全模块认证失败，可能不是真实证件（SW3=31）', hint: suspectCard },
    en: {
      message: 'Card-to-SAM authentication failed; the card may not be genuine (SW3=31)',
      hint: suspectCardEn,
    },
  },
  IDCARD_AUTH_SAM_TO_CARD: {
    zh: { message: '安全模块对证件认证失败，可能不是真实证件（SW3=32）', hint: suspectCard },
    en: {
      message: 'SAM-to-card authentication failed; the card may not be genuine (SW3=32)',
      hint: suspectCardEn,
    },
  },
  IDCARD_VERIFY_FAILED: {
    zh: { message: '证件信息验证错误（SW3=33）', hint: suspectCard },
    en: { message: 'The card data failed verification (SW3=33)', hint: suspectCardEn },
  },
  IDCARD_NOT_IDENTITY_CARD: {
    zh: {
      message: '无法识别的卡片类型（SW3=40）',
      hint: '请确认放置的是居民身份证、居住证或外国人永久居留身份证，且一次只放一张卡。',
    },
    en: {
      message: 'Unrecognised card type (SW3=40)',
      hint: 'Make sure it is a resident ID, residence permit or permanent residence card, one card at a time.',
    },
  },
  IDCARD_READ_FAILED: {
    zh: { message: '读卡失败（SW3=41）', hint: retryCard },
    en: { message: 'Reading the card failed (SW3=41)', hint: retryCardEn },
  },
  IDCARD_RANDOM_FAILED: {
    zh: { message: '取随机数失败（SW3=47）', hint: '已自动复位阅读器，请重放证件。' },
    en: {
      message: 'Getting a random number failed (SW3=47)',
      hint: 'The reader was reset; place the card again.',
    },
  },
  IDCARD_SAM_SELFTEST_FAILED: {
    zh: { message: '阅读器安全模块自检失败（SW3=60）', hint: callSupport },
    en: {
      message: 'The reader’s security module failed its self-test (SW3=60)',
      hint: callSupportEn,
    },
  },
  IDCARD_SAM_NOT_AUTHORISED: {
    zh: {
      message: '阅读器安全模块未经授权（SW3=66）',
      hint: '该阅读器未获公安机关授权或授权已失效，请更换阅读器并联系运维人员。',
    },
    en: {
      message: 'The reader’s security module is not authorised (SW3=66)',
      hint: 'The reader is not (or no longer) authorised; replace it and contact support.',
    },
  },
  IDCARD_NO_CARD: {
    zh: { message: '未找到证件（SW3=80）', hint: '请将证件放到阅读器上。' },
    en: { message: 'No card found (SW3=80)', hint: 'Place the card on the reader.' },
  },
  IDCARD_SELECT_FAILED: {
    zh: { message: '选卡失败（SW3=81）', hint: retryCard },
    en: { message: 'Card select failed (SW3=81)', hint: retryCardEn },
  },
  IDCARD_NO_CONTENT: {
    zh: { message: '证件中没有该项信息（SW3=91）', hint: '无需处理。' },
    en: { message: 'The card holds no such item (SW3=91)', hint: 'Nothing to do.' },
  },
  IDCARD_PHOTO_DECODER_UNLOADABLE: {
    zh: {
      message: '照片解码库无法加载（{reason}）',
      hint: '检查配置的解码库路径，以及解码库与本程序的位数（32/64 位）是否一致。',
    },
    en: {
      message: 'The photo decoder library cannot be loaded ({reason})',
      hint: 'Check the library path, and that it is built for this program’s architecture (32/64-bit).',
    },
  },
  IDCARD_PHOTO_DECODER_CRASHED: {
    zh: { message: '照片解码库异常退出', hint: decoderHint },
    en: { message: 'The photo decoder library crashed', hint: decoderHintEn },
  },
  IDCARD_PHOTO_DECODER_TIMEOUT: {
    zh: { message: '照片解码超时', hint: decoderHint },
    en: { message: 'Photo decoding timed out', hint: decoderHintEn },
  },
  IDCARD_PHOTO_DECODE_FAILED: {
    zh: { message: '照片解码失败（返回值 {result}）', hint: decoderHint },
    en: { message: 'Photo decoding failed (result {result})', hint: decoderHintEn },
  },
  IDCARD_PHOTO_INVALID: {
    zh: { message: '照片数据无法识别（{reason}）', hint: decoderHint },
    en: { message: 'The photo data is not usable ({reason})', hint: decoderHintEn },
  },
  TRANSCRIPT_INVALID: {
    zh: {
      message: '设备交换记录格式错误（第 {line} 行）',
      hint: '每行应为 "=> 十六进制" 或 "<= 十六进制"。',
    },
    en: {
      message: 'The device transcript is malformed (line {line})',
      hint: 'Each line must be "=> hex" or "<= hex".',
    },
  },
  TRANSCRIPT_UNEXPECTED_EXCHANGE: {
    zh: {
      message: '设备交换与记录不符（第 {line} 行）',
      hint: '程序发出的命令与记录的不同：检查协议改动或重新录制。',
    },
    en: {
      message: 'The exchange does not match the transcript (line {line})',
      hint: 'The program sent a different command: check the protocol change or record again.',
    },
  },
  TRANSCRIPT_LEFTOVER: {
    zh: {
      message: '设备交换记录还有 {count} 次交换未执行',
      hint: '程序少发了命令：检查协议改动。',
    },
    en: {
      message: '{count} recorded exchanges were never made',
      hint: 'The program sent fewer commands than recorded: check the protocol change.',
    },
  },
} as const satisfies ErrorCatalogue
