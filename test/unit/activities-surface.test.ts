import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createActivities, type ActivityDeps } from '../../activities';

const WORKFLOWS_DIR = path.resolve(__dirname, '../../workflows');

/**
 * An activity on the worker is a way in for any workflow: only those a workflow calls are registered, so none
 * can reach 360Dialog past the claim and the send slot (activities/send-path.ts).
 */
describe('the activities surface', () => {
  const workflowSource = readdirSync(WORKFLOWS_DIR)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(path.join(WORKFLOWS_DIR, name), 'utf8'))
    .join('\n');
  const registered = Object.keys(createActivities({ d360: {} } as ActivityDeps));

  it('registers only activities a workflow calls', () => {
    const uncalled = registered.filter((name) => !new RegExp(`\\.${name}\\(`).test(workflowSource));
    assert.deepEqual(uncalled, []);
  });

  it('keeps the steps of a send inside the delivery activities', () => {
    for (const step of ['claimMessages', 'reserveSendSlots', 'sendAfter', 'recordSent'])
      assert.ok(!registered.includes(step), step);
  });
});
