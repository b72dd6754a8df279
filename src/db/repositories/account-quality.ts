import type { Knex } from 'knex';
import type { TableWithJson } from '../row-types';

const TABLE = 'account_quality';

export interface AccountQuality {
  quality: string | null;
  event: string | null;
  current_limit: string | null;
  payload: Record<string, unknown> | null;
  changed_at: Date;
}

type AccountQualityTable = TableWithJson<AccountQuality & { id: number }, 'payload'>;

/** The business number's quality and messaging limit, as its last phone_number_quality_update said. */
export function createAccountQualityRepository(db: Knex) {
  return {
    get: async (): Promise<AccountQuality | undefined> => db<AccountQualityTable>(TABLE).where({ id: 1 }).first(),

    /** A webhook may leave out the quality or the limit: what it does not say stays as it was. */
    async record(update: {
      quality?: string;
      event?: string;
      currentLimit?: string;
      payload: Record<string, unknown>;
    }): Promise<void> {
      const row = {
        id: 1,
        quality: update.quality ?? null,
        event: update.event ?? null,
        current_limit: update.currentLimit ?? null,
        payload: JSON.stringify(update.payload),
        changed_at: db.fn.now(),
      };
      await db<AccountQualityTable>(TABLE)
        .insert(row)
        .onConflict('id')
        .merge({
          quality: db.raw('COALESCE(EXCLUDED.quality, account_quality.quality)'),
          current_limit: db.raw('COALESCE(EXCLUDED.current_limit, account_quality.current_limit)'),
          event: db.raw('EXCLUDED.event'),
          payload: db.raw('EXCLUDED.payload'),
          changed_at: db.raw('EXCLUDED.changed_at'),
        });
    },
  };
}

export type AccountQualityRepository = ReturnType<typeof createAccountQualityRepository>;
