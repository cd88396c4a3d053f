import type { Extra } from './common.js';

/*
 * Scents, base oils, containers and the cost calculator (§4.9–§4.11). Their admin POST stores the
 * request body whole, so every optional field may hold `null` and unknown keys land in `extra`.
 * Rates in dollars (`costPerOz`, `costPerUnit`, `costPerWick`, `waxCostPerOz`) are arbitrary floats,
 * kept bit-exact (docs/decisions.md §2).
 */

/** One base oil share of a scent. Percentages need not add up to 100. */
export interface ScentCompositionPart {
  baseOilId: string;
  /** 0–100. */
  percentage: number;
  extra?: Extra;
}

/** A store-wide scent, `global:scents:{id}`. */
export interface GlobalScent {
  /** `^[a-z0-9-]+$`. */
  id: string;
  name: string;
  /** Current name of the flag (since 2025-12-04). */
  limited?: boolean | null;
  /** The flag's name before 2025-12-04; old records have it alone or together with `limited`. */
  experimental?: boolean | null;
  /** Product slugs a limited scent is offered on. */
  enabledProducts?: string[] | null;
  /** Sorting treats absent as 999. */
  sortOrder?: number | null;
  notes?: string[] | null;
  seasonal?: boolean | null;
  /** Dollars; overrides the composition. */
  costPerOz?: number | null;
  composition?: ScentCompositionPart[] | null;
  extra?: Extra;
}

/** `global:base_oils:{id}`. */
export interface BaseFragranceOil {
  /** `^[a-z0-9_-]+$`. */
  id: string;
  name: string;
  /** Dollars. */
  costPerOz: number;
  extra?: Extra;
}

/** `containers:{id}`. */
export interface Container {
  id: string;
  name: string;
  capacityWaterOz: number;
  /** Not validated (Round, Square, Bottle…). */
  shape: string;
  supplier?: string | null;
  /** Dollars. */
  costPerUnit: number;
  notes?: string | null;
  extra?: Extra;
}

/** `calculator:settings`, a single document, absent unless saved once. */
export interface CalculatorSettings {
  /** Dollars; the store's default when absent is 157.64/720. */
  waxCostPerOz: number;
  waterToWaxRatio: number;
  /** 0–1. */
  defaultFragranceLoad: number;
  extra?: Extra;
}

/** `calculator:wicks:{id}` (not a product's `variantConfig.wickTypes`). */
export interface CalculatorWickType {
  id: string;
  name: string;
  /** Dollars. */
  costPerWick: number;
  appearAs?: string | null;
  extra?: Extra;
}

/** Create-or-replace storage of one kind of catalogue record, `{family}:{id}` + `{family}:index`. */
export interface CatalogueCollection<T extends { id: string }> {
  /** Every record, ordered by name then id (scents: by sortOrder, absent = 999, then name, then id). */
  list(): Promise<T[]>;
  /** The record, or `null`. */
  get(id: string): Promise<T | null>;
  /**
   * Writes the whole record (the store's POST stores the body whole) and returns it.
   * @throws ValidationError for an id outside the kind's pattern (scents `^[a-z0-9-]+$`, the others
   *   `^[a-z0-9_-]+$`), the id `index` (it would overwrite the index set, §2c), an empty name, a
   *   negative cost, a non-positive capacity, a composition percentage outside 0–100, an oversized
   *   string, or an `extra` key naming a modelled field.
   */
  upsert(record: T): Promise<T>;
  /** Deletes the record; `false` when it did not exist. References in products are kept (§7.8). */
  delete(id: string): Promise<boolean>;
}

export interface ScentRepository extends CatalogueCollection<GlobalScent> {
  /**
   * The scents offered on a product, in list order: non-limited ones plus limited ones whose
   * `enabledProducts` names the slug. Only `limited` counts, as in the store: a record with only the
   * old `experimental: true` flag is offered everywhere (§4.9).
   */
  forProduct(slug: string): Promise<GlobalScent[]>;
}

/**
 * Calculator wick types. Reads never write: the store seeds 4 defaults on any read that finds the index
 * empty (§8.17); {@link CalculatorWickRepository.seedDefaults} does it on request only.
 */
export interface CalculatorWickRepository extends CatalogueCollection<CalculatorWickType> {
  /** Writes the 4 store defaults (§4.11) when there are no wick types; returns what it wrote. */
  seedDefaults(): Promise<CalculatorWickType[]>;
}

/** The settings document and whether they are the code defaults (nothing saved yet). */
export interface CalculatorSettingsRead {
  settings: CalculatorSettings;
  /** `true` when `calculator:settings` is absent and these are the store's built-in defaults. */
  isDefault: boolean;
}

export interface CalculatorSettingsRepository {
  /** The saved settings, or the code defaults (157.64/720, 0.9, 0.08) flagged `isDefault`; never writes. */
  get(): Promise<CalculatorSettingsRead>;
  /**
   * Saves the whole document and returns it.
   * @throws ValidationError for a negative wax cost, a ratio ≤ 0 or a fragrance load outside 0–1.
   */
  set(settings: CalculatorSettings): Promise<CalculatorSettings>;
}

/** The workshop catalogue (§4.9–§4.11). */
export interface CatalogueRepository {
  scents: ScentRepository;
  baseOils: CatalogueCollection<BaseFragranceOil>;
  containers: CatalogueCollection<Container>;
  calculatorSettings: CalculatorSettingsRepository;
  calculatorWicks: CalculatorWickRepository;
}

/** The defaults the store's calculator uses while `calculator:settings` is absent (§4.11). */
export function defaultCalculatorSettings(): CalculatorSettings {
  return { waxCostPerOz: 157.64 / 720, waterToWaxRatio: 0.9, defaultFragranceLoad: 0.08 };
}

/** The 4 wick types the store seeds (§4.11). */
export function defaultCalculatorWicks(): CalculatorWickType[] {
  return [
    { id: 'wood_30mm', name: 'Wood 30mm', costPerWick: 1.4705882352941178, appearAs: 'Wavy Wood Wick' },
    { id: 'wood_20mm', name: 'Wood 20mm', costPerWick: 1.0455882352941175, appearAs: 'Wavy Wood Wick' },
    { id: 'cdn12', name: 'CDN 12', costPerWick: 0.9705882352941176, appearAs: 'Standard' },
    { id: 'cdn16', name: 'CDN 16', costPerWick: 0.7205882352941176, appearAs: 'Standard' },
  ];
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Name, then id (code-unit order, identical on every backend). */
export function compareByName(a: { id: string; name: string }, b: { id: string; name: string }): number {
  return byCode(a.name, b.name) || byCode(a.id, b.id);
}

/** Scent order: sortOrder (absent or `null` = 999, as the store sorts), then name, then id. */
export function compareScents(a: GlobalScent, b: GlobalScent): number {
  const sa = a.sortOrder ?? 999;
  const sb = b.sortOrder ?? 999;
  return sa !== sb ? (sa < sb ? -1 : 1) : compareByName(a, b);
}
