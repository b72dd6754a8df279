import assert from 'node:assert/strict';
import { apiClient, type ApiClient } from '../helpers/api-client';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { truncateAll } from '../helpers/database';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';

// Three rounds of four chunks of 100 per run (workflows/broadcast.ts): 1,300 recipients need two runs.
const RECIPIENTS = 1_300;
const EVENTS_PER_RUN_LIMIT = 6_000;

describe('a large broadcast keeps each workflow history small', () => {
  let system: TestSystem;
  let api: ApiClient;

  before(async () => {
    // The test is about history size: a generous WhatsApp timeout keeps a loaded machine from turning slow answers into
    // (at-least-once) resends.
    system = await startSystem({ D360_TIMEOUT_MS: '30000' });
    api = apiClient(system.baseUrl);
    await truncateAll(system.db);
  });
  after(() => system.stop());

  it(`${RECIPIENTS} recipients: continue-as-new splits the work, every run stays under ${EVENTS_PER_RUN_LIMIT} events`, async function () {
    this.timeout(180_000);
    const { group } = await groupWithMembers(system.db, api, RECIPIENTS);
    const created = await api.post('/whatsapp/', { group_id: group.id, message: 'To many' });
    const done = await messageReaches(api, created.body.id, 'sent', 150_000);
    assert.equal(done.counts.sent, RECIPIENTS);
    assert.equal(new Set(system.fake.requests.map((r) => r.body.to)).size, RECIPIENTS);
    assert.equal(system.fake.requests.length, RECIPIENTS);

    const workflowId = `message-${created.body.id}`;
    const runs = await eventually(
      async () => {
        const found = [];
        for await (const run of system.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
          found.push(run);
        return found.length >= 2 ? found : undefined;
      },
      { what: 'the runs in visibility' },
    );
    for (const run of runs) {
      const history = await system.temporal.workflow.getHandle(workflowId, run.runId).fetchHistory();
      assert.ok(
        (history.events?.length ?? 0) < EVENTS_PER_RUN_LIMIT,
        `run ${run.runId} has ${history.events?.length} events`,
      );
    }
  });
});
