import { performance } from 'node:perf_hooks';
import { createSendPath } from '../../activities/send-path';
import { createTemplatesRepository } from '../../src/db/repositories/templates';
import { createTestDatabase } from '../../test/helpers/database';
import type { D360Client } from '../../src/providers/d360/client';

/**
 * What WhatsApp's rules add to one claim of a single template message (the send path's only
 * database step they touch), without Temporal or HTTP: the same claims with the rules on and off,
 * alternating. `npx tsx bench/probes/claim-rules.ts [claims]`.
 */
const d360 = { configured: true } as unknown as D360Client;
const RULES = { messagingLimitPerDay: 1_000_000, messagingLimitWindowMs: 86_400_000, pauseRecheckMs: 300_000 };

async function main(): Promise<void> {
  const claims = Number(process.argv[2] ?? 300);
  const database = await createTestDatabase();
  const db = database.db;
  try {
    await createTemplatesRepository(db).upsert([
      {
        name: 'news',
        language: 'en',
        category: 'MARKETING',
        status: 'APPROVED',
        quality: null,
        components: [],
        rejected_reason: null,
        external_id: null,
      },
    ]);
    const on = createSendPath({
      db,
      d360,
      maxMessagesPerSecond: 10_000,
      serviceWindowPolicy: 'enforce',
      pairRateSeconds: 6,
      allowUsMarketing: false,
      rules: RULES,
    });
    const off = createSendPath({
      db,
      d360,
      maxMessagesPerSecond: 10_000,
      serviceWindowPolicy: 'off',
      pairRateSeconds: 0,
      allowUsMarketing: true,
      rules: { ...RULES, messagingLimitPerDay: undefined },
    });
    const times = { on: [] as number[], off: [] as number[] };
    for (let i = 0; i < claims * 2; i++) {
      const side = i % 2 === 0 ? 'off' : 'on';
      const phone = `+4915190${String(i).padStart(6, '0')}`;
      const [{ id }] = await db('messages')
        .insert({
          phone_number: phone,
          type: 'template',
          template: JSON.stringify({ name: 'news', language: 'en' }),
          status: 'sending',
          template_category: 'MARKETING',
        })
        .returning('id');
      const activities = side === 'on' ? on : off;
      const t0 = performance.now();
      await activities.claimMessages([id]);
      await activities.reserveSendSlots([phone]);
      times[side].push(performance.now() - t0);
      await activities.recordSent([{ id, providerMessageId: `wamid.${i}` }]);
    }
    const mean = (xs: number[]) => xs.slice(20).reduce((a, b) => a + b, 0) / (xs.length - 20);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `claim + send slots of one single template, ${claims} each way: on mean ${mean(times.on).toFixed(2)} ms (median ${median(times.on).toFixed(2)}), off mean ${mean(times.off).toFixed(2)} ms (median ${median(times.off).toFixed(2)}); off/on ${(mean(times.off) / mean(times.on)).toFixed(2)}`,
    );
  } finally {
    await database.drop();
  }
}

void main();
