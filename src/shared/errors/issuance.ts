/** Issuing licences at the window and changing their status. */
import type { ErrorCatalogue } from './types'

export const issuanceErrors = {
  ISSUANCE_FORBIDDEN: {
    zh: { message: '当前账号无权签发或变更证照', hint: '请由窗口人员或审核人员登录后办理。' },
    en: {
      message: 'Your role may not issue or change licences',
      hint: 'A clerk or supervisor must sign in to do this.',
    },
  },
  ISSUANCE_UNKNOWN_TYPE: {
    zh: {
      message: '证照目录中没有类型 {type}',
      hint: '请更新证照目录（前置机 HN_catalog_release）后重试。',
    },
    en: {
      message: 'No licence type {type} in the catalogue',
      hint: 'Update the licence catalogue from the front-end processor and try again.',
    },
  },
  ISSUANCE_CATALOGUE_EMPTY: {
    zh: { message: '本机没有可用的证照目录', hint: '联网后同步证照目录，或由管理员导入。' },
    en: {
      message: 'No licence catalogue on this terminal',
      hint: 'Go online to fetch the catalogue, or ask the administrator to load it.',
    },
  },
  ISSUANCE_HOLDER_TYPE: {
    zh: {
      message: '{type}不能签发给{holderType}持证主体',
      hint: '核对办事人类型：个人证照读取身份证件，企业证照插入企业 CA 证书。',
    },
    en: {
      message: '{type} cannot be issued to a holder identified by {holderType}',
      hint: 'Check the applicant: ID documents for persons, the CA key for enterprises.',
    },
  },
  ISSUANCE_INVALID_FIELDS: {
    zh: { message: '有 {count} 项照面信息不符合要求', hint: '按红色提示改正后再预览。' },
    en: {
      message: '{count} face fields need correcting',
      hint: 'Correct the fields marked in red, then preview again.',
    },
  },
  ISSUANCE_BULK_EMPTY: {
    zh: { message: '批量签发清单为空', hint: '请选择至少包含一行证照数据的清单。' },
    en: {
      message: 'The bulk issuance list is empty',
      hint: 'Choose a list with at least one row.',
    },
  },
  ISSUANCE_BULK_SUPERVISOR_ONLY: {
    zh: {
      message: '批量签发仅限审核人员办理',
      hint: '批量清单中的持证主体未在窗口核验身份，须由审核人员登录后导入并签发。',
    },
    en: {
      message: 'Only supervisors may issue in bulk',
      hint: 'The holders of a bulk list were not identified at the window; a supervisor must sign in.',
    },
  },
  ISSUANCE_BULK_FILE_TOO_LARGE: {
    zh: {
      message: '批量清单文件过大（{size} MB，上限 {max} MB）',
      hint: '请把清单拆成几个文件分批导入。',
    },
    en: {
      message: 'The bulk list file is too large ({size} MB, limit {max} MB)',
      hint: 'Split the list into several files and import them one by one.',
    },
  },
  ISSUANCE_BULK_TOO_MANY_ROWS: {
    zh: { message: '批量清单超过 {max} 行', hint: '请把清单拆成几个文件分批导入。' },
    en: {
      message: 'The bulk list has more than {max} rows',
      hint: 'Split the list into several files and import them one by one.',
    },
  },
  ISSUANCE_BULK_TOO_MANY_COLUMNS: {
    zh: {
      message: '批量清单第 {row} 行超过 {max} 列',
      hint: '请只保留表头所列的列；检查是否选错了文件。',
    },
    en: {
      message: 'Row {row} of the bulk list has more than {max} columns',
      hint: 'Keep only the columns of the header; check that this is the right file.',
    },
  },
  ISSUANCE_BULK_CELL_TOO_LONG: {
    zh: {
      message: '批量清单第 {row} 行第 {column} 列超过 {max} 个字',
      hint: '检查该单元格，或是否有未配对的引号把多行并成了一格。',
    },
    en: {
      message: 'Row {row}, column {column} of the bulk list is longer than {max} characters',
      hint: 'Check that cell, or an unpaired quote that ran several rows into one.',
    },
  },
  ISSUANCE_BULK_NOT_CSV: {
    zh: {
      message: '所选文件不是 CSV 文本文件（看起来是{kind}）',
      hint: '请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后再导入。',
    },
    en: {
      message: 'The file is not a CSV text file (it looks like {kind})',
      hint: 'In Excel, “Save As” “CSV UTF-8 (Comma delimited)” or “CSV (Comma delimited)”, then import.',
    },
  },
  ISSUANCE_BULK_ENCODING: {
    zh: {
      message: '无法识别批量清单的文字编码（{found}）',
      hint: '只接受 UTF-8 或 GB18030/GBK 编码的 CSV；请用 Excel 另存为“CSV UTF-8（逗号分隔）”。',
    },
    en: {
      message: 'The encoding of the bulk list is not recognised ({found})',
      hint: 'Only UTF-8 or GB18030/GBK CSV is accepted; save it from Excel as “CSV UTF-8”.',
    },
  },
  ISSUANCE_BULK_CSV_MALFORMED: {
    zh: {
      message: '批量清单第 {row} 行格式有误：{problem}',
      hint: '请在 Excel 中打开并重新另存为 CSV。',
    },
    en: {
      message: 'Row {row} of the bulk list is malformed: {problem}',
      hint: 'Open it in Excel and save it as CSV again.',
    },
  },
  ISSUANCE_BULK_NOT_FOUND: {
    zh: { message: '本机没有批次 {batch}', hint: '核对批次号；批次只在导入它的终端上。' },
    en: {
      message: 'No batch {batch} on this terminal',
      hint: 'Check the batch number; a batch lives on the terminal that imported it.',
    },
  },
  ISSUANCE_BULK_RUNNING: {
    zh: {
      message: '批次 {batch} 正在签发中',
      hint: '等待其完成，或先取消它；同一时间只能签发一个批次。',
    },
    en: {
      message: 'Batch {batch} is being issued',
      hint: 'Wait for it or cancel it first; one batch is issued at a time.',
    },
  },
  ISSUANCE_BULK_NOT_RESUMABLE: {
    zh: { message: '该批次已{state}，不能继续签发', hint: '如需再次签发，请重新导入清单。' },
    en: {
      message: 'The batch is {state} and cannot be continued',
      hint: 'Import the list again to issue it anew.',
    },
  },
  ISSUANCE_BULK_TRAINING_ONLY: {
    zh: {
      message: '命令行批量签发只能在培训模式下使用',
      hint: '正式签发请由审核人员在“证照签发—批量签发”中办理。',
    },
    en: {
      message: 'Bulk issuing from the command line is for training mode only',
      hint: 'A supervisor issues real batches in the Issue licences view, bulk mode.',
    },
  },
  ISSUANCE_VALIDITY_INVALID: {
    zh: { message: '有效期有误：{problem}', hint: '有效期截止应晚于起始日期，或为“长期”。' },
    en: {
      message: 'The validity is wrong: {problem}',
      hint: 'The end must be after the start, or long-term.',
    },
  },
  ISSUANCE_DOCUMENT_FAILED: {
    zh: {
      message: '生成电子证照文件失败：{reason}',
      hint: '核对照面信息后重试；仍失败请联系运维人员。',
    },
    en: {
      message: 'Generating the licence file failed: {reason}',
      hint: 'Check the face data and try again; then contact support.',
    },
  },
  ISSUANCE_DOCUMENT_TOO_LARGE: {
    zh: { message: '电子证照文件过大（{size} MB）', hint: '请联系运维人员检查证照模板。' },
    en: {
      message: 'The licence file is too large ({size} MB)',
      hint: 'Ask support to check the licence template.',
    },
  },
  ISSUANCE_SIGNER_UNAVAILABLE: {
    zh: {
      message: '签章密钥不可用：{reason}',
      hint: '插入单位电子印章 Key 并输入口令；培训模式请选择培训印章。',
    },
    en: {
      message: 'The seal key is not available: {reason}',
      hint: "Insert the unit's seal key and enter its PIN; in training, choose the training seal.",
    },
  },
  ISSUANCE_PIN_REQUIRED: {
    zh: { message: '请输入单位电子印章 Key 的口令', hint: '口令只用于本次签章，不会保存。' },
    en: {
      message: "Enter the PIN of the unit's seal key",
      hint: 'The PIN is used for this signature only and is not stored.',
    },
  },
  ISSUANCE_SIGNATURE_MISMATCH: {
    zh: { message: '签章后的文件与预览的文件不一致', hint: '未签发。请重新预览后再签章。' },
    en: {
      message: 'The signed file does not match the previewed one',
      hint: 'Nothing was issued. Preview again, then sign.',
    },
  },
  ISSUANCE_DRAFT_EXPIRED: {
    zh: { message: '预览已失效', hint: '办事人已变更或预览超过 15 分钟，请重新预览。' },
    en: {
      message: 'The preview has expired',
      hint: 'The applicant changed or 15 minutes passed; preview again.',
    },
  },
  ISSUANCE_NO_DATA_KEY: {
    zh: {
      message: '未配置本机数据加密密钥',
      hint: '请管理员设置 COUNTERDESK_DATA_KEY 环境变量或配置项 issuance.dataKey（32 字节，base64）。',
    },
    en: {
      message: 'No data encryption key is configured',
      hint: 'Set COUNTERDESK_DATA_KEY or issuance.dataKey (32 bytes, base64).',
    },
  },
  ISSUANCE_DATA_KEY_INVALID: {
    zh: { message: '数据加密密钥格式有误', hint: '应为 32 字节密钥的 base64 编码（44 个字符）。' },
    en: {
      message: 'The data encryption key is malformed',
      hint: 'It must be a 32-byte key in base64 (44 characters).',
    },
  },
  ISSUANCE_LICENCE_NOT_FOUND: {
    zh: { message: '本机没有标识为 {identifier} 的签发记录', hint: '只能变更本窗口签发的证照。' },
    en: {
      message: 'No licence {identifier} was issued here',
      hint: 'Only licences issued at this window can be changed here.',
    },
  },
  ISSUANCE_STATUS_NOT_ALLOWED: {
    zh: {
      message: '“{status}”状态的证照不能{action}',
      hint: '注销、吊销、废止后的证照不能再变更。',
    },
    en: {
      message: 'A licence in status "{status}" cannot be changed by {action}',
      hint: 'Cancelled, revoked and abolished licences are final.',
    },
  },
  ISSUANCE_RENEW_NEEDS_DATE: {
    zh: {
      message: '延续必须填写新的有效期截止日期',
      hint: '新截止日期应晚于原截止日期，或选择“长期”。',
    },
    en: {
      message: 'Renewal needs a new validity end',
      hint: 'It must be later than the current end, or long-term.',
    },
  },
  ISSUANCE_SERIAL_EXHAUSTED: {
    zh: { message: '本终端的证照流水号已用尽', hint: '请联系运维人员。' },
    en: { message: "This terminal's serial numbers are exhausted", hint: 'Contact support.' },
  },
} as const satisfies ErrorCatalogue
