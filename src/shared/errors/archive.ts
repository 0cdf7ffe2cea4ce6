/** Paper archive copies: painting, the register, batches and printing. */
import type { ErrorCatalogue } from './types'

export const archiveErrors = {
  ARCHIVE_GLYPH_MISSING: {
    zh: {
      message: '字符「{char}」（{code}）没有可用的字体，无法打印',
      hint: '请管理员在 archive.extraFonts 中配置含该生僻字的字体文件后重试。',
    },
    en: {
      message: 'No font can draw the character “{char}” ({code})',
      hint: 'Ask the administrator to add a font with this character to archive.extraFonts.',
    },
  },
  ARCHIVE_SOURCE_NOT_FOUND: {
    zh: {
      message: '找不到要存档的证照：{what}',
      hint: '核对证照标识或文件路径；从证照库取件需要联网。',
    },
    en: {
      message: 'The licence to archive was not found: {what}',
      hint: 'Check the identifier or file path; fetching from the library needs the network.',
    },
  },
  ARCHIVE_FILE_UNREADABLE: {
    zh: { message: '无法读取文件 {file}', hint: '检查文件是否存在、是否有读取权限。' },
    en: { message: 'Cannot read the file {file}', hint: 'Check that it exists and can be read.' },
  },
  ARCHIVE_UNSUPPORTED_FILE: {
    zh: {
      message: '{file} 不是可存档的证照文件（应为 OFD、PNG 或 JPEG）',
      hint: '请选择证照的 OFD 文件。',
    },
    en: {
      message: '{file} is not a licence file that can be archived (OFD, PNG or JPEG)',
      hint: 'Choose the licence’s OFD file.',
    },
  },
  ARCHIVE_NOTHING_SELECTED: {
    zh: {
      message: '所选范围内没有可存档的证照',
      hint: '调整时间段、事项或业务流水号后重试。',
    },
    en: {
      message: 'There are no licences to archive in the selection',
      hint: 'Change the period, matter or business serials and try again.',
    },
  },
  ARCHIVE_BATCH_NOT_FOUND: {
    zh: { message: '找不到批量打印任务 {id}', hint: '刷新任务列表后重试。' },
    en: { message: 'Batch {id} was not found', hint: 'Refresh the list of batches.' },
  },
  ARCHIVE_BATCH_RUNNING: {
    zh: {
      message: '已有批量打印任务正在进行（{id}）',
      hint: '等待其完成或先取消它，再开始新的任务。',
    },
    en: {
      message: 'A batch is already running ({id})',
      hint: 'Wait for it to finish or cancel it first.',
    },
  },
  ARCHIVE_BATCH_NOT_RESUMABLE: {
    zh: {
      message: '该批量任务已{state}，不能继续',
      hint: '如需再次打印，请新建任务（将记为重印）。',
    },
    en: {
      message: 'This batch is {state} and cannot be resumed',
      hint: 'Start a new batch to print again (it is recorded as a reprint).',
    },
  },
  ARCHIVE_WRITE_FAILED: {
    zh: {
      message: '存档副本文件写入失败：{file}',
      hint: '检查磁盘空间和存档目录的写入权限；已分配的存档编号会在重试时沿用。',
    },
    en: {
      message: 'Writing the archive copy failed: {file}',
      hint: 'Check disk space and permissions; allocated archive numbers are reused on retry.',
    },
  },
  ARCHIVE_REGISTER_FAILED: {
    zh: {
      message: '存档登记簿写入失败',
      hint: '未完成登记的副本不会计入；请联系运维人员并提供日志。',
    },
    en: {
      message: 'Writing the archive register failed',
      hint: 'Copies not registered do not count; contact support with the log.',
    },
  },
  ARCHIVE_PRINTING_UNAVAILABLE: {
    zh: {
      message: '本机当前无法调用打印机',
      hint: '副本已保存为 PDF，可在存档目录中找到后另行打印。',
    },
    en: {
      message: 'Printing is not available here',
      hint: 'The copy is saved as a PDF in the archive folder; print it from there.',
    },
  },
  ARCHIVE_PRINTER_NOT_FOUND: {
    zh: {
      message: '找不到打印机「{printer}」',
      hint: '检查打印机是否开机、已连接，或选择其他打印机。',
    },
    en: {
      message: 'Printer “{printer}” was not found',
      hint: 'Check that it is on and connected, or choose another printer.',
    },
  },
  ARCHIVE_PRINT_FAILED: {
    zh: {
      message: '打印失败：{reason}',
      hint: '检查打印机状态（纸张、墨粉、卡纸）后重新打印该文件。',
    },
    en: {
      message: 'Printing failed: {reason}',
      hint: 'Check the printer (paper, toner, jams) and print the file again.',
    },
  },
  ARCHIVE_PRINT_CANCELLED: {
    zh: { message: '已取消打印', hint: '副本 PDF 已保存，可稍后再打印。' },
    en: { message: 'Printing was cancelled', hint: 'The PDF is saved; print it later.' },
  },
  ARCHIVE_OUTPUT_NOT_FOUND: {
    zh: {
      message: '找不到存档副本文件 {file}',
      hint: '该文件可能已被移走；可重新生成（记为重印）。',
    },
    en: {
      message: 'The archive copy file {file} was not found',
      hint: 'It may have been moved; make it again (recorded as a reprint).',
    },
  },
  ARCHIVE_KEY_INVALID: {
    zh: {
      message: '存档核验码密钥配置有误',
      hint: 'archive.qr.privateKey 应为 64 位十六进制 SM2 私钥；请管理员更正配置。',
    },
    en: {
      message: 'The archive QR signing key is misconfigured',
      hint: 'archive.qr.privateKey must be a 64-hex-digit SM2 private key.',
    },
  },
  ARCHIVE_KEY_LOCKED: {
    zh: {
      message: '存档核验码签名密钥需要本机数据加密密钥，但未配置',
      hint: '请管理员配置 issuance.dataKey（或 COUNTERDESK_DATA_KEY），签名密钥将加密保存；也可在 archive.qr.privateKey 中指定签名密钥。',
    },
    en: {
      message: 'The archive QR signing key needs this terminal’s data key, which is not configured',
      hint: 'Ask the administrator to set issuance.dataKey (or COUNTERDESK_DATA_KEY) so the key is stored encrypted, or to configure archive.qr.privateKey.',
    },
  },
  ARCHIVE_KEY_UNREADABLE: {
    zh: {
      message: '存档核验码签名密钥无法解密',
      hint: '请用原来的数据加密密钥启动本程序；密钥未被删除，已打印的副本仍可用公钥核验。',
    },
    en: {
      message: 'The archive QR signing key cannot be decrypted',
      hint: 'Start the app with the data key it was sealed with; the key is kept, and printed copies still verify with the public key.',
    },
  },
} as const satisfies ErrorCatalogue
