// Language routing (provisional heuristic; replaced by the measured detector of issue 4).
export type Lang = 'fr' | 'en' | 'other'

const FR = new Set(
  'le la les des une est pas pour avec dans sur que qui mais très vraiment nous vous ils elles leur ce cette été être avoir fait plus du au aux je tu il elle on'.split(
    ' ',
  ),
)
const EN = new Set(
  'the and is are was were for with this that not but very you they have has from what your will just its our about'.split(
    ' ',
  ),
)

export function detectLanguage(text: string): Lang {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? []
  let fr = 0
  let en = 0
  for (const w of words) {
    if (FR.has(w)) fr++
    if (EN.has(w)) en++
  }
  if (fr === 0 && en === 0) return 'other'
  return fr > en ? 'fr' : 'en'
}
