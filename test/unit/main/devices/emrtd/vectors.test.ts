/**
 * Every worked example in the reference (Doc 9303 Part 11, Appendices D and G), byte for byte.
 */
import { describe, expect, it } from 'vitest'
import { bytesToBigInt, curveByName, digest } from '../../../../../src/main/crypto'
import {
  authenticationToken,
  bacAuthenticationData,
  bacKeys,
  bacSessionKeys,
  decodeCommand,
  decryptNonce,
  deriveSessionKeys,
  ecGroup,
  encodeCommand,
  fromHex,
  genericMapping,
  hex,
  integratedMapping,
  mrzPassword,
  mseSetAtData,
  parseCardAccess,
  parseResponse,
  passwordKey,
  pseudoRandom,
  SecureMessaging,
  tdesCipher,
  type PaceInfo,
} from '../../../../../src/main/devices/emrtd'

describe('BAC (Appendix D.2, D.3)', () => {
  const keys = bacKeys('L898902C<369080619406236')
  const rndIc = fromHex('4608F91988702212')
  const rndIfd = fromHex('781723860C06C226')
  const kIfd = fromHex('0B795240CB7049B01C19B33E32804F0B')

  it('derives Kseed, Kenc and Kmac from the MRZ information', () => {
    expect(hex(keys.kseed)).toBe('239AB9CB282DAF66231DC5A4DF6BFBAE')
    expect(hex(keys.kenc)).toBe('AB94FDECF2674FDFB9B391F85D7F76F2')
    expect(hex(keys.kmac)).toBe('7962D9ECE03D1ACD4C76089DCE131543')
  })

  it('builds E.IFD ‖ M.IFD for EXTERNAL AUTHENTICATE', () => {
    expect(hex(bacAuthenticationData(keys, rndIc, rndIfd, kIfd))).toBe(
      '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2' + '5F1448EEA8AD90A7',
    )
  })

  it('checks the chip response and derives KSenc, KSmac and the SSC', () => {
    const response = fromHex(
      '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449',
    )
    const s = bacSessionKeys(keys, response, rndIc, rndIfd, kIfd)
    expect(hex(s.ksEnc)).toBe('979EC13B1CBFE9DCD01AB0FED307EAE5')
    expect(hex(s.ksMac)).toBe('F1CB1F1FB5ADF208806B89DC579DC1F8')
    expect(hex(s.ssc)).toBe('887022120C06C226')
  })

  it('refuses a chip response with a wrong MAC or foreign nonces as access denied', () => {
    const response = fromHex(
      '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449',
    )
    const badMac = response.slice()
    badMac[39]! ^= 1
    expect(() => bacSessionKeys(keys, badMac, rndIc, rndIfd, kIfd)).toThrow(
      expect.objectContaining({ code: 'EMRTD_ACCESS_DENIED' }),
    )
    expect(() => bacSessionKeys(keys, response, rndIfd, rndIc, kIfd)).toThrow(
      expect.objectContaining({ code: 'EMRTD_ACCESS_DENIED' }),
    )
  })
})

describe('Secure messaging (Appendix D.4)', () => {
  const sm = () =>
    new SecureMessaging(
      tdesCipher(
        fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'),
        fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8'),
      ),
      fromHex('887022120C06C226'),
    )

  it('protects SELECT EF.COM, READ BINARY 4 and READ BINARY 18 and unwraps their answers', () => {
    const s = sm()
    const select = s.wrap({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') })
    expect(hex(encodeCommand(select))).toBe(
      '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800',
    )
    const r1 = s.unwrap(parseResponse(fromHex('990290008E08FA855A5D4C50A8ED9000')))
    expect(r1.sw).toBe(0x9000)
    expect(r1.data).toHaveLength(0)

    const read4 = s.wrap({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 })
    expect(hex(encodeCommand(read4))).toBe('0CB000000D9701048E08ED6705417E96BA5500')
    const r2 = s.unwrap(
      parseResponse(fromHex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000')),
    )
    expect(hex(r2.data)).toBe('60145F01')

    const read18 = s.wrap({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 0x12 })
    expect(hex(encodeCommand(read18))).toBe('0CB000040D9701128E082EA28A70F3C7B53500')
    const r3 = s.unwrap(
      parseResponse(
        fromHex(
          '871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000',
        ),
      ),
    )
    expect(hex(r3.data)).toBe('04303130365F36063034303030305C026175')
    expect(hex(s.ssc)).toBe('887022120C06C22C')
  })

  it('rejects a response whose MAC or covered status does not match, without accepting it', () => {
    for (const answer of ['990290008E08FA855A5D4C50A8EC9000', '990262828E08FA855A5D4C50A8ED9000']) {
      const s = sm()
      s.wrap({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') })
      expect(() => s.unwrap(parseResponse(fromHex(answer)))).toThrow(
        expect.objectContaining({ code: 'EMRTD_SM_MAC_FAILED' }),
      )
    }
  })

  it('decodes the protected commands as the chip sees them', () => {
    const c = decodeCommand(fromHex('0CB000040D9701128E082EA28A70F3C7B53500'))
    expect(c).toMatchObject({ cla: 0x0c, ins: 0xb0, p2: 4, ne: 256, extended: false })
    expect(c.data).toHaveLength(13)
  })
})

describe('PACE ECDH generic mapping on brainpoolP256r1 (Appendix G)', () => {
  const curve = curveByName('brainpoolP256r1')!
  const group = ecGroup(curve)
  const info = parseCardAccess(
    fromHex('31143012060A04007F0007020204020202010202010D'),
  )[0] as PaceInfo
  const password = mrzPassword('T22000129364081251010318')
  const termMap = BigInt('0x7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99')
  const chipMap = BigInt('0x498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560')
  const termEph = BigInt('0xA73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595')
  const chipEph = BigInt('0x107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A')

  it('reads EF.CardAccess as ECDH-GM-AES-CBC-CMAC-128 with parameters 13', () => {
    expect(info).toMatchObject({
      kind: 'pace',
      oid: '0.4.0.127.0.7.2.2.4.2.2',
      version: 2,
      agreement: 'ECDH',
      mapping: 'GM',
      cipher: 'AES-128',
      parameterId: 13,
    })
  })

  it('derives K and K_π from the MRZ and builds MSE:Set AT', () => {
    expect(hex(password.secret)).toBe('7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD')
    expect(hex(digest('sha1', new TextEncoder().encode('T22000129364081251010318')))).toBe(
      hex(password.secret),
    )
    expect(hex(passwordKey(password, 'AES-128'))).toBe('89DED1B26624EC1E634C1989302849DD')
    expect(
      hex(
        encodeCommand({
          cla: 0,
          ins: 0x22,
          p1: 0xc1,
          p2: 0xa4,
          data: mseSetAtData(info.oid, 'mrz'),
        }),
      ),
    ).toBe('0022C1A40F800A04007F00070202040202830101')
  })

  it('decrypts the nonce, maps the generator, agrees on keys and computes both tokens', () => {
    const s = decryptNonce(
      'AES-128',
      passwordKey(password, 'AES-128'),
      fromHex('95A3A016522EE98D01E76CB6B98B42C3'),
    )
    expect(hex(s)).toBe('3F00C4D39D153F2B2A214A078D899B22')

    const chipMapPublic = group.multiply(chipMap, group.generator)
    const h = curve.Point.BASE.multiply(chipMap).multiply(termMap)
    expect(h.x.toString(16).toUpperCase()).toBe(
      '60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5',
    )
    const mapped = genericMapping(group, bytesToBigInt(s), termMap, chipMapPublic)
    // The chip, mapping from its side, reaches the same generator.
    const chipSide = genericMapping(
      group,
      bytesToBigInt(s),
      chipMap,
      group.multiply(termMap, group.generator),
    )
    expect(mapped.equal(mapped.generator, chipSide.generator)).toBe(true)
    expect(hex(mapped.secret(mapped.generator))).toBe(
      '8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2',
    )

    const termPub = mapped.multiply(termEph, mapped.generator)
    const chipPub = mapped.multiply(chipEph, mapped.generator)
    const shared = mapped.secret(mapped.multiply(termEph, chipPub))
    expect(hex(shared)).toBe('28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925')
    expect(hex(mapped.secret(mapped.multiply(chipEph, termPub)))).toBe(hex(shared))

    const { ksEnc, ksMac } = deriveSessionKeys('AES-128', shared)
    expect(hex(ksEnc)).toBe('F5F0E35C0D7161EE6724EE513A0D9A7F')
    expect(hex(ksMac)).toBe('FE251C7858B356B24514B3BD5F4297D1')
    expect(hex(authenticationToken('AES-128', ksMac, mapped, info.oid, chipPub))).toBe(
      'C2B0BD78D94BA866',
    )
    expect(hex(authenticationToken('AES-128', ksMac, mapped, info.oid, termPub))).toBe(
      '3ABB9674BCE93C08',
    )
  })
})

describe('PACE ECDH integrated mapping on brainpoolP256r1 (Doc 9303 Part 11 worked example)', () => {
  const group = ecGroup(curveByName('brainpoolP256r1')!)
  const s = fromHex('2923BE84E16CD6AE529049F1F1BBE9EB')
  const t = fromHex('5DD4CBFC96F5453B130D890A1CDBAE32')

  it('decrypts the nonce with K_π', () => {
    expect(
      hex(
        decryptNonce(
          'AES-128',
          fromHex('591468CDA83D65219CCCB8560233600F'),
          fromHex('143DC40C08C8E891FBED7DEDB92B64AD'),
        ),
      ),
    ).toBe(hex(s))
  })

  it('derives R_p(s, t) and maps it to the new generator', () => {
    const r = pseudoRandom('AES-128', s, t, 256)
    expect(hex(r)).toBe(
      'E4447E2DFB3586BAC05DDB00156B57FBB2179A3949294C97254189800C517BAA8DA0FF397ED8C445D3E421E4FEB57322',
    )
    const mapped = integratedMapping(group, 'AES-128', s, t)
    expect(hex(mapped.encode(mapped.generator))).toBe(
      '04' +
        '8E82D31559ED0FDE92A4D0498ADD3C23BABA94FB77691E31E90AEA77FB17D427' +
        '4C1AE14BD0C3DBAC0C871B7F3608169364437CA30AC243A089D3F266C1E60FAD',
    )
  })

  it('agrees on keys and computes both tokens', () => {
    const mapped = integratedMapping(group, 'AES-128', s, t)
    const termSk = BigInt('0xA73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595')
    const termPub = mapped.multiply(termSk, mapped.generator)
    expect(hex(mapped.encode(termPub))).toBe(
      '04' +
        '89CBA23FFE96AA18D824627C3E934E54A9FD0B87A95D1471DC1C0ABFDCD640D4' +
        '6755DE9B7B778280B6BEBD57439ADFEB0E21FD4ED6DF42578C13418A59B34C37',
    )
    const chipPub = mapped.decode(
      fromHex(
        '04' +
          '67F78E5F7F7686082B293E8D087E056916D0F74BC01A5F8957D0DE45691E51E8' +
          '932B69A962B52A0985AD2C0A271EE6A13A8ADDDCD1A3A994B9DED257F4D22753',
      ),
    )
    const shared = mapped.secret(mapped.multiply(termSk, chipPub))
    expect(hex(shared)).toBe('4F150FDE1D4F0E38E95017B891BAE17133A0DF45B0D3E18B60BA7BEAFDC2C713')
    const { ksEnc, ksMac } = deriveSessionKeys('AES-128', shared)
    expect(hex(ksEnc)).toBe('0D3FEB33251A6370893D62AE8DAAF51B')
    expect(hex(ksMac)).toBe('B01E89E3D9E8719E586B50B4A7506E0B')
    const oid = '0.4.0.127.0.7.2.2.4.4.2'
    expect(hex(authenticationToken('AES-128', ksMac, mapped, oid, chipPub))).toBe(
      '450F02B86F6A0909',
    )
    expect(hex(authenticationToken('AES-128', ksMac, mapped, oid, termPub))).toBe(
      '75D4D96E8D5B0308',
    )
  })
})
