import type { DevServer } from '../../src/runtime/dev-temporal';
import type { Shared } from '../../test/helpers/system';
import type { Peer } from '../peer/bullmq';
import type { BaselineWorker } from './baseline-worker';
import type { ResultRow } from './results';
import type { Settings } from './settings';
import type { TemporalKind } from './temporal-servers';

/** What every benchmark gets from bench/run.ts. */
export interface BenchContext {
  shared: Shared;
  settings: Settings;
  /** A baseline worker on the given Temporal server (the shared in-memory one by default), started on first use. */
  baseline(server?: DevServer): Promise<BaselineWorker>;
  /**
   * The dev server of that kind: the shared in-memory one, or the file-backed one `npm start` runs (started on first
   * use).
   */
  temporal(kind: TemporalKind): Promise<DevServer>;
  /** BullMQ against the bench's own Redis, started on first use. */
  peer(): Promise<Peer>;
}

export type Bench = (ctx: BenchContext) => Promise<ResultRow[]>;

/** A valid, distinct German mobile number for index `i` of a run (`series` keeps runs apart). */
export const benchPhone = (series: number, i: number) => `+49151${String(series % 10)}${String(i).padStart(7, '0')}`;

export const sizeNote = (ran: number, full: number, variable: string) =>
  ran === full
    ? `${ran.toLocaleString('en-US')}`
    : `${ran.toLocaleString('en-US')} (issue size ${full.toLocaleString('en-US')}: ${variable}=${full})`;
