import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One sync for the whole installation: the id is the business id. */
export const WORDPRESS_SYNC_WORKFLOW_ID = 'wordpress-sync';
export const WORDPRESS_SYNC_WORKFLOW_TYPE = 'wordpressSyncWorkflow';

export interface WordPressSyncInput {
  /** A "sync now" that arrived while the previous run was continuing as new. */
  syncRequested?: boolean;
  /** Cycles completed by earlier runs of this workflow id (for the operator). */
  cyclesBefore?: number;
  /** The interval the previous run last learned from the worker's WORDPRESS_SYNC_INTERVAL. */
  intervalMs?: number;
  /** Cycles before continuing as new; tests lower it to see the hand-over. */
  cyclesPerRun?: number;
}

export interface WordPressSyncState {
  phase: 'syncing' | 'sleeping';
  cycles: number;
  nextSyncAt?: string;
  lastRunId?: number;
  lastError?: string;
}

/** POST /contacts/sync/: run a cycle now instead of waiting for the interval. */
export const syncNowSignal = defineSignal('syncNow');
export const wordpressSyncStateQuery = defineQuery<WordPressSyncState>('wordpressSyncState');
