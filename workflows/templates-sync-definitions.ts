import { defineQuery, defineSignal } from '@temporalio/workflow';

export const TEMPLATES_SYNC_WORKFLOW_TYPE = 'templatesSyncWorkflow';
/** One sync per deployment (task queue), since each has its own 360Dialog key and so its own templates. */
export const templatesSyncWorkflowId = (taskQueue: string) => `templates-sync-${taskQueue}`;

export interface TemplatesSyncInput {
  /** A request (webhook, POST /templates/) that arrived while the previous run was continuing as new. */
  syncRequested?: boolean;
  cyclesBefore?: number;
  /** TEMPLATE_SYNC_INTERVAL as the worker last said; undefined: only on request. */
  intervalMs?: number;
  /** Cycles before continuing as new; tests lower it to see the hand-over. */
  cyclesPerRun?: number;
}

export interface TemplatesSyncState {
  phase: 'syncing' | 'sleeping';
  cycles: number;
  templates?: number;
  lastSyncAt?: string;
  nextSyncAt?: string;
  lastError?: string;
}

/** A template status or quality webhook, or a template submitted: read the list again now. */
export const templatesChangedSignal = defineSignal('templatesChanged');
export const templatesSyncStateQuery = defineQuery<TemplatesSyncState>('templatesSyncState');
