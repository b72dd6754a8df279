import assert from 'node:assert/strict';
import { apiClient, type ApiClient } from '../helpers/api-client';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { truncateAll } from '../helpers/database';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';

// A run sends 25 pages of four chunks of 100 (workflows/broadcast.ts) before it continues as new:
// 10,000 recipients. Measured on 1,300, the history must project under the limit for a full run.
const RECIPIENTS = 1_300;
const RECIPIENTS_PER_RUN = 10_000;
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

  it(`${RECIPIENTS} recipients in one run, whose history projects under ${EVENTS_PER_RUN_LIMIT} events for a full run`, async function () {
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
        return found.length >= 1 ? found : undefined;
      },
      { what: 'the runs in visibility' },
    );
    assert.equal(runs.length, 1, 'one run: it continues as new only after 10,000 recipients');
    const history = await system.temporal.workflow.getHandle(workflowId, runs[0].runId).fetchHistory();
    const events = history.events?.length ?? 0;
    const projected = Math.ceil((events * RECIPIENTS_PER_RUN) / RECIPIENTS);
    assert.ok(projected < EVENTS_PER_RUN_LIMIT, `${events} events for ${RECIPIENTS}: ${projected} for a full run`);
  });
});
