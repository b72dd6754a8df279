import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Activities } from '../../activities';
import { temporalCliSettings } from '../../src/config';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { workflowsPath } from '../../src/worker';
import { SEARCH_ATTRIBUTE_KEYS, sendTaskQueueFor } from '../../workflows/definitions';

/*
 * The workflow tier: workflows against a Temporal server with every activity mocked, no
 * Postgres and no 360Dialog. @temporalio/testing's time-skipping server is a separate binary
 * downloaded at run time (not shipped in the npm package), and nothing may be downloaded
 * here, so the environment is `createLocal()` on the project's own Temporal CLI: real time,
 * so the tests use due times a few seconds away and the send lead (30 s) to start at once.
 */
let environment: Promise<TestWorkflowEnvironment> | undefined;
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
let runtimeInstalled = false;

/** The native core's own warnings off; installed once, before any worker or replay uses the runtime. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  runtimeInstalled = true;
}

/** One dev server for every file of the run, torn down after the last one. */
export function workflowEnvironment(): Promise<TestWorkflowEnvironment> {
  environment ??= (async () => {
    installQuietRuntime();
    const path = ensureTemporalCli(temporalCliSettings().cliPath);
    return TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path }, searchAttributes: SEARCH_ATTRIBUTE_KEYS },
    });
  })();
  return environment;
}

/** The workflow code bundled once for the run, as the worker loads it in production. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') });
  return bundle;
}

// Registered on the root suite once, by the first test file that loads this module.
after(async function () {
  this.timeout(60_000);
  if (environment) await (await environment).teardown();
});

export type MockActivities = Partial<Activities>;

export const newTaskQueue = () => `wf-test-${randomBytes(4).toString('hex')}`;

/**
 * Runs `body` with the two workers production has (workflows + database activities, and the
 * send queue), both on the given mocks. Heartbeats are not throttled, so a cancel reaches a
 * waiting mock at once.
 */
export async function withWorkers<T>(
  taskQueue: string,
  activities: MockActivities,
  body: () => Promise<T>,
): Promise<T> {
  const env = await workflowEnvironment();
  const common = { connection: env.nativeConnection, activities, maxHeartbeatThrottleInterval: '100 ms' } as const;
  const main = await Worker.create({ ...common, taskQueue, workflowBundle: await workflowBundle() });
  const sends = await Worker.create({ ...common, taskQueue: sendTaskQueueFor(taskQueue) });
  return main.runUntil(sends.runUntil(body));
}
