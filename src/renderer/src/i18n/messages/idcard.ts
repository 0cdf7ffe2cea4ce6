/** The ID card reader's strings: the holder panel per card type and the photo area. */
export const idcardMessages = {
  'idcard.reading': ['正在读卡，请勿移动证件…', 'Reading the card — keep it still…'],
  'idcard.cardNumber.I': ['永久居留证号码', 'Card number'],
  'idcard.cardNumber.Y': ['永久居留证号码', 'Card number'],
  'idcard.appendedAddress': ['最新住址', 'Current address'],
  'idcard.appendedAddressNote': [
    '证件芯片中登记的迁移后住址，以此为准',
    'The address registered on the chip after a move; this one is current',
  ],
  'idcard.fingerprints': ['指纹信息', 'Fingerprints'],
  'idcard.fingerprints.0': ['未采集', 'none on the card'],
  'idcard.fingerprints.1': ['已采集 1 枚', '1 on the card'],
  'idcard.fingerprints.2': ['已采集 2 枚', '2 on the card'],
  'idcard.cardVersion': ['证件版本', 'Card version'],
  'idcard.authorityCode': ['机关代码', 'Office code'],
  'idcard.renewalCount': ['换证次数', 'Renewals'],
  'idcard.previousNumber': ['原证件号码', 'Previous card number'],
  'idcard.photo.alt': ['证件照片', 'Card photo'],
  'idcard.photo.none': ['证件中没有照片', 'No photo on the card'],
  'idcard.photo.broken': ['照片数据损坏', 'Photo data damaged'],
  'idcard.photo.compare': ['请核对本人与照片', 'Compare the person with the photo'],
} as const satisfies Record<string, readonly [string, string]>
