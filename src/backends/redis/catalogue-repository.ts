/**
 * The workshop catalogue on the legacy keys (legacy-redis-format.md §2a #23–#31, §4.9–§4.11): scents,
 * base oils, containers and calculator wicks (`{family}:{id}` + `{family}:index`) and the single
 * `calculator:settings` document. Reads never write: the store seeded wick types from any read that
 * found their index empty (§8.17); here `calculatorWicks.seedDefaults()` does it on request.
 */
import {
  type CalculatorSettings,
  type CalculatorSettingsRead,
  type CalculatorWickType,
  type CatalogueCollection,
  type CatalogueRepository,
  compareByName,
  compareScents,
  defaultCalculatorSettings,
  defaultCalculatorWicks,
  type GlobalScent,
} from '../../domain/catalogue.js';
import {
  validateBaseOil,
  validateCalculatorSettings,
  validateCalculatorWick,
  validateContainer,
  validateScent,
} from '../../domain/catalogue-validation.js';
import { checkString, MAX_ID_LENGTH } from '../../domain/field-checks.js';
import { isScentOffered } from '../../domain/product.js';
import {
  baseOilValue,
  calculatorSettingsValue,
  calculatorWickValue,
  containerValue,
  scentValue,
} from '../../legacy/codecs/catalogue.js';
import type { ValueCodec } from '../../legacy/codecs/value.js';
import { runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readValue, readValues } from './record-io.js';

/** How one kind of record is stored and checked. */
interface Kind<T extends { id: string }> {
  name: string;
  value: ValueCodec<T>;
  recordKey: (id: string) => string;
  indexKey: () => string;
  validate: (record: T) => void;
  compare: (a: T, b: T) => number;
}

/** `{family}:index` is the index set itself (§2c): an id `index` never names a record. */
const RESERVED_ID = 'index';

function collection<T extends { id: string }>(deps: RedisDeps, kind: Kind<T>): CatalogueCollection<T> {
  const { client } = deps;
  const checkId = (id: unknown) => checkString('id', id, MAX_ID_LENGTH);
  return {
    async list(): Promise<T[]> {
      const ids = (await client.sMembers(kind.indexKey())).filter((id) => id !== RESERVED_ID);
      const records = await readValues(client, kind.value, ids.map(kind.recordKey));
      return records.filter((r): r is T => r !== null).sort(kind.compare);
    },

    async get(id: string): Promise<T | null> {
      const checked = checkId(id);
      return checked === RESERVED_ID ? null : readValue(client, kind.value, kind.recordKey(checked));
    },

    async upsert(record: T): Promise<T> {
      kind.validate(record);
      const key = kind.recordKey(record.id);
      const text = kind.value.encode(record);
      return runUnitOfWork(client, `upsert ${kind.name} ${record.id}`, async (uow) => {
        // The store's order: SET the record, then SADD the index (§5), here in one commit.
        uow.set(key, text);
        uow.push({ op: 'sadd', key: kind.indexKey(), member: record.id });
        return decodeRaw(kind.value, key, text) as T;
      });
    },

    async delete(id: string): Promise<boolean> {
      const checked = checkId(id);
      if (checked === RESERVED_ID) return false;
      return runUnitOfWork(client, `delete ${kind.name} ${checked}`, async (uow) => {
        const existed = (await uow.get(kind.recordKey(checked))) !== null;
        if (existed) uow.del(kind.recordKey(checked));
        uow.push({ op: 'srem', key: kind.indexKey(), member: checked });
        return existed;
      });
    },
  };
}

export function createRedisCatalogueRepository(deps: RedisDeps): CatalogueRepository {
  const { client, keys } = deps;
  const scents = collection(deps, {
    name: 'scent',
    value: scentValue,
    recordKey: keys.scent,
    indexKey: keys.scentsIndex,
    validate: validateScent,
    compare: compareScents,
  });
  const wicks = collection<CalculatorWickType>(deps, {
    name: 'calculator wick',
    value: calculatorWickValue,
    recordKey: keys.calculatorWick,
    indexKey: keys.calculatorWicksIndex,
    validate: validateCalculatorWick,
    compare: compareByName,
  });

  return {
    scents: {
      ...scents,
      async forProduct(slug: string): Promise<GlobalScent[]> {
        const checked = checkString('slug', slug, MAX_ID_LENGTH);
        return (await scents.list()).filter((s) => isScentOffered(s, checked));
      },
    },
    baseOils: collection(deps, {
      name: 'base oil',
      value: baseOilValue,
      recordKey: keys.baseOil,
      indexKey: keys.baseOilsIndex,
      validate: validateBaseOil,
      compare: compareByName,
    }),
    containers: collection(deps, {
      name: 'container',
      value: containerValue,
      recordKey: keys.container,
      indexKey: keys.containersIndex,
      validate: validateContainer,
      compare: compareByName,
    }),
    calculatorWicks: {
      ...wicks,
      async seedDefaults(): Promise<CalculatorWickType[]> {
        return runUnitOfWork(client, 'seed default calculator wicks', async (uow) => {
          if ((await client.sCard(keys.calculatorWicksIndex())) > 0) return [];
          const written: CalculatorWickType[] = [];
          for (const w of defaultCalculatorWicks()) {
            // An unindexed record (a crash between the store's SET and SADD) is indexed, never overwritten.
            if ((await uow.get(keys.calculatorWick(w.id))) === null) {
              uow.set(keys.calculatorWick(w.id), calculatorWickValue.encode(w));
              written.push(w);
            }
            uow.push({ op: 'sadd', key: keys.calculatorWicksIndex(), member: w.id });
          }
          return written;
        });
      },
    },
    calculatorSettings: {
      async get(): Promise<CalculatorSettingsRead> {
        const saved = await readValue(client, calculatorSettingsValue, keys.calculatorSettings());
        return saved
          ? { settings: saved, isDefault: false }
          : { settings: defaultCalculatorSettings(), isDefault: true };
      },

      async set(settings: CalculatorSettings): Promise<CalculatorSettings> {
        validateCalculatorSettings(settings);
        const key = keys.calculatorSettings();
        const text = calculatorSettingsValue.encode(settings);
        // One key, one SET: atomic on its own (no index, no read-modify-write).
        await client.set(key, text);
        return decodeRaw(calculatorSettingsValue, key, text) as CalculatorSettings;
      },
    },
  };
}
