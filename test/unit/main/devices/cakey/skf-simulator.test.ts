/**
 * The SKF simulator's SM3 digest with a signer's public key (SKF_DigestInit + SKF_Digest): the
 * e = SM3(Z‖M) a token computes, from the ECCPUBLICKEYBLOB the provider hands it.
 */
import { describe, expect, it } from 'vitest'
import { sm2GenerateKeyPair, sm2MessageDigest } from '../../../../../src/main/crypto'
import { encodeEccPublicKeyBlob, SAR } from '../../../../../src/main/devices'
import { SkfSimulator } from '../../../../../src/main/training'

const keys = sm2GenerateKeyPair()
const sim = new SkfSimulator([
  {
    id: 'k',
    label: 'k',
    serial: 'SN-k',
    application: 'APP',
    container: 'SIGN',
    pin: '123456',
    maxRetries: 3,
    ...keys,
    certificate: new Uint8Array(),
  },
])
sim.insert('k')

describe('SKF simulator digest', () => {
  it('hashes with the point the blob carries and the signer ID', async () => {
    const [name] = await sim.enumDev(true)
    const dev = await sim.connectDev(name!)
    const id = new TextEncoder().encode('1234567812345678')
    const hash = await sim.digestInit(dev, 1, encodeEccPublicKeyBlob(keys.publicKey), id)
    const message = new TextEncoder().encode('CounterDesk staff sign-in')
    expect(await sim.digest(hash, message)).toEqual(sm2MessageDigest(message, keys.publicKey))
  })

  it('refuses a blob that is no 256-bit key, as a token would', async () => {
    const [name] = await sim.enumDev(true)
    const dev = await sim.connectDev(name!)
    const blob = encodeEccPublicKeyBlob(keys.publicKey)
    blob[1] = 2 // BitLen 512
    await expect(sim.digestInit(dev, 1, blob, null)).rejects.toMatchObject({
      call: 'SKF_DigestInit',
      rv: SAR.INVALIDPARAMERR,
    })
  })
})
