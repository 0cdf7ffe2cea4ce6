/**
 * Passport and exit-entry permit chip errors (ICAO Doc 9303), the CSCA trust store, and the
 * exit-entry document identity authentication platform (real-name / real-person checks).
 */
import type { ErrorCatalogue } from './types'

const retry = '请将证件资料页平放在读卡器上，保持不动后重试。'
const retryEn = 'Lay the data page flat on the reader, hold still and try again.'
const support = '请重试；仍不行请联系运维人员并提供日志。'
const supportEn = 'Try again; if it persists, contact support with the log.'

export const emrtdErrors = {
  EMRTD_TLV_MALFORMED: {
    zh: { message: '证件芯片数据格式错误（{reason}）', hint: retry },
    en: { message: 'Malformed chip data ({reason})', hint: retryEn },
  },
  EMRTD_ASN1_MALFORMED: {
    zh: { message: '证件芯片中的证书或签名数据格式错误（{reason}）', hint: support },
    en: { message: 'Malformed certificate or signature data ({reason})', hint: supportEn },
  },
  EMRTD_LDS_MALFORMED: {
    zh: { message: '证件芯片文件 {file} 无法解析（{reason}）', hint: retry },
    en: { message: 'Chip file {file} cannot be parsed ({reason})', hint: retryEn },
  },
  EMRTD_MRZ_INVALID: {
    zh: {
      message: '机读码有误：{reason}',
      hint: '请核对证件资料页底部的机读码，或改为手工输入证件号码、出生日期和有效期至。',
    },
    en: {
      message: 'The MRZ is invalid: {reason}',
      hint: 'Check the MRZ on the data page, or enter the number, birth and expiry dates by hand.',
    },
  },
  EMRTD_KEY_REQUIRED: {
    zh: {
      message: '读取证件芯片需要机读码或 CAN',
      hint: '请输入证件资料页底部的机读码，或证件号码、出生日期和有效期至。',
    },
    en: {
      message: 'The chip needs the MRZ or the CAN',
      hint: 'Enter the MRZ, or the document number, birth date and expiry date.',
    },
  },
  EMRTD_ACCESS_DENIED: {
    zh: {
      message: '证件芯片拒绝访问：输入的机读码信息与证件不符',
      hint: '请核对证件号码、出生日期和有效期至（或 CAN）后重新输入。',
    },
    en: {
      message: 'The chip refused access: the MRZ details do not match this document',
      hint: 'Check the document number, birth and expiry dates (or the CAN) and enter them again.',
    },
  },
  EMRTD_SM_MAC_FAILED: {
    zh: { message: '安全报文校验失败，芯片通信可能受到干扰', hint: retry },
    en: { message: 'Secure messaging check failed; the link may be disturbed', hint: retryEn },
  },
  EMRTD_SM_MALFORMED: {
    zh: { message: '芯片返回的安全报文格式错误（{reason}）', hint: retry },
    en: { message: 'Malformed secure-messaging response ({reason})', hint: retryEn },
  },
  EMRTD_CARD_STATUS: {
    zh: { message: '证件芯片返回错误（{command}：{sw}）', hint: retry },
    en: { message: 'The chip returned an error ({command}: {sw})', hint: retryEn },
  },
  EMRTD_NOT_EMRTD: {
    zh: {
      message: '读卡器上的卡片不是电子护照或出入境证件',
      hint: '请确认放置的是带芯片的护照或通行证；居民身份证请放在身份证阅读器上。',
    },
    en: {
      message: 'The card on the reader is not an e-passport or travel document',
      hint: 'Use a chip passport or permit; resident ID cards go on the ID card reader.',
    },
  },
  EMRTD_FILE_NOT_FOUND: {
    zh: { message: '证件芯片中缺少文件 {file}', hint: '该证件芯片可能不完整，请人工核验证件。' },
    en: {
      message: 'The chip has no file {file}',
      hint: 'The chip may be incomplete; inspect the document by hand.',
    },
  },
  EMRTD_CARD_REMOVED: {
    zh: { message: '读取过程中证件被移开', hint: '请将证件放回读卡器，读取完成前不要移动。' },
    en: {
      message: 'The document was moved away during reading',
      hint: 'Put it back and keep it still until reading completes.',
    },
  },
  EMRTD_TIMEOUT: {
    zh: { message: '证件芯片无响应', hint: retry },
    en: { message: 'The chip does not respond', hint: retryEn },
  },
  EMRTD_UNSUPPORTED: {
    zh: { message: '不支持的芯片协议：{what}', hint: '请人工核验证件，并告知运维人员。' },
    en: {
      message: 'Unsupported chip protocol: {what}',
      hint: 'Inspect the document by hand and tell support.',
    },
  },
  EMRTD_NO_READER: {
    zh: {
      message: '未连接非接触式读卡器',
      hint: '检查读卡器 USB 线是否插好，或在设置中选择读卡器。',
    },
    en: {
      message: 'No contactless reader connected',
      hint: 'Check the reader cable, or choose the reader in the settings.',
    },
  },
  EMRTD_PCSC_UNAVAILABLE: {
    zh: {
      message: '智能卡服务（PC/SC）不可用',
      hint: 'Windows 请启动 Smart Card 服务；Linux 请安装并启动 pcscd。',
    },
    en: {
      message: 'The smart card service (PC/SC) is not available',
      hint: 'Windows: start the Smart Card service; Linux: install and start pcscd.',
    },
  },
  EMRTD_PCSC_ERROR: {
    zh: { message: '读卡器通信错误（{code}）', hint: '请重新放置证件；仍不行请拔插读卡器。' },
    en: {
      message: 'Reader communication error ({code})',
      hint: 'Place the document again; if it persists, replug the reader.',
    },
  },
  EMRTD_FACE_UNDECODABLE: {
    zh: {
      message: '证件芯片中的照片无法显示（{reason}）',
      hint: '请对照证件资料页上的照片人工核验。',
    },
    en: {
      message: 'The chip photo cannot be shown ({reason})',
      hint: 'Compare with the photo on the data page.',
    },
  },
  EMRTD_CERT_INVALID: {
    zh: {
      message: '证书无法解析（{reason}）',
      hint: '请确认文件是 PEM/DER 证书或 ICAO 主列表（.ml）。',
    },
    en: {
      message: 'The certificate cannot be parsed ({reason})',
      hint: 'Use a PEM/DER certificate or an ICAO master list (.ml).',
    },
  },
  EMRTD_MASTER_LIST_INVALID: {
    zh: {
      message: 'ICAO 主列表无效：{reason}',
      hint: '请从 ICAO PKD 或签发国官方渠道重新下载主列表。',
    },
    en: {
      message: 'The ICAO master list is invalid: {reason}',
      hint: 'Download the master list again from the ICAO PKD or the issuing state.',
    },
  },
  EMRTD_NO_DOCUMENT: {
    zh: {
      message: '当前办事人不是通过护照或通行证芯片识别的',
      hint: '请先读取办事人的护照或通行证。',
    },
    en: {
      message: 'The current applicant was not identified by a passport or permit chip',
      hint: 'Read the applicant’s passport or permit first.',
    },
  },
  EMRTD_NOT_SIMULATED: {
    zh: { message: '当前没有模拟护照阅读器', hint: '仅培训模式提供模拟护照阅读器。' },
    en: {
      message: 'There is no simulated passport reader',
      hint: 'Only training mode has one.',
    },
  },
  EMRTD_UNKNOWN_TRAINING_DOCUMENT: {
    zh: { message: '没有编号为 {id} 的培训证件', hint: '从培训面板的列表中选择证件。' },
    en: { message: 'No training document {id}', hint: 'Pick one from the training panel.' },
  },
  REALNAME_NOT_CONFIGURED: {
    zh: {
      message: '未配置出入境证件身份认证服务',
      hint: '请管理员在配置文件 realname 一节填写服务地址和本单位证书。',
    },
    en: {
      message: 'The exit-entry identity authentication service is not configured',
      hint: 'Ask the administrator to set the realname section of the configuration.',
    },
  },
  REALNAME_OFFLINE: {
    zh: { message: '无法连接出入境证件身份认证服务', hint: '检查网络后重试，或按规定人工核验。' },
    en: {
      message: 'Cannot reach the identity authentication service',
      hint: 'Check the network and retry, or verify by hand as the rules allow.',
    },
  },
  REALNAME_TIMEOUT: {
    zh: { message: '出入境证件身份认证服务响应超时', hint: '稍候重试。' },
    en: { message: 'The identity authentication service timed out', hint: 'Retry shortly.' },
  },
  REALNAME_REJECTED: {
    zh: {
      message: '身份认证服务拒绝了请求：{reason}',
      hint: '请联系管理员检查本单位的接入证书与授权范围。',
    },
    en: {
      message: 'The authentication service refused the request: {reason}',
      hint: 'Ask the administrator to check the unit certificate and its authorised scope.',
    },
  },
  REALNAME_BAD_RESPONSE: {
    zh: { message: '身份认证服务返回的数据无法识别', hint: support },
    en: { message: 'The authentication service sent data that cannot be read', hint: supportEn },
  },
  REALNAME_PHOTO_INVALID: {
    zh: { message: '现场照片无效（{reason}）', hint: '请让办事人正对摄像头，重新拍照。' },
    en: {
      message: 'The live photo is not usable ({reason})',
      hint: 'Have the applicant face the camera and take the photo again.',
    },
  },
  REALNAME_CERT_INVALID: {
    zh: {
      message: '本单位证书或私钥无法使用（{reason}）',
      hint: '请管理员检查配置中的证书与私钥文件。',
    },
    en: {
      message: 'The unit certificate or key cannot be used ({reason})',
      hint: 'Ask the administrator to check the certificate and key files.',
    },
  },
} as const satisfies ErrorCatalogue
