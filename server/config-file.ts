// The VIGIE_CONFIG YAML file: brands, sources, exclusions and alert channels declared in git, applied at every
// start by upserting on name (so applying twice changes nothing). Every error names the file,
// the line and the reason, every error of the file at once (fixing one to be told of the next, one
// restart at a time, is how a YAML file wastes a morning); nothing is applied unless the whole
// file is valid.
import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument, isMap, type Node } from 'yaml'
import { z } from 'zod'
import { collectors } from '../collectors'
import { upsertBrand } from '../db/brands'
import { getChannelByName, upsertChannel } from '../db/channels'
import { ALERT_KINDS, type AlertKind } from '../db/schema-alerts'
import { notifiers } from './notifiers'
import { upsertRecipient } from '../db/digest'
import { upsertSource } from '../db/sources'
import { addExclusion } from '../db/exclusions'
import { takeLock } from '../db/settings'
import type { Db } from '../db'
import { HHMM, isTime, isTimeZone } from './digest-period'
import { announceOpenAlerts } from './deliver'
import { parseQuery, QueryError } from './query'
import { parseInterval } from './schedule-math'
import { localize } from './field-errors'
import { oneLine } from './text'

/** One line per problem, "file:line: reason", in the file's order. */
export class ConfigFileError extends Error {}

// past this many, the rest are counted: the first ones usually explain them
const MAX_PROBLEMS = 20
// thrown by fail() to leave the entry being read; the problem is already recorded
const ENTRY_FAILED = Symbol('entry failed')

const brandSchema = z
  .object({
    // one clean line, as the brand form makes it (control characters, bidi overrides out)
    name: z.string().transform(oneLine).pipe(z.string().min(1).max(100)),
    query: z.string().min(1).max(2000), // as the brand form
    vocabulary: z.record(z.string(), z.number().min(-4).max(4)).optional(),
    active: z.boolean().optional(),
  })
  .strict()

const sourceBase = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.string(),
    interval: z.union([z.string(), z.number()]).optional(),
    brand: z.string().optional(),
    enabled: z.boolean().optional(),
  })
  .passthrough()

const exclusionSchema = z
  .object({
    author: z.string().min(1).optional(),
    domain: z.string().min(1).optional(),
    platform: z.string().optional(),
    brand: z.string().optional(),
  })
  .strict()
  .refine((e) => !!e.author !== !!e.domain, 'give either author or domain')

// A channel: routing and quiet hours, plus the notifier's own keys (url, secret…) checked by the
// notifier's strict schema.
const channelBase = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.string(),
    lang: z.enum(['fr', 'en']).optional(),
    brands: z.array(z.string()).optional(),
    kinds: z.array(z.enum(ALERT_KINDS as [AlertKind, ...AlertKind[]])).optional(),
    // the clock of its messages and quiet hours; default: Vigie's TZ
    timezone: z.string().refine(isTimeZone, 'unknown time zone').optional(),
    quiet_hours: z
      .object({
        start: z.string().regex(HHMM, 'start must be HH:MM'),
        end: z.string().regex(HHMM, 'end must be HH:MM'),
        timezone: z.string().refine(isTimeZone, 'unknown time zone').optional(),
      })
      .strict()
      .optional(),
    enabled: z.boolean().optional(),
  })
  .passthrough()
const digestSchema = z
  .object({
    email: z.email(),
    lang: z.enum(['fr', 'en']).optional(),
    time: z
      .string()
      .refine(isTime, 'must be a time HH:MM such as 08:00 (quote it in YAML)')
      .optional(),
    // default: Vigie's TZ, like channels' quiet hours
    timezone: z
      .string()
      .refine(isTimeZone, 'is not a known IANA time zone (e.g. Europe/Paris)')
      .optional(),
    brands: z.array(z.string()).optional(),
    weekly: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()

/**
 * The keys each list's entries accept (a source's and a channel's own settings aside): the
 * README's YAML example shows every one, which test/docs.test.ts checks.
 */
export const ENTRY_KEYS = {
  brands: Object.keys(brandSchema.shape),
  sources: Object.keys(sourceBase.shape),
  exclusions: Object.keys(exclusionSchema.shape),
  channels: Object.keys(channelBase.shape),
  digest: Object.keys(digestSchema.shape),
}

const fileSchema = z
  .object({
    brands: z.array(z.unknown()).optional(),
    sources: z.array(z.unknown()).optional(),
    exclusions: z.array(z.unknown()).optional(),
    channels: z.array(z.unknown()).optional(),
    digest: z.array(z.unknown()).optional(),
  })
  .strict()

export interface ConfigPlan {
  brands: z.infer<typeof brandSchema>[]
  /** brands named but not declared in the file: they must exist in Vigie already (checked when
   * applied, since the file is read before the database opens); `at` is "file:line" */
  brandRefs: { name: string; at: string }[]
  sources: {
    name: string
    kind: string
    config: Record<string, unknown>
    intervalSeconds: number
    brand?: string
    enabled?: boolean
  }[]
  exclusions: z.infer<typeof exclusionSchema>[]
  channels: {
    name: string
    kind: string
    lang: 'fr' | 'en'
    brands: string[]
    kinds: AlertKind[]
    /** null: Vigie's TZ */
    timezone: string | null
    quietHours: { start: string; end: string; timezone: string } | null
    /** omitted: on, when created; the UI's switch otherwise */
    enabled?: boolean
    config: Record<string, unknown>
  }[]
  digest: (z.infer<typeof digestSchema> & { timezone: string })[]
}

/** The first line with an odd number of `quote` characters outside comments (1 if none). */
function unclosedQuoteLine(text: string, quote: string): number {
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i].replace(/\s#.*$/, '').replace(quote === '"' ? /\\"/g : /''/g, '')
    if ((code.split(quote).length - 1) % 2 === 1) return i + 1
  }
  return 1
}

/** zod's "Invalid input: expected string, received undefined" says less than "is required". */
function issueText(issue: z.core.$ZodIssue): string {
  const raw = localize(issue.message, 'en')
  if (issue.code === 'invalid_type' && /received undefined$/.test(raw)) return 'is required'
  if (issue.code === 'invalid_type' && issue.expected === 'array')
    return 'must be a list (one "- " item per line)'
  return raw
}

/** Parses and validates the file's text; throws ConfigFileError "file:line: reason". */
export function parseConfigFile(text: string, file: string, tz = 'UTC'): ConfigPlan {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const lineOf = (node: Node | null | undefined) => {
    const offset = node?.range?.[0]
    return offset === undefined ? 1 : lineCounter.linePos(offset).line
  }
  const problems: { line: number; text: string }[] = []
  const note = (line: number, reason: string) =>
    problems.push({ line, text: `${file}:${line}: ${reason}` })
  /** The line of a path's key, or of the deepest node of it that exists. */
  const lineAt = (path: (string | number)[]): number => {
    let node: Node | null | undefined
    for (let i = path.length; i >= 0 && !node; i--)
      node = doc.getIn(path.slice(0, i), true) as Node | undefined
    const keyNode =
      path.length &&
      typeof path[path.length - 1] === 'string' &&
      isMap(doc.getIn(path.slice(0, -1), true))
        ? (doc.getIn(path.slice(0, -1), true) as any).items.find(
            (p: any) => p.key?.value === path[path.length - 1],
          )?.key
        : undefined
    return lineOf(keyNode ?? node ?? doc.contents)
  }
  /** Records a problem at the path's line and leaves the entry being read (see each). */
  const fail = (path: (string | number)[], reason: string): never => {
    note(lineAt(path), reason)
    throw ENTRY_FAILED
  }
  const report = () => {
    if (!problems.length) return
    const sorted = problems.sort((a, b) => a.line - b.line).map((p) => p.text)
    const more = sorted.length - MAX_PROBLEMS
    throw new ConfigFileError(
      sorted.slice(0, MAX_PROBLEMS).join('\n') +
        (more > 0 ? `\n${file}: ${more} more problem${more > 1 ? 's' : ''}` : ''),
    )
  }
  /** Reads each entry of a list; an entry's first problem ends that entry, not the file. */
  const each = (list: unknown, read: (raw: unknown, i: number) => void) =>
    ((list ?? []) as unknown[]).forEach((raw, i) => {
      try {
        read(raw, i)
      } catch (err) {
        if (err !== ENTRY_FAILED) throw err
      }
    })
  for (const e of doc.errors) {
    const message = e.message.split('\n')[0]
    // A quote never closed is reported where the file ends; the line to fix is where it opened.
    const quote = e.code === 'MISSING_CHAR' ? /(["'])quote/.exec(message)?.[1] : undefined
    const line = quote
      ? unclosedQuoteLine(text, quote)
      : e.pos
        ? lineCounter.linePos(e.pos[0]).line
        : 1
    const reason = quote
      ? `a ${quote} quote opened here is never closed`
      : e.code === 'MULTIPLE_DOCS'
        ? 'one YAML document only: a second "---" starts another'
        : message
    note(line, reason)
  }
  // past a syntax error the document's shape is a guess: what it says is all there is to fix
  report()
  // An alias bomb (aliases of aliases, billions of nodes) is refused when read, not expanded.
  let data: any
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {}
  } catch (err) {
    throw new ConfigFileError(
      `${file}:1: ${(err as Error).message.split('\n')[0]} (YAML aliases, *name, expand to too much)`,
    )
  }
  const top = fileSchema.safeParse(data)
  // the sections' own shapes: past these the entries cannot be read
  if (!top.success) {
    for (const issue of top.error.issues)
      for (const key of issue.code === 'unrecognized_keys' ? issue.keys : [undefined])
        note(
          lineAt(key ? [key] : issue.path.map(String)),
          key
            ? `unknown key "${key}" (expected brands, sources, exclusions, channels, digest)`
            : issue.path.length
              ? `${issue.path.join('.')}: ${issueText(issue)}`
              : 'not a YAML map: the file starts with keys such as brands:, sources:, channels:',
        )
    report()
  }
  const plan: ConfigPlan = {
    brands: [],
    brandRefs: [],
    sources: [],
    exclusions: [],
    channels: [],
    digest: [],
  }
  const zodFail = (base: (string | number)[], err: z.ZodError): never => {
    const issue = err.issues[0]
    if (issue.code === 'unrecognized_keys')
      fail([...base, issue.keys[0]], `unknown key "${issue.keys[0]}"`)
    return fail(
      [...base, ...issue.path.map((p) => p as string | number)],
      `${issue.path.join('.') || 'entry'}: ${issueText(issue)}`,
    )
  }
  const brandNames = new Set<string>()
  // names a later entry may refer to, even from a brand with a problem of its own: its problem is
  // reported once, not again at every source, channel or recipient naming it
  const declared = new Set<string>()
  /** A brand named by an entry: declared in the file, or one Vigie must have (applyConfigPlan). */
  const refer = (path: (string | number)[], name: string) => {
    if (!declared.has(name)) plan.brandRefs.push({ name, at: `${file}:${lineAt(path)}` })
  }
  each(data.brands, (raw, i) => {
    const named = (raw as { name?: unknown } | null)?.name
    if (typeof named === 'string') declared.add(oneLine(named))
    const r = brandSchema.safeParse(raw)
    if (!r.success) zodFail(['brands', i], r.error)
    const b = r.data!
    try {
      parseQuery(b.query)
    } catch (err) {
      if (err instanceof QueryError)
        fail(['brands', i, 'query'], `invalid query for brand "${b.name}": ${err.message}`)
      throw err
    }
    // names differing only by case are one brand to the form (and to people): refused here too
    const twin = [...brandNames].find((n) => n.toLowerCase() === b.name.toLowerCase())
    if (twin)
      fail(
        ['brands', i, 'name'],
        twin === b.name
          ? `brand "${b.name}" is declared twice`
          : `brand "${b.name}" is declared twice ("${twin}" differs only by case)`,
      )
    brandNames.add(b.name)
    plan.brands.push(b)
  })
  const sourceNames = new Set<string>()
  each(data.sources, (raw, i) => {
    const r = sourceBase.safeParse(raw)
    if (!r.success) zodFail(['sources', i], r.error)
    const { name, kind, interval, brand, enabled, ...config } = r.data! as z.infer<
      typeof sourceBase
    > &
      Record<string, unknown>
    const collector = collectors.get(kind)
    if (!collector)
      fail(
        ['sources', i, 'kind'],
        `unknown source kind "${kind}" (known: ${[...collectors.keys()].join(', ')})`,
      )
    const cfg = collector!.schema.safeParse(config)
    if (!cfg.success) zodFail(['sources', i], cfg.error)
    let intervalSeconds = collector!.defaultInterval
    if (interval !== undefined) {
      try {
        intervalSeconds = parseInterval(interval)
      } catch (err) {
        fail(['sources', i, 'interval'], (err as Error).message)
      }
    }
    if (brand !== undefined) refer(['sources', i, 'brand'], brand)
    if (sourceNames.has(name)) fail(['sources', i, 'name'], `source "${name}" is declared twice`)
    sourceNames.add(name)
    plan.sources.push({
      name,
      kind,
      config: cfg.data as Record<string, unknown>,
      intervalSeconds,
      brand,
      enabled,
    })
  })
  each(data.exclusions, (raw, i) => {
    const r = exclusionSchema.safeParse(raw)
    if (!r.success) zodFail(['exclusions', i], r.error)
    if (r.data!.brand !== undefined) refer(['exclusions', i, 'brand'], r.data!.brand)
    // a misspelt platform would store an exclusion that never matches anything
    const platform = r.data!.platform
    if (platform && !collectors.has(platform))
      fail(
        ['exclusions', i, 'platform'],
        `unknown platform "${platform}" (known: ${[...collectors.keys()].join(', ')})`,
      )
    plan.exclusions.push(r.data!)
  })
  const channelNames = new Set<string>()
  each(data.channels, (raw, i) => {
    const r = channelBase.safeParse(raw)
    if (!r.success) zodFail(['channels', i], r.error)
    const { name, kind, lang, brands, kinds, timezone, quiet_hours, enabled, ...config } =
      r.data! as z.infer<typeof channelBase> & Record<string, unknown>
    const notifier = notifiers.get(kind)
    if (!notifier)
      fail(
        ['channels', i, 'kind'],
        `unknown channel kind "${kind}" (known: ${[...notifiers.keys()].join(', ')})`,
      )
    const cfg = notifier!.schema.safeParse(config)
    if (!cfg.success) zodFail(['channels', i], cfg.error)
    ;(brands ?? []).forEach((b, j) => refer(['channels', i, 'brands', j], b))
    if (channelNames.has(name)) fail(['channels', i, 'name'], `channel "${name}" is declared twice`)
    channelNames.add(name)
    // one clock per channel (quiet_hours.timezone is the older way to give it)
    if (timezone && quiet_hours?.timezone && quiet_hours.timezone !== timezone)
      fail(
        ['channels', i, 'quiet_hours', 'timezone'],
        `quiet_hours.timezone "${quiet_hours.timezone}" differs from timezone "${timezone}": a channel has one clock; give it once, as timezone`,
      )
    plan.channels.push({
      name,
      kind,
      lang: lang ?? 'fr',
      brands: brands ?? [],
      kinds: kinds ?? [],
      timezone: timezone ?? quiet_hours?.timezone ?? null,
      quietHours: quiet_hours
        ? { ...quiet_hours, timezone: timezone ?? quiet_hours.timezone ?? tz }
        : null,
      enabled,
      config: cfg.data as Record<string, unknown>,
    })
  })
  const emails = new Set<string>()
  each(data.digest, (raw, i) => {
    // YAML reads an unquoted 08:00 as a number in some versions; accept it as the time it means.
    if (raw && typeof raw === 'object' && typeof (raw as any).time === 'number')
      fail(['digest', i, 'time'], 'time: quote it, as in time: "08:00"')
    const r = digestSchema.safeParse(raw)
    if (!r.success) zodFail(['digest', i], r.error)
    const d = r.data!
    ;(d.brands ?? []).forEach((b, j) => refer(['digest', i, 'brands', j], b))
    const email = d.email.toLowerCase()
    if (emails.has(email)) fail(['digest', i, 'email'], `recipient "${email}" is declared twice`)
    emails.add(email)
    plan.digest.push({ ...d, email, timezone: d.timezone ?? tz })
  })
  report()
  return plan
}

export interface ApplyReport {
  brands: Record<'created' | 'updated' | 'unchanged', number>
  sources: Record<'created' | 'updated' | 'unchanged', number>
  exclusions: { created: number; unchanged: number }
  channels: Record<'created' | 'updated' | 'unchanged', number>
  digest: Record<'created' | 'updated' | 'unchanged', number>
}

/** Applies a validated plan in one transaction (all or nothing). */
export async function applyConfigPlan(db: Db, plan: ConfigPlan, now: Date): Promise<ApplyReport> {
  const report: ApplyReport = {
    brands: { created: 0, updated: 0, unchanged: 0 },
    sources: { created: 0, updated: 0, unchanged: 0 },
    exclusions: { created: 0, unchanged: 0 },
    channels: { created: 0, updated: 0, unchanged: 0 },
    digest: { created: 0, updated: 0, unchanged: 0 },
  }
  await db.transaction().execute(async (trx) => {
    // Every process on one Postgres applies the file as it starts: the second waits here, then
    // finds everything in place (both inserted the same names, and the second start failed).
    await takeLock(trx, 'config-file', now)
    const ids = new Map<string, number>()
    for (const b of plan.brands) report.brands[await upsertBrand(trx, b, now)]++
    for (const row of await trx.selectFrom('brands').select(['id', 'name']).execute())
      ids.set(row.name, row.id)
    // named in the file without being declared there: Vigie must have them (made in the UI)
    const missing = plan.brandRefs.filter((r) => !ids.has(r.name))
    if (missing.length)
      throw new ConfigFileError(
        missing
          .map((r) => `${r.at}: brand "${r.name}" is declared neither in brands nor in Vigie`)
          .join('\n'),
      )
    for (const s of plan.sources) {
      const outcome = await upsertSource(
        trx,
        { ...s, brandId: s.brand ? ids.get(s.brand)! : null },
        now,
      )
      report.sources[outcome]++
    }
    for (const e of plan.exclusions) {
      const brandId = e.brand ? ids.get(e.brand)! : null
      const { created } = await addExclusion(
        trx,
        {
          kind: e.author ? 'author' : 'domain',
          value: e.author ?? e.domain!,
          platform: e.platform,
          brandId,
        },
        now,
      )
      report.exclusions[created ? 'created' : 'unchanged']++
    }
    for (const ch of plan.channels) {
      const outcome = await upsertChannel(
        trx,
        {
          name: ch.name,
          kind: ch.kind,
          config: ch.config,
          lang: ch.lang,
          brandIds: ch.brands.map((b) => ids.get(b)!),
          alertKinds: ch.kinds,
          timezone: ch.timezone,
          quietHours: ch.quietHours,
          enabled: ch.enabled,
        },
        now,
      )
      report.channels[outcome]++
      // as in the UI: a channel new or changed while alerts are open hears about them
      if (outcome !== 'unchanged') {
        const saved = await getChannelByName(trx, ch.name)
        if (saved) await announceOpenAlerts(trx, saved.id, now)
      }
    }
    for (const d of plan.digest) {
      const outcome = await upsertRecipient(
        trx,
        {
          email: d.email,
          lang: d.lang ?? 'fr',
          sendTime: d.time ?? '08:00',
          timezone: d.timezone,
          brandIds: (d.brands ?? []).map((b) => ids.get(b)!),
          weekly: d.weekly ?? false,
          enabled: d.enabled,
        },
        now,
      )
      report.digest[outcome]++
    }
  })
  return report
}

/** Read and check the YAML file (no database needed): start-up does it before creating anything. */
export function readConfigFile(
  file: string,
  /** default time zone of channels' quiet hours */
  tz = 'UTC',
): ConfigPlan {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigFileError(
      `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`,
    )
  }
  return parseConfigFile(text, file, tz)
}

export async function applyConfigFile(
  db: Db,
  file: string,
  now: Date,
  tz = 'UTC',
): Promise<ApplyReport> {
  return applyConfigPlan(db, readConfigFile(file, tz), now)
}
