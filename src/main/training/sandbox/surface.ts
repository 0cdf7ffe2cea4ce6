/**
 * The sandbox licences' face data (照面信息): the fields a clerk reads off each type of licence,
 * filled from the licence's metadata with fictional, consistent values.
 */
import type { WireLicence } from '../../licences'

type Face = WireLicence['surfaceData']

const F = (name: string, value: string) => ({ name, value })

export function surfaceFor(l: Omit<WireLicence, 'surfaceData'>): Face {
  const end = l.validEnd
  switch (l.licenseTypeName) {
    case '居民户口簿':
      return [
        F('户主姓名', l.holderName),
        F('户别', '家庭户'),
        F('户号', l.licenseNumber),
        F('住址', '河南省郑州市金水区花园路38号院'),
        F('登记机关', l.issueOrgName),
        F('签发日期', l.issueDate),
      ]
    case '结婚证':
      return [
        F('持证人', l.holderName),
        F('登记日期', l.issueDate),
        F('结婚证字号', l.licenseNumber),
        F('登记机关', l.issueOrgName),
      ]
    case '不动产权证书':
      return [
        F('权利人', l.holderName),
        F('共有情况', '单独所有'),
        F('坐落', '郑州市金水区经三路12号院3号楼2单元801'),
        F('不动产单元号', `410105 003002 GB00123 F000${l.licenseNumber.slice(-4)}`),
        F('权利类型', '国有建设用地使用权/房屋所有权'),
        F('用途', '城镇住宅用地/住宅'),
        F('面积', '共有宗地面积 5012.3㎡ / 房屋建筑面积 98.62㎡'),
        F('使用期限', `${l.validBegin} 起 ${end} 止`),
      ]
    case '机动车驾驶证':
      return [
        F('姓名', l.holderName),
        F('证号', l.licenseNumber),
        F('准驾车型', 'C1'),
        F('初次领证日期', l.issueDate),
        F('有效期限', `${l.validBegin} 至 ${end}`),
      ]
    case '营业执照':
      return [
        F('名称', l.holderName),
        F('统一社会信用代码', l.licenseNumber),
        F(
          '类型',
          l.holderIdentityNum.startsWith('92') ? '个体工商户' : '有限责任公司（自然人投资或控股）',
        ),
        F('住所', '河南省郑州市金水区文化路87号'),
        F('成立日期', l.issueDate),
        F('营业期限', end === '长期' ? '长期' : `${l.validBegin} 至 ${end}`),
        F('经营范围', '餐饮服务；食品销售（依法须经批准的项目，经相关部门批准后方可开展经营活动）'),
      ]
    case '食品经营许可证':
      return [
        F('经营者名称', l.holderName),
        F('许可证编号', l.licenseNumber),
        F('主体业态', '餐饮服务经营者（中型餐馆）'),
        F('经营项目', '热食类食品制售'),
        F('经营场所', '河南省郑州市金水区文化路87号1层'),
        F('有效期至', end),
      ]
    case '出生医学证明':
      return [
        F('新生儿姓名', l.holderName),
        F('出生时间', `${l.issueDate} 08时16分`),
        F('出生地点', '河南省郑州市'),
        F('助产机构', l.issueOrgName),
        F('出生证编号', l.licenseNumber),
      ]
    case '中华人民共和国残疾人证':
      return [
        F('姓名', l.holderName),
        F('残疾人证号', l.licenseNumber),
        F('残疾类别', '肢体'),
        F('残疾等级', '二级'),
        F('有效期至', end),
      ]
    default:
      return [F('持证主体', l.holderName), F('证照编号', l.licenseNumber)]
  }
}
