/**
 * Alcohol types in `alcohol_types`. Names are compared ignoring case in TypeScript (the same rule as
 * on Redis); the partial unique index on `lower(name)` (rows not flagged `name_conflict`) and the
 * primary key are the last line of defence against a concurrent duplicate. Reads never write: the
 * store's seed-on-read (§8.17) is `seedDefaults()`, on request.
 */
import { eq, ne } from 'drizzle-orm';
import {
  type AlcoholType,
  type AlcoholTypePatch,
  type AlcoholTypeRepository,
  compareAlcoholTypes,
  defaultAlcoholTypes,
  type NewAlcoholType,
  newAlcoholTypeRecord,
  patchedAlcoholType,
  sameAlcoholTypeName,
} from '../../domain/alcohol-type.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { checkString, MAX_ID_LENGTH } from '../../domain/field-checks.js';
import type { PgDeps } from './index.js';
import { fromAlcoholTypeRow, toAlcoholTypeRow } from './mappers/alcohol-type.js';
import { alcoholTypes } from './schema.js';
import { sqlState, type Tx } from './transaction.js';

// An id may be '' (a name made only of symbols, §3), so only the type and length are checked.
const checkTypeId = (id: unknown) => checkString('id', id, MAX_ID_LENGTH, true);

/** Turns the unique violation of a concurrent duplicate into the domain error. */
async function unique<T>(id: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (sqlState(err) === '23505')
      throw new ConflictError('alcohol type', id, 'the id or name is already taken');
    throw err;
  }
}

async function nameTaken(tx: Tx, name: string, exceptId?: string): Promise<boolean> {
  const q = tx.select({ name: alcoholTypes.name }).from(alcoholTypes);
  const rows = await (exceptId === undefined ? q : q.where(ne(alcoholTypes.id, exceptId)));
  return rows.some((r) => sameAlcoholTypeName(r.name, name));
}

export function createPostgresAlcoholTypeRepository(deps: PgDeps): AlcoholTypeRepository {
  const { db } = deps.pg;

  const update = async (id: string, patch: AlcoholTypePatch): Promise<AlcoholType> => {
    const typeId = checkTypeId(id);
    return unique(typeId, () =>
      db.transaction(async (tx) => {
        const [row] = await tx.select().from(alcoholTypes).where(eq(alcoholTypes.id, typeId)).for('update');
        if (!row) throw new NotFoundError('alcohol type', typeId);
        const current = fromAlcoholTypeRow(row);
        const next = patchedAlcoholType(current, patch);
        const renamed = next.name !== current.name;
        if (renamed && (await nameTaken(tx, next.name, typeId))) {
          throw new ConflictError(
            'alcohol type',
            typeId,
            `another type is already named ${JSON.stringify(next.name)}`,
          );
        }
        // A legacy duplicate (§8.16) keeps its flag until it is renamed to a free name.
        const nameConflict = renamed ? false : row.nameConflict;
        await tx
          .update(alcoholTypes)
          .set({ ...toAlcoholTypeRow(next, { nameConflict }), syncWrittenAt: deps.now() })
          .where(eq(alcoholTypes.id, typeId));
        return next;
      }),
    );
  };

  return {
    async list(): Promise<AlcoholType[]> {
      return (await db.select().from(alcoholTypes)).map(fromAlcoholTypeRow).sort(compareAlcoholTypes);
    },

    async get(id: string): Promise<AlcoholType | null> {
      const [row] = await db
        .select()
        .from(alcoholTypes)
        .where(eq(alcoholTypes.id, checkTypeId(id)));
      return row ? fromAlcoholTypeRow(row) : null;
    },

    async add(input: NewAlcoholType): Promise<AlcoholType> {
      const record = newAlcoholTypeRecord(input);
      return unique(record.id, () =>
        db.transaction(async (tx) => {
          const [existing] = await tx
            .select({ id: alcoholTypes.id })
            .from(alcoholTypes)
            .where(eq(alcoholTypes.id, record.id));
          if (existing) throw new ConflictError('alcohol type', record.id, 'the id is already taken');
          if (await nameTaken(tx, record.name)) {
            throw new ConflictError(
              'alcohol type',
              record.id,
              `a type is already named ${JSON.stringify(record.name)}`,
            );
          }
          await tx.insert(alcoholTypes).values({ ...toAlcoholTypeRow(record), syncWrittenAt: deps.now() });
          return record;
        }),
      );
    },

    update,

    async setArchived(id: string, archived: boolean): Promise<AlcoholType> {
      return update(id, { archived });
    },

    async delete(id: string): Promise<boolean> {
      const gone = await db
        .delete(alcoholTypes)
        .where(eq(alcoholTypes.id, checkTypeId(id)))
        .returning({ id: alcoholTypes.id });
      return gone.length > 0;
    },

    async seedDefaults(): Promise<AlcoholType[]> {
      return db.transaction(async (tx) => {
        if ((await tx.select({ id: alcoholTypes.id }).from(alcoholTypes).limit(1)).length > 0) return [];
        const defaults = defaultAlcoholTypes();
        // A concurrent seed inserts first; this one then inserts nothing and reports nothing.
        const inserted = await tx
          .insert(alcoholTypes)
          .values(defaults.map((t) => ({ ...toAlcoholTypeRow(t), syncWrittenAt: deps.now() })))
          .onConflictDoNothing()
          .returning({ id: alcoholTypes.id });
        const ids = new Set(inserted.map((r) => r.id));
        return defaults.filter((t) => ids.has(t.id));
      });
    },
  };
}
