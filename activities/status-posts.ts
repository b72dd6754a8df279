import type { Knex } from 'knex';
import { createMessagesRepository, type NewMessage } from '../src/db/repositories/messages';
import { createStatusPostsRepository, type StatusPost } from '../src/db/repositories/status-posts';
import type { BroadcastResult } from './broadcasts';
import { notDueYet } from './not-due-yet';

export type StatusPostStart =
  | { outcome: 'publishing'; messageId: number }
  | { outcome: 'not_due'; scheduledAt: string }
  | { outcome: 'settled'; status: string };

/**
 * What the audience receives: the template if one is given (needed outside the 24-hour window), else interactive
 * content, else media captioned with the text, else the text.
 */
function content(status: StatusPost): Pick<NewMessage, 'type' | 'text' | 'template' | 'media' | 'interactive'> {
  if (status.template) return { type: 'template', template: status.template };
  if (status.interactive) return { type: 'interactive', interactive: status.interactive };
  if (status.media) return { type: 'media', media: { ...status.media, caption: status.media.caption ?? status.text } };
  return { type: 'text', text: status.text };
}

export function createStatusPostActivities({ db }: { db: Knex }) {
  const statuses = createStatusPostsRepository(db);
  const messages = createMessagesRepository(db);

  return {
    /**
     * Under the status row's lock (which DELETE also takes): moves it to `publishing` and
     * creates the broadcast that delivers it. A retry finds the broadcast already there.
     */
    async beginStatusPublish(statusId: number): Promise<StatusPostStart> {
      return db.transaction(async (trx) => {
        const status = await statuses.findForUpdate(statusId, trx);
        if (!status) return { outcome: 'settled', status: 'missing' };
        if (status.status === 'publishing' && status.message_id)
          return { outcome: 'publishing', messageId: status.message_id };
        if (status.status !== 'scheduled') return { outcome: 'settled', status: status.status };
        const later = notDueYet(status.scheduled_at);
        if (later) return later;
        const groups = status.audience_group_ids;
        const broadcast = await messages.create(
          {
            kind: 'broadcast',
            contact_id: null,
            phone_number: null,
            group_id: groups?.length === 1 ? groups[0] : null,
            audience_group_ids: groups,
            segment_id: status.segment_id ?? null,
            audience_filter: status.audience_filter ?? null,
            ...content(status),
            status: 'sending',
          },
          trx,
        );
        await statuses.markPublishing(statusId, broadcast.id, trx);
        return { outcome: 'publishing', messageId: broadcast.id };
      });
    },

    async finishStatusPublish(statusId: number, result: BroadcastResult): Promise<string> {
      const done =
        result.status === 'sent'
          ? await statuses.markPublished(statusId)
          : await statuses.markFailed(statusId, `broadcast_${result.status}`, `the broadcast ended ${result.status}`);
      return done?.status ?? 'missing';
    },
  };
}
