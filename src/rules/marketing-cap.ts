import type { Knex } from 'knex';
import { createMarketingCapRepository } from '../db/repositories/marketing-cap';
import type { Message } from '../db/repositories/messages';
import { createOutboxRepository } from '../db/repositories/outbox';
import { explain } from '../providers/d360/errors';
import { marketingCapRetryStart } from '../temporal/workflow-starts';

export const MARKETING_CAP_CODE = '131049';

export interface MarketingCapRetry {
  /** MARKETING_CAP_RETRY. */
  retryMs: number;
  taskQueue: string;
}

/**
 * Meta's per-user marketing cap (131049) the first time, in the caller's transaction: the
 * messages become `deferred` until MARKETING_CAP_RETRY is over, with the reason on the row, and
 * (unless their own send workflow is still there to wait) an outbox entry starts the one retry.
 * Returns the rows deferred; the others had their retry already and fail as usual.
 */
export async function deferForMarketingCap(
  trx: Knex,
  ids: number[],
  retry: MarketingCapRetry,
  startRetries = true,
): Promise<Message[]> {
  const until = new Date(Date.now() + retry.retryMs);
  const deferred = await createMarketingCapRepository(trx).defer(
    ids,
    until,
    `${explain('marketing_cap_deferred')} (at ${until.toISOString()})`,
    trx,
  );
  if (startRetries) {
    const outbox = createOutboxRepository(trx);
    for (const message of deferred) await outbox.enqueue(marketingCapRetryStart(message, retry.taskQueue), trx);
  }
  return deferred;
}
