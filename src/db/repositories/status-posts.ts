import type { Knex } from 'knex';
import type { MediaContent, Message, TemplateContent } from './messages';
import { fetchPage, type PageRequest } from './pagination';
import type { TableWithJson } from '../row-types';
import type { SegmentFilter } from '../../campaigns/segment-filter';

export const STATUS_POSTS_TABLE = 'statuses';

export const STATUS_POST_STATES = ['scheduled', 'publishing', 'published', 'cancelled', 'failed'] as const;
export type StatusPostState = (typeof STATUS_POST_STATES)[number];

export interface StatusPost {
  id: number;
  text: string;
  template: TemplateContent | null;
  media: MediaContent | null;
  /** Reply buttons, a list or a CTA URL button, sent instead of the text. */
  interactive?: Message['interactive'];
  /** Null: every contact who has not opted out. */
  audience_group_ids: number[] | null;
  segment_id?: number | null;
  audience_filter?: SegmentFilter | null;
  scheduled_at: Date;
  status: StatusPostState;
  /** The broadcast that delivers it, once publishing began. */
  message_id: number | null;
  error_code: string | null;
  error_message: string | null;
  published_at: Date | null;
  /** What POST /status/ warned about when it accepted the status (e.g. closed 24-hour windows). */
  warnings?: { code: string; message: string }[] | null;
  created_at: Date;
  updated_at: Date;
}

export type NewStatusPost = Pick<
  StatusPost,
  | 'text'
  | 'template'
  | 'media'
  | 'interactive'
  | 'audience_group_ids'
  | 'scheduled_at'
  | 'segment_id'
  | 'audience_filter'
  | 'warnings'
>;

const json = (value: unknown) => (value == null ? null : JSON.stringify(value));

export function createStatusPostsRepository(db: Knex) {
  const table = (trx: Knex = db) =>
    trx<
      TableWithJson<
        StatusPost,
        'template' | 'media' | 'interactive' | 'audience_group_ids' | 'audience_filter' | 'warnings'
      >
    >(STATUS_POSTS_TABLE);
  const change = (id: number, fields: Record<string, unknown>, trx: Knex = db) =>
    table(trx)
      .where({ id })
      .update({ ...fields, updated_at: db.fn.now() })
      .returning('*')
      .then((rows) => rows[0] as StatusPost | undefined);

  return {
    list(filter: { status?: StatusPostState }, page: PageRequest) {
      const query = table().select('*');
      if (filter.status) query.where('status', filter.status);
      return fetchPage<StatusPost>(query, page);
    },

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    findForUpdate: (id: number, trx: Knex.Transaction) => table(trx).where({ id }).forUpdate().first(),

    async create(status: NewStatusPost, trx?: Knex): Promise<StatusPost> {
      const row = {
        ...status,
        template: json(status.template),
        media: json(status.media),
        interactive: json(status.interactive),
        audience_group_ids: json(status.audience_group_ids),
        audience_filter: json(status.audience_filter),
        warnings: json(status.warnings),
      };
      const [created] = await table(trx).insert(row).returning('*');
      return created as StatusPost;
    },

    remove: (id: number) => table().where({ id }).delete(),

    /** Only a status nobody has started publishing: the row lock decides a race with the workflow. */
    cancelIfScheduled: (id: number, trx?: Knex) =>
      table(trx)
        .where({ id, status: 'scheduled' })
        .update({ status: 'cancelled', updated_at: db.fn.now() })
        .returning('*')
        .then((rows) => rows[0] as StatusPost | undefined),

    markPublishing: (id: number, messageId: number, trx: Knex) =>
      change(id, { status: 'publishing', message_id: messageId }, trx),

    markPublished: (id: number) => change(id, { status: 'published', published_at: db.fn.now() }),

    markFailed: (id: number, code: string, message: string) =>
      change(id, { status: 'failed', error_code: code, error_message: message }),
  };
}

export type StatusPostsRepository = ReturnType<typeof createStatusPostsRepository>;
