import { MESSAGE_STATUS_KEY, PHONE_NUMBER_KEY } from '../../workflows/definitions';
import { createMessagesRepository } from '../../src/db/repositories/messages';
import { createContactsRepository } from '../../src/db/repositories/contacts';
import type { TestSystem } from '../../test/helpers/system';
import { benchPhone } from './context';
import { runConcurrently } from './pool';
import { perSecond, spread } from './stats';

/**
 * Where a POST /whatsapp/ spends its time, each part alone at the same concurrency: the row
 * (contact lookup + insert in a transaction), the workflow start as the product makes it
 * (memo + two search attributes) and the same start bare.
 */
export async function scheduleBreakdown(
  system: TestSystem,
  n: number,
  concurrency: number,
  farFutureMs: number,
): Promise<string[]> {
  const run = Date.now().toString(36);
  const sendAt = new Date(Date.now() + farFutureMs).toISOString();
  const messages = createMessagesRepository(system.db);
  const contacts = createContactsRepository(system.db);
  const parts: [string, (i: number) => Promise<unknown>][] = [
    [
      'row only (contact lookup, then insert in a transaction)',
      async (i) => {
        await contacts.findByPhone(benchPhone(5, i));
        await system.db.transaction(async (trx) => {
          await messages.create(
            {
              contact_id: null,
              phone_number: benchPhone(5, i),
              type: 'text',
              text: 'Benchmark',
              scheduled_at: new Date(sendAt),
              status: 'scheduled',
              idempotency_key: null,
              request_fingerprint: null,
            } as never,
            trx,
          );
        });
      },
    ],
    [
      'start with memo + search attributes',
      (i) =>
        system.temporal.workflow.start('sendMessageWorkflow', {
          workflowId: `bench-probe-${run}-sa-${i}`,
          taskQueue: system.config.temporal.taskQueue,
          args: [{ messageId: 1e9 + i, sendAt }],
          memo: { message_id: 1e9 + i, phone_number: benchPhone(5, i), kind: 'text' },
          typedSearchAttributes: [
            { key: PHONE_NUMBER_KEY, value: benchPhone(5, i) },
            { key: MESSAGE_STATUS_KEY, value: 'scheduled' },
          ],
        }),
    ],
    [
      'start bare (same workflow)',
      (i) =>
        system.temporal.workflow.start('sendMessageWorkflow', {
          workflowId: `bench-probe-${run}-bare-${i}`,
          taskQueue: system.config.temporal.taskQueue,
          args: [{ messageId: 2e9 + i, sendAt }],
        }),
    ],
  ];
  const lines: string[] = [];
  for (const [label, part] of parts) {
    const { latencies, wallMs } = await runConcurrently(n, concurrency, async (i) => void (await part(i)));
    const s = spread(latencies);
    lines.push(`${label}: ${perSecond((n / wallMs) * 1000)}, p50 ${s.p50.toFixed(1)} / p99 ${s.p99.toFixed(1)} ms`);
  }
  return lines;
}
