/**
 * Alcohol types on the legacy keys (legacy-redis-format.md §2a #21–#22, §4.8): `alcohol-type:{id}`
 * and the set `alcohol-types:index`. Unlike the store, no read ever writes: the store seeded the 8
 * defaults from any read that found the index empty (§8.17); here that is `seedDefaults()`, on request.
 */
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
import { alcoholTypeValue } from '../../legacy/codecs/alcohol-type.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readInUnit, readValue, readValues } from './record-io.js';

// An id may be '' (a name made only of symbols, §3), so only the type and length are checked.
const checkTypeId = (id: unknown) => checkString('id', id, MAX_ID_LENGTH, true);

/** Every indexed type, read inside the unit so a concurrent change to any of them retries the commit. */
async function readAllStep(deps: RedisDeps, uow: RedisUnitOfWork): Promise<AlcoholType[]> {
  const ids = await uow.client.sMembers(deps.keys.alcoholTypesIndex());
  const keys = ids.map(deps.keys.alcoholType);
  const raws = await uow.getMany(keys);
  return raws.flatMap((raw, i) => {
    const t = decodeRaw(alcoholTypeValue, keys[i]!, raw);
    return t ? [t] : [];
  });
}

function write(deps: RedisDeps, uow: RedisUnitOfWork, t: AlcoholType, index: boolean): AlcoholType {
  const text = alcoholTypeValue.encode(t);
  uow.set(deps.keys.alcoholType(t.id), text);
  if (index) uow.push({ op: 'sadd', key: deps.keys.alcoholTypesIndex(), member: t.id });
  return decodeRaw(alcoholTypeValue, deps.keys.alcoholType(t.id), text) as AlcoholType;
}

export function createRedisAlcoholTypeRepository(deps: RedisDeps): AlcoholTypeRepository {
  const { client, keys } = deps;

  const update = async (id: string, patch: AlcoholTypePatch): Promise<AlcoholType> => {
    const typeId = checkTypeId(id);
    return runUnitOfWork(client, `update alcohol type ${typeId}`, async (uow) => {
      const current = await readInUnit(uow, alcoholTypeValue, keys.alcoholType(typeId));
      if (!current) throw new NotFoundError('alcohol type', typeId);
      const next = patchedAlcoholType(current, patch);
      if (next.name !== current.name) {
        const others = (await readAllStep(deps, uow)).filter((t) => t.id !== typeId);
        if (others.some((t) => sameAlcoholTypeName(t.name, next.name))) {
          throw new ConflictError(
            'alcohol type',
            typeId,
            `another type is already named ${JSON.stringify(next.name)}`,
          );
        }
      }
      // The store's update rewrites the record only; the index already holds the id.
      return write(deps, uow, next, false);
    });
  };

  return {
    async list(): Promise<AlcoholType[]> {
      const ids = await client.sMembers(keys.alcoholTypesIndex());
      const types = await readValues(client, alcoholTypeValue, ids.map(keys.alcoholType));
      return types.filter((t): t is AlcoholType => t !== null).sort(compareAlcoholTypes);
    },

    async get(id: string): Promise<AlcoholType | null> {
      return readValue(client, alcoholTypeValue, keys.alcoholType(checkTypeId(id)));
    },

    async add(input: NewAlcoholType): Promise<AlcoholType> {
      const record = newAlcoholTypeRecord(input);
      return runUnitOfWork(client, `add alcohol type ${record.id}`, async (uow) => {
        if ((await uow.get(keys.alcoholType(record.id))) !== null) {
          throw new ConflictError('alcohol type', record.id, 'the id is already taken');
        }
        if ((await readAllStep(deps, uow)).some((t) => sameAlcoholTypeName(t.name, record.name))) {
          throw new ConflictError(
            'alcohol type',
            record.id,
            `a type is already named ${JSON.stringify(record.name)}`,
          );
        }
        return write(deps, uow, record, true);
      });
    },

    update,

    async setArchived(id: string, archived: boolean): Promise<AlcoholType> {
      return update(id, { archived });
    },

    async delete(id: string): Promise<boolean> {
      const typeId = checkTypeId(id);
      return runUnitOfWork(client, `delete alcohol type ${typeId}`, async (uow) => {
        const existed = (await uow.get(keys.alcoholType(typeId))) !== null;
        if (existed) uow.del(keys.alcoholType(typeId));
        uow.push({ op: 'srem', key: keys.alcoholTypesIndex(), member: typeId });
        return existed;
      });
    },

    async seedDefaults(): Promise<AlcoholType[]> {
      return runUnitOfWork(client, 'seed default alcohol types', async (uow) => {
        if ((await client.sCard(keys.alcoholTypesIndex())) > 0) return [];
        const written: AlcoholType[] = [];
        for (const t of defaultAlcoholTypes()) {
          // An unindexed record (a crash between the store's SET and SADD) is indexed, never overwritten.
          if ((await uow.get(keys.alcoholType(t.id))) === null) written.push(write(deps, uow, t, true));
          else uow.push({ op: 'sadd', key: keys.alcoholTypesIndex(), member: t.id });
        }
        return written;
      });
    },
  };
}
