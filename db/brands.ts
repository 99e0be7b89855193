// Brands: a name and a query in Vigie's query language.
import { sql } from 'kysely'
import type { Db } from '.'
import type { Brand } from './schema'

export async function listBrands(db: Db, opts: { activeOnly?: boolean } = {}): Promise<Brand[]> {
  let q = db.selectFrom('brands').selectAll().orderBy('name')
  if (opts.activeOnly) q = q.where('active', '=', 1)
  return q.execute()
}

export async function getBrand(db: Db, id: number): Promise<Brand | undefined> {
  return db.selectFrom('brands').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function getBrandByName(db: Db, name: string): Promise<Brand | undefined> {
  return db.selectFrom('brands').selectAll().where('name', '=', name).executeTakeFirst()
}

/** A brand whose name differs only by case ("acme" next to "Acme" would be two brands in name only). */
export async function getBrandByNameAnyCase(db: Db, name: string): Promise<Brand | undefined> {
  return db
    .selectFrom('brands')
    .selectAll()
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst()
}

export interface BrandInput {
  name: string
  query: string
  vocabulary?: Record<string, number>
  active?: boolean
}

export async function insertBrand(db: Db, input: BrandInput, now: Date): Promise<Brand> {
  const ts = now.toISOString()
  return db
    .insertInto('brands')
    .values({
      name: input.name,
      query: input.query,
      vocabulary: JSON.stringify(input.vocabulary ?? {}),
      active: input.active === false ? 0 : 1,
      created_at: ts,
      updated_at: ts,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateBrand(
  db: Db,
  id: number,
  input: Partial<BrandInput>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('brands')
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.query !== undefined && { query: input.query }),
      ...(input.vocabulary !== undefined && { vocabulary: JSON.stringify(input.vocabulary) }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

/** Insert or update by name; returns whether anything changed (YAML config is applied at every start). */
export async function upsertBrand(
  db: Db,
  input: BrandInput,
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await getBrandByName(db, input.name)
  if (!existing) {
    await insertBrand(db, input, now)
    return 'created'
  }
  const vocabulary = JSON.stringify(input.vocabulary ?? {})
  if (
    existing.query === input.query &&
    existing.vocabulary === vocabulary &&
    // omitted: the UI's pause stands (updateBrand leaves it too), so it is no change either
    (input.active === undefined || existing.active === (input.active ? 1 : 0))
  )
    return 'unchanged'
  await updateBrand(db, existing.id, { ...input, vocabulary: input.vocabulary ?? {} }, now)
  return 'updated'
}

export async function deleteBrand(db: Db, id: number): Promise<void> {
  await db.deleteFrom('brands').where('id', '=', id).execute()
}
