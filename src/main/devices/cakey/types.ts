/**
 * A CA key (UKey) as the rest of the app sees it, whatever library reaches it: SKF (GM/T 0016),
 * PKCS#11, or the training simulator. Certificates are read without a PIN; signing needs a
 * session opened with the PIN.
 */

export interface TokenInfo {
  /** Stable while the key stays in: `<provider>/<device name or serial>`. */
  readonly id: string
  readonly providerId: string
  readonly label: string
  readonly serial: string
  readonly manufacturer: string
  readonly simulated: boolean
}

export interface TokenKey {
  /** Opaque reference to the key on the token: `app/container` (SKF) or the CKA_ID (PKCS#11). */
  readonly ref: string
  /** The signing certificate, DER. */
  readonly certificate: Uint8Array
}

export interface PinStatus {
  readonly locked: boolean
  /** Attempts left, when the token counts them and says (SKF does; PKCS#11 only when locked). */
  readonly remaining?: number
  readonly max?: number
  /** The next wrong PIN locks the token. */
  readonly finalTry?: boolean
  /** A wrong PIN was entered since the last right one (PKCS#11 CKF_USER_PIN_COUNT_LOW). */
  readonly countLow?: boolean
}

/** What the caller wants signed; the result is as certificates carry it (DER for SM2/ECDSA). */
export type SignAlgorithm = 'sm2-sm3' | 'ecdsa-sha256' | 'ecdsa-sha384' | 'rsa-sha256'

export interface SignRequest {
  readonly keyRef: string
  readonly algorithm: SignAlgorithm
  readonly message: Uint8Array
  /** The signer's public key as the certificate holds it (the SM2 point, for Z = SM3(ID‖…‖P)). */
  readonly publicKey: Uint8Array
}

export interface TokenSession {
  sign(request: SignRequest): Promise<Uint8Array>
  logout(): Promise<void>
}

export interface TokenEvent {
  readonly type: 'inserted' | 'removed'
  readonly tokenId: string
}

export interface TokenProvider {
  readonly id: string
  readonly kind: 'skf' | 'pkcs11' | 'simulated'
  readonly label: string
  readonly simulated: boolean
  /** Loads the vendor library; CAKEY_LIBRARY_LOAD_FAILED when it cannot. */
  open(): Promise<void>
  close(): Promise<void>
  tokens(): Promise<TokenInfo[]>
  /** The signing keys and their certificates, without a PIN. */
  keys(tokenId: string): Promise<TokenKey[]>
  pinStatus(tokenId: string, keyRef: string): Promise<PinStatus>
  /** Verifies the PIN; CAKEY_PIN_INCORRECT (with attempts left) or CAKEY_PIN_LOCKED when not. */
  login(tokenId: string, keyRef: string, pin: string): Promise<TokenSession>
  /** Insertions and removals, by the library's own event call or by polling. */
  watch(listener: (event: TokenEvent) => void): () => void
}
