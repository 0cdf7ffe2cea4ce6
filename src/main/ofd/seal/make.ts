/**
 * Making electronic seals (制章) and software signers. A seal maker signs the seal information
 * with its own key; issuance uses seals made by the seal authority, training mode and tests make
 * their own with these functions.
 */
import { rawToDerSignature, sm2MessageDigest, sm2SignDigest, sm2VerifyDigest } from '../../crypto'
import { CounterError } from '../../../shared/errors'
import type { DigestSealSigner, SealSigner } from '../types'
import { sealInfoV1, sealInfoV4, sealV1, sealV4, type SealSpec } from './ses'
import { OID, parseCertificate } from './x509'

/** A SealSigner over a software SM2 key (training mode, tests). */
export function softwareSealSigner(
  privateKey: Uint8Array,
  certificate: Uint8Array,
): DigestSealSigner {
  return {
    certificate,
    signDigest: async (digest) => sm2SignDigest(digest, privateKey),
  }
}

/** Signs a message as a token would: e = SM3(Z_A ‖ M) from the certificate's key, then SM2. */
export async function signWith(
  signer: SealSigner,
  message: Uint8Array,
): Promise<{ der: Uint8Array; raw: Uint8Array }> {
  const cert = parseCertificate(signer.certificate)
  if (!cert.sm2PublicKey)
    throw new CounterError('OFD_SIGNER_FAILED', { params: { reason: '证书不是 SM2 证书' } })
  const e = sm2MessageDigest(message, cert.sm2PublicKey)
  let raw: Uint8Array
  try {
    raw = 'signDigest' in signer ? await signer.signDigest(e) : await signer.signMessage(message)
  } catch (cause) {
    if (cause instanceof CounterError) throw cause
    throw new CounterError('OFD_SIGNER_FAILED', {
      params: { reason: (cause as Error)?.message ?? '未知错误' },
      cause,
    })
  }
  // A token with the wrong key, or a broken one, must not produce a file that fails later.
  if (raw.length !== 64 || !sm2VerifyDigest(e, raw, cert.sm2PublicKey))
    throw new CounterError('OFD_SIGNER_FAILED', { params: { reason: '签名值与证书公钥不符' } })
  return { der: rawToDerSignature(raw), raw }
}

/** Makes a GB/T 38540 (v4) seal: the maker signs SES_SealInfo. */
export async function makeSealV4(spec: SealSpec, maker: SealSigner): Promise<Uint8Array> {
  const info = sealInfoV4(spec)
  const { der } = await signWith(maker, info)
  return sealV4(info, maker.certificate, OID.sm2WithSm3, der)
}

/** Makes a GM/T 0031 (v1) seal, as older seal systems did (tests and fixtures). */
export async function makeSealV1(spec: SealSpec, maker: SealSigner): Promise<Uint8Array> {
  const info = sealInfoV1(spec)
  const { der } = await signWith(maker, info)
  return sealV1(info, maker.certificate, OID.sm2WithSm3, der)
}
