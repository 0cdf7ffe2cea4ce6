export {
  encodeBmp,
  normaliseDecodedPhoto,
  RAW_PHOTO_LENGTH,
  readBmpInfo,
  type BmpInfo,
} from './bmp'
export { createWltDecoder, type WltDecoder, type WltDecoderConfig } from './decoder'
export {
  IMAGE_MIME,
  imageDataUrl,
  PHOTO_HEIGHT,
  PHOTO_WIDTH,
  photoFormat,
  WLT_LENGTH,
  type PhotoFormat,
} from './format'
export { photoForScreen, type PhotoForScreen } from './view'
