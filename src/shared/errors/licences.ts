/**
 * Licences at the window and the access log: scope refusals, files, QR codes, materials,
 * catalogue signatures, audit chain and retention.
 */
import type { ErrorCatalogue } from './types'

const support = '请联系运维人员，并提供日志。'
const supportEn = 'Contact support with the log.'

export const licencesErrors = {
  SCOPE_LICENCE_NOT_LISTED: {
    zh: {
      message: '该证照不在当前办事人本事项的查询结果中',
      hint: '只能查看为当前办事人、当前事项查询到的证照；请先按 F5 查询。',
    },
    en: {
      message: 'This licence is not among the results for this applicant and matter',
      hint: 'Only licences listed for the current applicant and matter can be opened; press F5 to query.',
    },
  },
  SCOPE_QR_OTHER_HOLDER: {
    zh: {
      message: '二维码对应的证照不属于当前办事人或当前事项',
      hint: '请核对出示二维码的人是否为当前办事人，且证照为本事项所需。',
    },
    en: {
      message: 'The QR code’s licence is not the current applicant’s, or not for this matter',
      hint: 'Check that the person showing the code is the applicant and the licence fits the matter.',
    },
  },
  ROLE_SUPERVISOR_REQUIRED: {
    zh: { message: '该操作仅限审核人员', hint: '请由审核人员使用本人 CA 证书登录后操作。' },
    en: {
      message: 'Only a supervisor may do this',
      hint: 'A supervisor must sign in with their own CA key.',
    },
  },
  ROLE_ADMIN_REQUIRED: {
    zh: { message: '该操作仅限管理员', hint: '请由管理员使用本人 CA 证书登录后操作。' },
    en: {
      message: 'Only an administrator may do this',
      hint: 'An administrator must sign in with their own CA key.',
    },
  },
  MANUAL_HOLDER_INVALID: {
    zh: {
      message: '手工录入的证件号码无效：{problem}',
      hint: '核对号码及持证主体类型后重新录入。',
    },
    en: {
      message: 'The number typed in is invalid: {problem}',
      hint: 'Check the number and the holder type, then enter it again.',
    },
  },
  LICENCE_FILE_UNAVAILABLE: {
    zh: { message: '电子证照库没有该证照的文件', hint: '可先依据照面信息核对，并告知颁发机构。' },
    en: {
      message: 'The library has no file for this licence',
      hint: 'Check the face data meanwhile and tell the issuer.',
    },
  },
  LICENCE_FILE_INVALID: {
    zh: {
      message: '证照文件已损坏或格式不符（{problem}）',
      hint: '该文件不能作为材料；请重新获取，仍不行请联系颁发机构。',
    },
    en: {
      message: 'The licence file is damaged or not what it claims ({problem})',
      hint: 'It cannot be used as material; fetch it again, then contact the issuer.',
    },
  },
  LICENCE_FILE_TOO_LARGE: {
    zh: { message: '证照文件过大（超过 {limit} MB），已拒收', hint: support },
    en: {
      message: 'The licence file is too large (over {limit} MB) and was refused',
      hint: supportEn,
    },
  },
  LICENCE_FILE_MISMATCH: {
    zh: {
      message: '证照文件与证照库给出的摘要不一致',
      hint: '文件可能在传输中被改动；请重新获取，仍不一致请联系运维人员。',
    },
    en: {
      message: 'The licence file does not match the digest the library gave',
      hint: 'It may have been altered in transit; fetch it again, then contact support.',
    },
  },
  LICENCE_NOT_USABLE: {
    zh: {
      message: '以下证照不能作为申请材料：{licences}',
      hint: '已吊销、注销、过期、签章异常或与证照库记录不符的证照不得作为有效材料；请取消选择。',
    },
    en: {
      message: 'These licences cannot be used as materials: {licences}',
      hint: 'Revoked, cancelled, expired, badly sealed licences and those the library does not recognise are not valid material; deselect them.',
    },
  },
  ATTACH_EXPORT_FAILED: {
    zh: {
      message: '申请材料导出失败',
      hint: '检查导出目录的磁盘空间和权限后重试；未生成任何记录。',
    },
    en: {
      message: 'Exporting the materials failed',
      hint: 'Check space and permissions of the export folder and retry; nothing was recorded.',
    },
  },
  COPY_WRITE_FAILED: {
    zh: { message: '加注件保存失败', hint: '检查导出目录的磁盘空间和权限后重试。' },
    en: {
      message: 'Saving the annotated copy failed',
      hint: 'Check space and permissions of the export folder and retry.',
    },
  },
  LICENCE_QR_INVALID: {
    zh: { message: '无法识别的证照二维码', hint: '请重新扫描；手工输入时请完整输入二维码内容。' },
    en: {
      message: 'Unrecognised licence QR code',
      hint: 'Scan again; when typing, enter the whole content.',
    },
  },
  LICENCE_QR_EXPIRED: {
    zh: { message: '证照二维码已过期', hint: '请办事人在手机上刷新二维码后重新出示。' },
    en: {
      message: 'The licence QR code has expired',
      hint: 'Ask the applicant to refresh the code on their phone.',
    },
  },
  LICENCE_QR_NOT_FOUND: {
    zh: {
      message: '电子证照库中没有该二维码对应的证照',
      hint: '请核对证照真伪，必要时联系颁发机构。',
    },
    en: {
      message: 'The library knows no licence for this QR code',
      hint: 'Check the licence’s authenticity; contact the issuer if needed.',
    },
  },
  CATALOGUE_UNSIGNED: {
    zh: {
      message: '事项目录文件未签名',
      hint: '正式环境只接受经签名的事项目录；请向上级索取签名文件。',
    },
    en: {
      message: 'The matter catalogue file is not signed',
      hint: 'Production accepts signed catalogues only; ask for the signed file.',
    },
  },
  CATALOGUE_SIGNATURE_INVALID: {
    zh: {
      message: '事项目录签名验证失败，文件可能被改动',
      hint: '不要使用该文件；请重新索取签名文件。',
    },
    en: {
      message: 'The catalogue signature does not verify; the file may have been changed',
      hint: 'Do not use it; ask for the signed file again.',
    },
  },
  CATALOGUE_UNTRUSTED_SIGNER: {
    zh: {
      message: '事项目录的签名者不受本终端信任（{signer}）',
      hint: '请管理员核对 catalogue.trustedKeys 配置。',
    },
    en: {
      message: 'The catalogue signer is not trusted by this terminal ({signer})',
      hint: 'An administrator should check catalogue.trustedKeys.',
    },
  },
  AUDIT_WRITE_FAILED: {
    zh: {
      message: '访问日志写入失败，本次操作已取消',
      hint: '按规定每次查询都必须留痕；检查磁盘空间后重试，仍不行请联系运维人员。',
    },
    en: {
      message: 'Writing the access log failed; the operation was cancelled',
      hint: 'Every access must be logged; check disk space and retry, then contact support.',
    },
  },
  AUDIT_RETENTION: {
    zh: {
      message: '访问日志须保存至少 {years} 年，{cutoff} 之后的记录不能删除',
      hint: '只能清理超过保存期限的记录。',
    },
    en: {
      message:
        'Access logs are kept at least {years} years; entries after {cutoff} cannot be deleted',
      hint: 'Only entries past the retention period may be removed.',
    },
  },
  AUDIT_CHAIN_BROKEN: {
    zh: {
      message: '访问日志链校验失败：第 {seq} 条（{at}）{problem}',
      hint: '日志可能被篡改或删除；请保全数据库文件并报告安全管理员。',
    },
    en: {
      message: 'Access log chain broken at entry {seq} ({at}): {problem}',
      hint: 'The log may have been altered; preserve the database file and report it.',
    },
  },
  AUDIT_DB_UNAVAILABLE: {
    zh: {
      message: '无法打开访问日志数据库（{file}）',
      hint: '用 --db 指定数据库文件，或检查文件路径与权限。',
    },
    en: {
      message: 'Cannot open the access-log database ({file})',
      hint: 'Name the database with --db, or check its path and permissions.',
    },
  },
  AUDIT_EXPORT_FAILED: {
    zh: { message: '访问日志导出失败', hint: '检查导出目录的磁盘空间和权限后重试。' },
    en: {
      message: 'Exporting the access log failed',
      hint: 'Check space and permissions of the export folder and retry.',
    },
  },
} as const satisfies ErrorCatalogue
