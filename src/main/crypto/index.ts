/**
 * Every cryptographic primitive the app uses, each on a backend that exists both in Node and in
 * Electron: node:crypto only for what BoringSSL also has (SHA-1/2, AES, 3DES, RSA, P-256/384,
 * HMAC), pure-JS libraries for the rest (SM2/SM3/SM4, brainpool, CMAC, single DES).
 */
export { concatBytes } from './bytes'
export { derToRawSignature, rawToDerSignature } from './der'
export {
  hmacSm3,
  SM2_DEFAULT_USER_ID,
  sm2GenerateKeyPair,
  sm2IsValidPublicKey,
  sm2MessageDigest,
  sm2PublicKeyFromPrivate,
  sm2Sign,
  sm2SignDigest,
  sm3,
  type Sm2KeyPair,
} from './sm'
export { sm2Verify, sm2VerifyDigest } from './sm2-verify'
export { aesCbcDecrypt, aesCbcEncrypt, aesCmac, aesEcbEncrypt } from './aes-cmac'
export {
  bigIntToBytes,
  bitLengthOf,
  byteLengthOf,
  bytesToBigInt,
  modInverse,
  modPow,
} from './bigint'
export { adjustDesParity, padIso9797m2, retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from './des'
export {
  dhIsValidPublic,
  dhPow,
  dhRandomExponent,
  RFC5114_1024_160,
  RFC5114_2048_224,
  RFC5114_2048_256,
  type DhGroup,
} from './dh'
export { digest, HASH_LENGTH, type HashName } from './digest'
export {
  basePoint,
  curveByName,
  curveByOid,
  curveFromParams,
  CURVE_NAMES,
  decodePoint,
  ecdhSharedX,
  ecdsaSignatureLength,
  ecdsaSignDigest,
  ecdsaVerifyDigest,
  encodePoint,
  multiply,
  pointFromAffine,
  randomScalar,
  scalarFromBytes,
  type EcCurve,
  type EcParams,
  type EcPoint,
} from './ec'
export {
  mgf1,
  pkcs1DigestInfo,
  rsaGenerateKey,
  rsaModulusLength,
  rsaPrivateOp,
  rsaPublicOp,
  rsaSignPkcs1v15,
  rsaSignPss,
  rsaVerifyPkcs1v15,
  rsaVerifyPss,
  type PssParams,
  type RsaPrivateKey,
  type RsaPublicKey,
} from './rsa'
export {
  generateSigningKey,
  secureRandom,
  softwareSign,
  spkiVerify,
  type ShaName,
  type SoftwareSigningKey,
  type SpkiAlgorithm,
} from './pubkey'
export { dataKeyId, openBox, sealBox, SealedBoxError, type OpenFailure } from './sealed-box'
