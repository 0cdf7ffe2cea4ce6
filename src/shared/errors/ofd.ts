/** OFD documents: reading the package, rendering, seals, and writing licence files. */
import type { ErrorCatalogue } from './types'

const askIssuer = '请让发证机关重新提供该证照文件。'
const askIssuerEn = 'Ask the issuing authority for the licence file again.'
const callSupport = '请联系运维人员，并提供日志。'
const callSupportEn = 'Contact support with the log.'

export const ofdErrors = {
  OFD_FILE_UNREADABLE: {
    zh: { message: '无法读取证照文件 {file}', hint: '检查文件是否存在、是否有读取权限。' },
    en: {
      message: 'Cannot read the licence file {file}',
      hint: 'Check that the file exists and can be read.',
    },
  },
  OFD_OUTPUT_UNWRITABLE: {
    zh: { message: '无法写入文件 {file}', hint: '检查目标目录是否存在、是否有写入权限。' },
    en: {
      message: 'Cannot write the file {file}',
      hint: 'Check that the folder exists and can be written to.',
    },
  },
  OFD_NOT_OFD: {
    zh: { message: '该文件不是 OFD 版式文件', hint: askIssuer },
    en: { message: 'This file is not an OFD document', hint: askIssuerEn },
  },
  OFD_ZIP_CORRUPT: {
    zh: { message: 'OFD 文件已损坏（{reason}）', hint: askIssuer },
    en: { message: 'The OFD file is damaged ({reason})', hint: askIssuerEn },
  },
  OFD_ZIP_UNSAFE: {
    zh: {
      message: 'OFD 文件结构异常，已拒绝打开（{reason}）',
      hint: '该文件可能被篡改或构造恶意内容，请勿使用，并告知运维人员。',
    },
    en: {
      message: 'The OFD file was refused as unsafe ({reason})',
      hint: 'The file may have been tampered with; do not use it and tell support.',
    },
  },
  OFD_ZIP_UNSUPPORTED: {
    zh: { message: 'OFD 文件使用了不支持的压缩方式（{reason}）', hint: askIssuer },
    en: { message: 'The OFD file uses an unsupported packing ({reason})', hint: askIssuerEn },
  },
  OFD_PART_MISSING: {
    zh: { message: 'OFD 文件缺少必要部分：{part}', hint: askIssuer },
    en: { message: 'The OFD file lacks a required part: {part}', hint: askIssuerEn },
  },
  OFD_XML_MALFORMED: {
    zh: { message: 'OFD 文件内容格式错误（{part}：{reason}）', hint: askIssuer },
    en: { message: 'The OFD file has malformed content ({part}: {reason})', hint: askIssuerEn },
  },
  OFD_XML_FORBIDDEN: {
    zh: {
      message: 'OFD 文件含有不允许的 XML 声明（{part}）',
      hint: '该文件可能含有恶意内容，请勿使用，并告知运维人员。',
    },
    en: {
      message: 'The OFD file contains a forbidden XML declaration ({part})',
      hint: 'The file may be hostile; do not use it and tell support.',
    },
  },
  OFD_STRUCTURE_INVALID: {
    zh: { message: 'OFD 文件结构错误（{part}：{reason}）', hint: askIssuer },
    en: { message: 'The OFD file is malformed ({part}: {reason})', hint: askIssuerEn },
  },
  OFD_LIMIT_EXCEEDED: {
    zh: {
      message: 'OFD 文件超出处理上限（{what}）',
      hint: '该文件过大或结构异常；如确属正常证照，请联系运维人员。',
    },
    en: {
      message: 'The OFD file exceeds a processing limit ({what})',
      hint: 'The file is too large or malformed; if it is a genuine licence, contact support.',
    },
  },
  OFD_PAGE_OUT_OF_RANGE: {
    zh: { message: '该文件没有第 {page} 页（共 {count} 页）', hint: '请选择存在的页码。' },
    en: {
      message: 'There is no page {page} (the document has {count})',
      hint: 'Choose an existing page.',
    },
  },
  OFD_IMAGE_UNSUPPORTED: {
    zh: { message: '不支持的图像格式（{format}）', hint: askIssuer },
    en: { message: 'Unsupported image format ({format})', hint: askIssuerEn },
  },
  OFD_IMAGE_CORRUPT: {
    zh: { message: '图像数据已损坏（{reason}）', hint: askIssuer },
    en: { message: 'The image data is damaged ({reason})', hint: askIssuerEn },
  },
  OFD_FONT_CORRUPT: {
    zh: { message: '字体数据无法读取（{font}）', hint: askIssuer },
    en: { message: 'The font cannot be read ({font})', hint: askIssuerEn },
  },
  OFD_FONTS_MISSING: {
    zh: {
      message: '找不到程序自带的字体文件（{file}）',
      hint: '请重新安装 CounterDesk；程序目录中的 resources/fonts 不可删除。',
    },
    en: {
      message: 'A bundled font is missing ({file})',
      hint: 'Reinstall CounterDesk; resources/fonts must not be removed.',
    },
  },
  OFD_ASN1_MALFORMED: {
    zh: { message: '签章数据格式错误（{reason}）', hint: askIssuer },
    en: { message: 'The signature data is malformed ({reason})', hint: askIssuerEn },
  },
  OFD_CERT_MALFORMED: {
    zh: { message: '数字证书格式错误（{reason}）', hint: '请检查证书文件或 CA 证书介质。' },
    en: {
      message: 'The certificate is malformed ({reason})',
      hint: 'Check the certificate file or the CA key.',
    },
  },
  OFD_SEAL_INVALID: {
    zh: { message: '电子印章不可用（{reason}）', hint: '请联系制章机构核对电子印章。' },
    en: {
      message: 'The electronic seal cannot be used ({reason})',
      hint: 'Ask the seal maker to check the seal.',
    },
  },
  OFD_SIGNER_FAILED: {
    zh: {
      message: '签章失败：{reason}',
      hint: '检查 CA 证书介质是否插好、口令是否正确，然后重试。',
    },
    en: {
      message: 'Signing failed: {reason}',
      hint: 'Check the CA key is inserted and the PIN is right, then try again.',
    },
  },
  OFD_SIGNER_MISMATCH: {
    zh: {
      message: '签章证书与电子印章不匹配',
      hint: '请使用该印章登记的签章人证书，或联系制章机构。',
    },
    en: {
      message: 'The signing certificate does not belong to the seal',
      hint: 'Use the certificate registered with the seal, or ask the seal maker.',
    },
  },
  OFD_TEMPLATE_INVALID: {
    zh: { message: '证照模板 {template} 有误：{reason}', hint: '请联系管理员修正证照模板。' },
    en: {
      message: 'Licence template {template} is invalid: {reason}',
      hint: 'Ask the administrator to fix the template.',
    },
  },
  OFD_TEMPLATE_UNKNOWN: {
    zh: { message: '没有名为 {template} 的证照模板', hint: '请联系管理员安装该证照模板。' },
    en: {
      message: 'No licence template named {template}',
      hint: 'Ask the administrator to install the template.',
    },
  },
  OFD_FIELD_MISSING: {
    zh: { message: '证照字段“{field}”未填写', hint: '请补全该字段后重新生成。' },
    en: { message: 'Licence field "{field}" is empty', hint: 'Fill it in and generate again.' },
  },
  OFD_FIELD_TOO_LONG: {
    zh: {
      message: '证照字段“{field}”内容过长，超出版面',
      hint: '请精简该字段内容，或联系管理员调整模板。',
    },
    en: {
      message: 'Licence field "{field}" does not fit on the page',
      hint: 'Shorten it, or ask the administrator to adjust the template.',
    },
  },
  OFD_GLYPH_MISSING: {
    zh: {
      message: '字库中没有字符“{char}”（{field}）',
      hint: '请确认该字是否正确；生僻字请联系管理员配置扩展字库。',
    },
    en: {
      message: 'No font has the character "{char}" ({field})',
      hint: 'Check the character; for rare characters ask the administrator to add a font.',
    },
  },
  OFD_RASTER_UNAVAILABLE: {
    zh: { message: '本机无法生成证照图片', hint: callSupport },
    en: { message: 'This computer cannot rasterise licence pages', hint: callSupportEn },
  },
} as const satisfies ErrorCatalogue
