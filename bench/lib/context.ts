import type { Shared } from '../../test/helpers/system';
import type { BaselineWorker } from './baseline-worker';
import type { ResultRow } from './results';
import type { Settings } from './settings';

/** What every benchmark gets from bench/run.ts. */
export interface BenchContext {
  shared: Shared;
  settings: Settings;
  /** A baseline worker on the same Temporal server, started on first use. */
  baseline(): Promise<BaselineWorker>;
}

export type Bench = (ctx: BenchContext) => Promise<ResultRow[]>;

/** A valid, distinct German mobile number for index `i` of a run (`series` keeps runs apart). */
export const benchPhone = (series: number, i: number) => `+49151${String(series % 10)}${String(i).padStart(7, '0')}`;

export const sizeNote = (ran: number, full: number, variable: string) =>
  ran === full ? `${ran.toLocaleString('en-US')}` : `${ran.toLocaleString('en-US')} (issue size ${full.toLocaleString('en-US')}: ${variable}=${full})`;
