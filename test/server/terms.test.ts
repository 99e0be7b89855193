// Recurring words (server/terms.ts), table-driven: counted once per mention, spellings that fold
// alike grouped and shown as most mentions write them, stop words, numbers and brand terms out.
import { describe, expect, it } from 'vitest'
import { frequentTerms } from '../../server/terms'

describe('frequentTerms', () => {
  const cases: {
    name: string
    texts: string[]
    opts?: Parameters<typeof frequentTerms>[1]
    want: { term: string; n: number }[]
  }[] = [
    {
      name: 'words several mentions share; brand and stop words left out',
      texts: [
        'Telvia panne réseau depuis ce matin',
        'Encore une panne chez Telvia, réseau mort',
        'panne totale, impossible d’appeler',
        'Telvia super offre',
      ],
      opts: { exclude: ['Telvia'] },
      want: [
        { term: 'panne', n: 3 },
        { term: 'réseau', n: 2 },
      ],
    },
    {
      name: 'conjugated auxiliaries are stop words too ("je suis", "vous êtes", "il va")',
      texts: [
        'Je suis furieux, panne encore',
        'Vous êtes injoignables, je suis en panne',
        'Il va falloir changer, panne',
      ],
      want: [{ term: 'panne', n: 3 }],
    },
    {
      name: 'function words of complaints are out, what the incident is about stays',
      texts: [
        "Aucun réseau, pourquoi ? Site down, faut dire qu'aucune réponse",
        "Site down again, I don't know why, never any answer",
        'Aucune réponse, site down',
      ],
      want: [
        { term: 'down', n: 3 },
        { term: 'site', n: 3 },
        { term: 'réponse', n: 2 },
      ],
    },
    {
      name: 'one mention repeating a word counts once',
      texts: ['panne panne panne PANNE', 'facture', 'facture salée'],
      want: [{ term: 'facture', n: 2 }],
    },
    {
      name: 'case and accents group; the spelling most mentions use is shown',
      texts: ['Réseau coupé', 'reseau coupe', 'RÉSEAU KO', 'réseau lent'],
      want: [
        { term: 'réseau', n: 4 },
        { term: 'coupé', n: 2 },
      ],
    },
    {
      name: 'stop words match whatever their accents (très, été, déjà)',
      texts: ['très déçu, été facturé deux fois', 'tres decu, deja facture', 'Très déçu'],
      want: [
        { term: 'déçu', n: 3 },
        { term: 'facturé', n: 2 },
      ],
    },
    {
      name: 'numbers, short words and brand terms in any spelling are out',
      texts: ['2026 ko OK Société Générale', '2026 ko ok societe generale'],
      opts: { exclude: ['"Société Générale"'] },
      want: [],
    },
    {
      name: 'minimum length and minimum mentions',
      texts: ['clients furieux lent', 'clients furieux lent', 'clients lent'],
      opts: { minLength: 7, minMentions: 3 },
      want: [{ term: 'clients', n: 3 }],
    },
    {
      name: 'a name keeps the capital most mentions give it ("Genève", not "genève")',
      texts: [
        'Panne à Genève depuis ce matin',
        'Coupure Genève, service injoignable',
        'Genève sans réseau',
        'plus rien à genève',
      ],
      want: [{ term: 'Genève', n: 4 }],
    },
    {
      name: 'a capital a sentence starts with does not count: "Panne" at the start stays "panne"',
      texts: ['Panne totale. Panne encore', 'Panne générale', 'toujours en panne', 'Grosse panne'],
      want: [{ term: 'panne', n: 4 }],
    },
    {
      name: 'acronyms stay upper-case, even opening a sentence; "Lamentable." is lower case',
      texts: ['la SNCF encore', 'SNCF en grève', 'Lamentable.', 'Vraiment nul. Lamentable'],
      want: [
        { term: 'lamentable', n: 2 },
        { term: 'SNCF', n: 2 },
      ],
    },
    {
      name: 'limit keeps the most frequent, ties in alphabetical order',
      texts: ['beta alpha gamma', 'gamma beta alpha', 'delta'],
      opts: { limit: 2 },
      want: [
        { term: 'alpha', n: 2 },
        { term: 'beta', n: 2 },
      ],
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(frequentTerms(c.texts, c.opts)).toEqual(c.want)
    })
})
