import type { Knex } from 'knex';
import type { SequenceStep, SequenceTriggerType } from '../../campaigns/sequence-steps';
import type { TableWithJson } from '../row-types';
import { fetchPage, type PageRequest } from './pagination';

export const SEQUENCES_TABLE = 'sequences';

export interface Sequence {
  id: number;
  name: string;
  trigger_type: SequenceTriggerType;
  /** The source (`wordpress`, `api`, `csv`) or tag a new contact must have; null for `manual`. */
  trigger_value: string | null;
  steps: SequenceStep[];
  created_at: Date;
  updated_at: Date;
}

export interface SequenceInput {
  name: string;
  trigger_type: SequenceTriggerType;
  trigger_value: string | null;
  steps: SequenceStep[];
}

export function createSequencesRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<TableWithJson<Sequence, 'steps'>>(SEQUENCES_TABLE);

  return {
    list: (page: PageRequest) => fetchPage<Sequence>(table().select('*'), page),

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first() as Promise<Sequence | undefined>,

    async create(input: SequenceInput): Promise<Sequence> {
      const [row] = await table()
        .insert({ ...input, steps: JSON.stringify(input.steps) })
        .returning('*');
      return row as Sequence;
    },

    async update(id: number, input: Partial<SequenceInput>): Promise<Sequence | undefined> {
      const { steps, ...rest } = input;
      const [row] = await table()
        .where({ id })
        .update({ ...rest, ...(steps ? { steps: JSON.stringify(steps) } : {}), updated_at: db.fn.now() })
        .returning('*');
      return row as Sequence | undefined;
    },

    /** Its enrolments go with it; their workflows find that at their next step and end as cancelled. */
    remove: async (id: number, trx?: Knex) => (await table(trx).where({ id }).delete()) > 0,
  };
}

export type SequencesRepository = ReturnType<typeof createSequencesRepository>;
