import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { statusPostWorkflowId } from '../../workflows/definitions';
import type { StatusPostCreateInput } from '../types/status-post-input';
import { createBroadcastsRepository, type BroadcastCounts } from '../db/repositories/broadcasts';
import { createGroupsRepository } from '../db/repositories/groups';
import { createOutboxRepository } from '../db/repositories/outbox';
import { createStatusPostsRepository, type StatusPost } from '../db/repositories/status-posts';
import { conflict, fieldError, notFound } from '../errors';
import type { Logger } from '../logger';
import { statusPostStart } from '../temporal/workflow-starts';
import { createPendingStarts } from './pending-starts';
import { segmentAudience } from '../campaigns/segment-audience';
import type { RulesConfig } from '../config-rules';
import { createSendChecks } from '../rules/send-checks';
import type { RuleWarning } from '../providers/d360/rule-codes';

export interface StatusPostView {
  status: StatusPost;
  recipientCount: number | null;
  counts: BroadcastCounts | null;
}

/** Owns the row + workflow pair of each status, like the message service does for messages. */
export interface StatusPostServiceDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  wakeOutbox: () => void;
  rules: RulesConfig;
}

export function createStatusPostService({ db, temporal, taskQueue, logger, wakeOutbox, rules }: StatusPostServiceDeps) {
  const statuses = createStatusPostsRepository(db);
  const pending = createPendingStarts(temporal, logger);
  const groups = createGroupsRepository(db);
  const broadcasts = createBroadcastsRepository(db);
  const checks = createSendChecks(db, rules);

  /** WhatsApp's rules as for a broadcast from POST /whatsapp/: the template, and the audience's 24-hour windows. */
  async function ruleWarnings(
    input: StatusPostCreateInput,
    audienceIds: number[] | null,
    at: Date,
  ): Promise<RuleWarning[]> {
    const type = input.template ? 'template' : input.media ? 'media' : 'text';
    const { warnings } = await checks.check({
      type,
      field: type,
      hasFallback: false,
      template: input.template,
      recipientField: 'group_ids',
      audienceGroupIds: audienceIds,
      at,
    });
    return warnings;
  }

  async function audience(groupIds: number[] | undefined): Promise<number[] | null> {
    if (!groupIds) return null;
    const unique = [...new Set(groupIds)];
    const found = new Set((await groups.findMany(unique)).map((g) => g.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw fieldError('group_ids', `no group with id ${missing.join(', ')}`);
    return unique;
  }

  function scheduledTime(iso: string | undefined): Date {
    if (iso === undefined) return new Date();
    const at = new Date(iso);
    if (at.getTime() <= Date.now())
      throw fieldError('scheduled_at', `is in the past (${at.toISOString()}); leave it out to publish now`);
    return at;
  }

  return {
    /** The statuses with their broadcast's recipient count and per-state counts. */
    async view(rows: StatusPost[]): Promise<StatusPostView[]> {
      const messageIds = rows.map((s) => s.message_id).filter((id): id is number => id !== null);
      const counts = await broadcasts.counts(messageIds);
      const recipients = await broadcasts.recipientCounts(messageIds);
      return rows.map((status) => ({
        status,
        recipientCount: status.message_id ? (recipients.get(status.message_id) ?? null) : null,
        counts: status.message_id ? (counts.get(status.message_id) ?? null) : null,
      }));
    },

    async create(input: StatusPostCreateInput): Promise<StatusPost> {
      const scheduledAt = scheduledTime(input.scheduled_at);
      const audienceIds = await audience(input.group_ids);
      const segment = input.segment_id ? await segmentAudience(db, input.segment_id) : undefined;
      const warnings = await ruleWarnings(input, audienceIds, scheduledAt);
      // The row and its workflow start commit together (the outbox); the dispatcher starts `status-<id>`.
      const row = await db.transaction(async (trx) => {
        const created = await statuses.create(
          {
            text: input.text ?? input.interactive?.body ?? '',
            template: input.template ?? null,
            media: input.media ?? null,
            interactive: input.interactive ?? null,
            audience_group_ids: audienceIds,
            ...(segment ?? {}),
            scheduled_at: scheduledAt,
            warnings: warnings.length > 0 ? warnings : null,
          },
          trx,
        );
        await createOutboxRepository(trx).enqueue(statusPostStart(created, taskQueue), trx);
        return created;
      });
      wakeOutbox();
      return row;
    },

    async cancel(id: number): Promise<StatusPost> {
      const cancelled = await pending.cancelScheduled(db, statusPostWorkflowId(id), (trx) =>
        statuses.cancelIfScheduled(id, trx),
      );
      if (!cancelled) {
        const status = await statuses.find(id);
        if (!status) throw notFound('status');
        if (status.status === 'cancelled') return status;
        throw conflict(
          'status_not_cancellable',
          `the status is ${status.status}; only a scheduled status can be cancelled`,
        );
      }
      return cancelled;
    },
  };
}

export type StatusPostService = ReturnType<typeof createStatusPostService>;
