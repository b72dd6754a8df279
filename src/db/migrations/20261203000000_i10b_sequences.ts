import type { Knex } from 'knex';

export const ENROLLMENT_STATES = [
  'active',
  'completed',
  'stopped_replied',
  'stopped_opted_out',
  'stopped_removed',
  'cancelled',
];

/**
 * Follow-up sequences: a named series of steps (jsonb, read again at every step so edits
 * reach running enrolments), a trigger, and one enrolment per contact and sequence, each
 * driven by the Temporal workflow `sequence-<id>-contact-<id>`. A step's send is an ordinary
 * message row, remembered per (enrolment, step) so a retried activity sends it once.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sequences', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable().unique();
    t.text('trigger_type').notNullable();
    t.text('trigger_value');
    t.jsonb('steps').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw(`ALTER TABLE sequences ADD CONSTRAINT sequences_name_check CHECK (length(name) BETWEEN 1 AND 128)`);
  await db.raw(`ALTER TABLE sequences ADD CONSTRAINT sequences_trigger_check CHECK (
    (trigger_type = 'manual' AND trigger_value IS NULL) OR (trigger_type IN ('source', 'tag') AND trigger_value IS NOT NULL))`);
  await db.raw(`CREATE INDEX sequences_trigger ON sequences (trigger_type, trigger_value)`);

  await db.schema.createTable('sequence_enrollments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('sequence_id').notNullable().references('sequences.id').onDelete('CASCADE');
    // A removed contact leaves its enrolment behind (stopped_removed), so the list still says what happened.
    t.bigInteger('contact_id').references('contacts.id').onDelete('SET NULL');
    t.text('state').notNullable().defaultTo('active');
    t.integer('current_step').notNullable().defaultTo(0);
    t.timestamp('next_step_at', { useTz: true });
    t.text('workflow_id').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.unique(['sequence_id', 'contact_id']);
    t.index(['sequence_id', 'id']);
  });
  await db.raw(
    `ALTER TABLE sequence_enrollments ADD CONSTRAINT sequence_enrollments_state_check CHECK (state IN (${ENROLLMENT_STATES.map((s) => `'${s}'`).join(',')}))`,
  );

  await db.schema.createTable('sequence_step_sends', (t) => {
    t.bigInteger('enrollment_id').notNullable().references('sequence_enrollments.id').onDelete('CASCADE');
    t.integer('step').notNullable();
    t.bigInteger('message_id').notNullable().references('messages.id').onDelete('CASCADE');
    t.primary(['enrollment_id', 'step']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sequence_step_sends');
  await db.schema.dropTable('sequence_enrollments');
  await db.schema.dropTable('sequences');
}
