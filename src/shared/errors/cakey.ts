/** CA keys (UKey through SKF or PKCS#11) and the certificates on them. */
import type { ErrorCatalogue } from './types'

const replug = '拔出证书后重新插入，再试一次；仍不行请联系运维人员。'
const replugEn = 'Pull the key out, insert it again and retry; if it persists, contact support.'
const askAdmin = '请联系管理员。'
const askAdminEn = 'Contact the administrator.'

export const cakeyErrors = {
  CAKEY_LIBRARY_LOAD_FAILED: {
    zh: {
      message: '无法加载 CA 证书驱动 {library}',
      hint: '检查配置中的驱动路径，并确认驱动与本程序位数（32/64 位）一致。',
    },
    en: {
      message: 'Cannot load the CA key driver {library}',
      hint: 'Check the driver path in the configuration and that it matches this program (32/64-bit).',
    },
  },
  CAKEY_LIBRARY_CALL_FAILED: {
    zh: { message: 'CA 证书驱动返回错误（{call}：{rv}）', hint: replug },
    en: { message: 'The CA key driver failed ({call}: {rv})', hint: replugEn },
  },
  CAKEY_NO_TOKEN: {
    zh: { message: '未检测到 CA 证书', hint: '请插入 CA 证书（UKey）。' },
    en: { message: 'No CA key detected', hint: 'Insert the CA key.' },
  },
  CAKEY_TOKEN_NOT_FOUND: {
    zh: { message: '找不到证书设备 {id}', hint: '证书可能已被拔出；重新插入后再试。' },
    en: { message: 'Key {id} not found', hint: 'It may have been pulled out; insert it again.' },
  },
  CAKEY_TOKEN_REMOVED: {
    zh: { message: '证书已被拔出，操作未完成', hint: '重新插入证书后再试。' },
    en: { message: 'The key was pulled out; nothing was done', hint: 'Insert the key and retry.' },
  },
  CAKEY_NO_CERTIFICATE: {
    zh: { message: '证书设备中没有可用的签名证书', hint: '请确认插入的是正确的 CA 证书。' },
    en: {
      message: 'The key holds no signing certificate',
      hint: 'Check that it is the right key.',
    },
  },
  CAKEY_PIN_INCORRECT: {
    zh: {
      message: 'PIN 码错误，还可尝试 {remaining} 次',
      hint: '请核对 PIN 码；次数用完后证书将被锁定，需到发证机构解锁。',
    },
    en: {
      message: 'Wrong PIN; {remaining} attempts left',
      hint: 'Check the PIN; when no attempts are left the key locks and the CA must unlock it.',
    },
  },
  CAKEY_PIN_INCORRECT_UNCOUNTED: {
    zh: { message: 'PIN 码错误', hint: '请核对 PIN 码后重试。' },
    en: { message: 'Wrong PIN', hint: 'Check the PIN and try again.' },
  },
  CAKEY_PIN_NOT_VERIFIED: {
    zh: {
      message: '证书未能核验 PIN 码，登录未完成',
      hint: '证书仍处于其他程序的登录状态：请关闭其他使用该证书的程序，拔出证书后重新插入再试。',
    },
    en: {
      message: 'The key did not check the PIN; nobody was signed in',
      hint: 'Another program keeps the key logged in: close it, pull the key out, insert it and retry.',
    },
  },
  CAKEY_PIN_LOCKED: {
    zh: {
      message: '证书 PIN 码已锁定',
      hint: '请持证书到发证机构（CA）或单位管理员处解锁，不要再尝试输入。',
    },
    en: {
      message: 'The key’s PIN is locked',
      hint: 'Take the key to the CA or the administrator to unlock it; do not try again.',
    },
  },
  CAKEY_PIN_FORMAT: {
    zh: { message: 'PIN 码长度不符合要求', hint: 'PIN 码一般为 6 至 16 位。' },
    en: { message: 'The PIN has the wrong length', hint: 'PINs are usually 6 to 16 characters.' },
  },
  CAKEY_SOFT_LOCKED: {
    zh: {
      message: '该证书在本终端连续输错 PIN 码，已暂停使用',
      hint: '请 {minutes} 分钟后再试，或联系管理员。',
    },
    en: {
      message: 'Too many wrong PINs for this key at this terminal',
      hint: 'Try again in {minutes} minutes or contact the administrator.',
    },
  },
  CAKEY_SIGN_FAILED: {
    zh: { message: '证书签名失败（{rv}）', hint: replug },
    en: { message: 'The key failed to sign ({rv})', hint: replugEn },
  },
  CAKEY_NOT_LOGGED_IN: {
    zh: { message: '证书尚未验证 PIN 码', hint: '请重新输入 PIN 码。' },
    en: { message: 'The key’s PIN has not been verified', hint: 'Enter the PIN again.' },
  },
  CAKEY_UNSUPPORTED_KEY: {
    zh: { message: '不支持的证书密钥类型（{algorithm}）', hint: askAdmin },
    en: { message: 'Unsupported key type ({algorithm})', hint: askAdminEn },
  },
  CAKEY_TIMEOUT: {
    zh: { message: '证书设备无响应', hint: replug },
    en: { message: 'The key does not respond', hint: replugEn },
  },
  CERT_MALFORMED: {
    zh: {
      message: '证书格式无法识别',
      hint: '请确认是 PEM 或 DER 格式的 X.509 证书；证书设备中的证书损坏时请联系发证机构。',
    },
    en: {
      message: 'The certificate cannot be read',
      hint: 'Use a PEM or DER X.509 certificate; if the key’s certificate is damaged, contact the CA.',
    },
  },
  CERT_FILE_UNREADABLE: {
    zh: { message: '无法读取证书文件 {file}', hint: '检查文件路径和权限。' },
    en: {
      message: 'Cannot read the certificate file {file}',
      hint: 'Check the path and permissions.',
    },
  },
  CERT_NO_IDENTITY: {
    zh: {
      message: '无法从证书中识别持有人身份',
      hint: '证书中没有可识别的公民身份号码或统一社会信用代码；请管理员配置证书字段映射（pki.identity）。',
    },
    en: {
      message: 'The certificate names no recognisable holder',
      hint: 'No citizen ID or USCC was found; the administrator can configure the mapping (pki.identity).',
    },
  },
  CERT_EXPIRED: {
    zh: { message: '证书已于 {date} 过期', hint: '请到发证机构办理证书更新。' },
    en: {
      message: 'The certificate expired on {date}',
      hint: 'Have the CA renew the certificate.',
    },
  },
  CERT_NOT_YET_VALID: {
    zh: { message: '证书尚未生效（{date} 起有效）', hint: '请检查本机日期和时间是否正确。' },
    en: {
      message: 'The certificate is not valid until {date}',
      hint: 'Check this computer’s date and time.',
    },
  },
  CERT_UNKNOWN_ISSUER: {
    zh: {
      message: '证书签发机构不受信任（{issuer}）',
      hint: '请管理员在配置中加入该 CA 的根证书（pki.roots）。',
    },
    en: {
      message: 'The certificate’s issuer is not trusted ({issuer})',
      hint: 'The administrator must add the CA’s root (pki.roots).',
    },
  },
  CERT_BAD_SIGNATURE: {
    zh: { message: '证书签名验证不通过', hint: '证书可能被篡改，请勿使用，并报告管理员。' },
    en: {
      message: 'The certificate’s signature does not verify',
      hint: 'It may have been tampered with: do not use it; report it.',
    },
  },
  CERT_NOT_CA: {
    zh: { message: '签发证书 {issuer} 不是 CA 证书', hint: askAdmin },
    en: { message: 'The issuing certificate {issuer} is not a CA', hint: askAdminEn },
  },
  CERT_PATH_TOO_LONG: {
    zh: {
      message: '证书链超出 {issuer} 允许的层级（最多 {limit} 级下级 CA）',
      hint: '该证书链不符合 CA 的约束，不能使用；' + askAdmin,
    },
    en: {
      message: 'The chain is longer than {issuer} allows (at most {limit} intermediate CAs)',
      hint: 'The chain breaks the CA’s constraint and cannot be used. ' + askAdminEn,
    },
  },
  CERT_KEY_USAGE: {
    zh: {
      message: '该证书不是签名证书（密钥用途：{usage}）',
      hint: '证书介质中可能同时有签名证书和加密证书；请确认插入的是正确的 CA 证书，或联系发证机构。',
    },
    en: {
      message: 'This is not a signing certificate (key usage: {usage})',
      hint: 'A key may hold a signing and an encryption certificate; check the key or contact the CA.',
    },
  },
  CERT_REVOKED: {
    zh: { message: '证书已于 {date} 被吊销', hint: '该证书不能再使用，请到发证机构办理。' },
    en: {
      message: 'The certificate was revoked on {date}',
      hint: 'It can no longer be used; see the CA.',
    },
  },
  CERT_CRL_MISSING: {
    zh: {
      message: '没有 {issuer} 的证书吊销列表（CRL）',
      hint: '请管理员将最新 CRL 文件放入吊销列表目录（pki.crlDir）。',
    },
    en: {
      message: 'No revocation list (CRL) from {issuer}',
      hint: 'The administrator must put the latest CRL in the CRL folder (pki.crlDir).',
    },
  },
  CERT_CRL_STALE: {
    zh: {
      message: '证书吊销列表已过期太久（应于 {date} 更新）',
      hint: '请管理员导入最新的 CRL 文件。',
    },
    en: {
      message: 'The revocation list is too old (due {date})',
      hint: 'The administrator must import the latest CRL.',
    },
  },
  CERT_CRL_INVALID: {
    zh: { message: '证书吊销列表无效：{reason}', hint: '请向发证机构重新获取 CRL 文件。' },
    en: {
      message: 'The revocation list is invalid: {reason}',
      hint: 'Get the CRL file again from the CA.',
    },
  },
  CERT_UNSUPPORTED_ALGORITHM: {
    zh: { message: '不支持的证书签名算法（{algorithm}）', hint: askAdmin },
    en: { message: 'Unsupported signature algorithm ({algorithm})', hint: askAdminEn },
  },
} as const satisfies ErrorCatalogue
