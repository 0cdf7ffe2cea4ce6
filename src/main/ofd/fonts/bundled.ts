/**
 * The bundled faces that stand in for the four named Chinese fonts (no Windows fonts ship with the
 * app). Each is a free-licence font subset to GB 2312 plus Latin and punctuation, and renamed, as
 * the SIL OFL asks of modified fonts; resources/fonts/README.md records sources and licences.
 * Song and Hei keep all of GB 2312 — licence templates write variable fields (names, addresses)
 * in them; Kai and FangSong keep level 1, for labels, so the repository stays small. A character
 * a face lacks falls back to the others.
 */

export type BundledStyle = 'song' | 'hei' | 'kai' | 'fang'

export interface BundledFace {
  readonly style: BundledStyle
  /** File name in resources/fonts/. */
  readonly file: string
  /** The family name the subset carries. */
  readonly face: string
  /** The OFD font name it stands in for. */
  readonly ofdName: string
  readonly source: string
  readonly licence: string
  /** GB 2312 level kept: 2 = all 6,763 hanzi; 1 = the 3,755 common ones (faces used for labels). */
  readonly level: 1 | 2
}

export const BUNDLED_FACES: Readonly<Record<BundledStyle, BundledFace>> = {
  song: {
    style: 'song',
    level: 2,
    file: 'CounterDeskSong.otf',
    face: 'CounterDesk Song',
    ofdName: '宋体',
    source: 'Noto Serif CJK SC Regular',
    licence: 'SIL Open Font License 1.1',
  },
  hei: {
    style: 'hei',
    level: 2,
    file: 'CounterDeskHei.otf',
    face: 'CounterDesk Hei',
    ofdName: '黑体',
    source: 'Noto Sans CJK SC Regular',
    licence: 'SIL Open Font License 1.1',
  },
  kai: {
    style: 'kai',
    level: 1,
    file: 'CounterDeskKai.ttf',
    face: 'CounterDesk Kai',
    ofdName: '楷体',
    source: 'LXGW WenKai Regular',
    licence: 'SIL Open Font License 1.1',
  },
  fang: {
    style: 'fang',
    level: 1,
    file: 'CounterDeskFangSong.otf',
    face: 'CounterDesk FangSong',
    ofdName: '仿宋',
    source: 'FandolFang Regular',
    licence: 'GNU GPL v3 with the font exception',
  },
}

/** Which bundled face a document's font name (or family) asks for. */
export function styleForFontName(name: string, serifHint = false): BundledStyle {
  const n = name.toLowerCase().replace(/\s+/g, '')
  if (/仿宋|fangsong|fang_?song|stfangsong/.test(n)) return 'fang'
  if (/楷|kai/.test(n)) return 'kai'
  if (/黑|hei|yahei|雅黑|arial|helvetica|verdana|tahoma|sans|gothic|等线|dengxian/.test(n))
    return 'hei'
  if (/宋|song|ming|times|serif|georgia/.test(n) || serifHint) return 'song'
  return 'song'
}
