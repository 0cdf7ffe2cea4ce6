/** PC/SC readers through koffi FFI (no native build): contexts, status changes, cards. */
export { cardPresent, PcscCard, PcscContext, STATE, type ReaderState } from './pcsc'
