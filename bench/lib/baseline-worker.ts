import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createBaselineActivities } from './baseline-activities';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** bench/workflows bundled once per run, apart from the product's workflows. */
export const baselineBundle = () =>
  (bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: new DefaultLogger('WARN'),
  }));

export interface BaselineWorker {
  client: Client;
  taskQueue: string;
  sendQueue: string;
  /** Calls of benchSend so far. */
  sends(): number;
  stop(): Promise<void>;
}

/** A worker for the baseline workflows on its own task queues (sends uncapped), plus a client. */
export async function startBaselineWorker(address: string): Promise<BaselineWorker> {
  const taskQueue = `bench-baseline-${randomBytes(4).toString('hex')}`;
  const sendQueue = `${taskQueue}-sends`;
  let sent = 0;
  const activities = createBaselineActivities(() => void sent++);
  const connection = await NativeConnection.connect({ address });
  const workflowBundle = await baselineBundle();
  const workers = await Promise.all([
    Worker.create({ connection, taskQueue, activities, workflowBundle }),
    Worker.create({ connection, taskQueue: sendQueue, activities: { benchSend: activities.benchSend } }),
  ]);
  const done = Promise.all(workers.map((w) => w.run())).then(() => connection.close());
  const client = new Client({ connection: await Connection.connect({ address }) });
  return {
    client,
    taskQueue,
    sendQueue,
    sends: () => sent,
    async stop() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
      await client.connection.close();
    },
  };
}
