import type { Extra } from './common.js';
import { ValidationError } from './errors.js';
import {
  checkNumber,
  checkOptionalBoolean,
  checkOptionalNumber,
  checkString,
  MAX_NAME_LENGTH,
} from './field-checks.js';

/** An alcohol type, `alcohol-type:{id}` (§4.8). No timestamps. */
export interface AlcoholType {
  /** Slug of the name (can be empty for names made only of symbols). */
  id: string;
  /** Unique only loosely (renames are unchecked). */
  name: string;
  /** Absent when created without one. */
  sortOrder?: number;
  /** Readers treat absent as `false`. */
  archived?: boolean;
  extra?: Extra;
}

/** What the admin sends to create a type; the id is derived from the name. */
export interface NewAlcoholType {
  name: string;
  sortOrder?: number;
}

/** A partial edit; the id never changes (it stays the slug of the original name, as in the store). */
export interface AlcoholTypePatch {
  name?: string;
  sortOrder?: number;
  archived?: boolean;
}

/**
 * Alcohol types, `alcohol-type:{id}` + `alcohol-types:index` (§4.8).
 *
 * Reads **never write**: the store seeds 8 defaults whenever a read finds the index empty (§8.17), a
 * side effect that would re-create deleted types and write to production from a migration read. Call
 * {@link AlcoholTypeRepository.seedDefaults} explicitly instead.
 */
export interface AlcoholTypeRepository {
  /** Every type (archived ones included), ordered by sortOrder, then name, then id; absent sortOrder last. */
  list(): Promise<AlcoholType[]>;
  /** The type, or `null`. */
  get(id: string): Promise<AlcoholType | null>;
  /**
   * Creates a type with id = {@link alcoholTypeId}(name) and `archived: false`.
   * @throws ValidationError for an empty or oversized name, a name without any letter or digit (its id
   *   would be empty), or a sortOrder that is not a finite number.
   * @throws ConflictError when the id exists or another type has the same name ignoring case.
   */
  add(input: NewAlcoholType): Promise<AlcoholType>;
  /**
   * Changes name, sortOrder and/or archived; returns the updated type.
   * @throws NotFoundError when the id does not exist.
   * @throws ConflictError when renaming onto another type's name (ignoring case). The store never
   *   checked renames (§8.16); both backends refuse them now.
   * @throws ValidationError as {@link add}.
   */
  update(id: string, patch: AlcoholTypePatch): Promise<AlcoholType>;
  /** Shorthand for `update(id, { archived })`. */
  setArchived(id: string, archived: boolean): Promise<AlcoholType>;
  /** Deletes the type; `false` when it did not exist. Products keep the name (§7.8). */
  delete(id: string): Promise<boolean>;
  /**
   * Writes the 8 store defaults (§4.8) when there are no types at all, as the store's read did, and
   * returns what it wrote (`[]` when types already exist).
   */
  seedDefaults(): Promise<AlcoholType[]>;
}

/**
 * The store's id for a name (§3): lower-case, trim, drop every character outside `[a-z0-9\s-]`,
 * whitespace runs to `-`, hyphen runs to one `-`.
 */
export function alcoholTypeId(name: string): string {
  return name
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9\s-]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-');
}

/** The 8 types the store seeds (§4.8), each with `archived: false`. */
export function defaultAlcoholTypes(): AlcoholType[] {
  const d = (id: string, name: string, sortOrder: number): AlcoholType => ({
    id,
    name,
    sortOrder,
    archived: false,
  });
  return [
    d('tequila', 'Tequila', 10),
    d('whiskey', 'Whiskey', 20),
    d('vodka', 'Vodka', 30),
    d('gin', 'Gin', 40),
    d('rum', 'Rum', 50),
    d('wine', 'Wine', 60),
    d('liqueur', 'Liqueur', 70),
    d('other', 'Other', 9999),
  ];
}

/** The list order: sortOrder ascending (absent last), then name, then id (code-unit order). */
export function compareAlcoholTypes(a: AlcoholType, b: AlcoholType): number {
  const sa = a.sortOrder ?? Number.POSITIVE_INFINITY;
  const sb = b.sortOrder ?? Number.POSITIVE_INFINITY;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Two names count as the same type when they are equal ignoring case (the store's add-time check). */
export function sameAlcoholTypeName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Checks a new type and returns the record to write (trimmed name, derived id, `archived: false`). */
export function newAlcoholTypeRecord(input: NewAlcoholType): AlcoholType {
  const name = checkString('name', input.name, MAX_NAME_LENGTH).trim();
  const id = alcoholTypeId(name);
  // The store accepted ids such as '' or '-' from names made of symbols (§3); new types need a real id.
  if (!/[a-z0-9]/.test(id))
    throw new ValidationError('name', 'needs at least one letter a–z or digit (it gives the id)');
  const sortOrder = checkOptionalNumber('sortOrder', input.sortOrder);
  return { id, name, ...(sortOrder == null ? {} : { sortOrder }), archived: false };
}

/** Checks a patch and returns the type after it (unknown legacy keys kept). */
export function patchedAlcoholType(current: AlcoholType, patch: AlcoholTypePatch): AlcoholType {
  const next: AlcoholType = { ...current };
  if (patch.name !== undefined) next.name = checkString('name', patch.name, MAX_NAME_LENGTH).trim();
  if (patch.sortOrder !== undefined) next.sortOrder = checkNumber('sortOrder', patch.sortOrder);
  if (patch.archived !== undefined) {
    const archived = checkOptionalBoolean('archived', patch.archived);
    if (archived != null) next.archived = archived;
  }
  return next;
}
