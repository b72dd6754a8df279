import { GROUP_SEAT_LOCK } from './group-seats';

/**
 * Group seats counted per statement. Part of migration 20261127050000_group_seats_per_statement,
 * frozen like it.
 *
 * - An INSERT or DELETE of many contacts updates each group's `member_count` once, from the
 *   statement's transition table, instead of once per row. Taking seats stays one conditional
 *   UPDATE per group (`member_count + n <= capacity`), whose row lock and re-check still make
 *   racing writers end with one winner and one `groups_capacity` error. Group rows are locked
 *   in id order first, so two statements seating into the same groups cannot deadlock.
 * - Moves (UPDATE OF group_id) keep the row trigger of 20261127010000: transition tables are
 *   not allowed on a trigger with a column list, and moves come one at a time.
 * - `groups_seat_many(n)` hands a batch of new contacts n seats at once, in the order
 *   `groups_pick_seat` would give them one by one (oldest group with room first, then new
 *   groups), under the same advisory lock.
 */
export const SEATS_PER_STATEMENT_FUNCTIONS = [
  `CREATE FUNCTION contacts_after_insert_seats() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  overfull record;
BEGIN
  PERFORM 1 FROM groups WHERE id IN (SELECT group_id FROM inserted) ORDER BY id FOR UPDATE;
  WITH wanted AS (
    SELECT group_id, count(*)::integer AS n FROM inserted WHERE group_id IS NOT NULL GROUP BY group_id
  ), taken AS (
    UPDATE groups g SET member_count = g.member_count + w.n, updated_at = now()
    FROM wanted w WHERE g.id = w.group_id AND g.member_count + w.n <= g.capacity
    RETURNING g.id
  )
  SELECT g.id, g.capacity, g.member_count, w.n INTO overfull
  FROM wanted w JOIN groups g ON g.id = w.group_id
  WHERE g.id NOT IN (SELECT id FROM taken)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'group % is full (% of % seats taken, % more asked for)', overfull.id, overfull.member_count, overfull.capacity, overfull.n
      USING ERRCODE = 'check_violation', CONSTRAINT = 'groups_capacity', TABLE = 'groups';
  END IF;
  -- A group that does not exist: the foreign key on contacts.group_id reports it.
  RETURN NULL;
END $fn$`,

  `CREATE FUNCTION contacts_after_delete_seats() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM groups WHERE id IN (SELECT group_id FROM deleted) ORDER BY id FOR UPDATE;
  UPDATE groups g SET member_count = g.member_count - d.n, updated_at = now()
  FROM (SELECT group_id, count(*)::integer AS n FROM deleted WHERE group_id IS NOT NULL GROUP BY group_id) d
  WHERE g.id = d.group_id;
  RETURN NULL;
END $fn$`,

  `CREATE FUNCTION groups_seat_many(wanted integer) RETURNS bigint[] LANGUAGE plpgsql AS $fn$
DECLARE
  candidate record;
  seats integer;
  members integer;
  picked bigint[] := '{}';
  created bigint;
BEGIN
  IF wanted <= 0 THEN
    RETURN picked;
  END IF;
  PERFORM pg_advisory_xact_lock(${GROUP_SEAT_LOCK});
  FOR candidate IN SELECT id FROM groups WHERE member_count < capacity ORDER BY created_at, id LOOP
    EXIT WHEN cardinality(picked) >= wanted;
    SELECT capacity INTO seats FROM groups WHERE id = candidate.id FOR UPDATE;
    CONTINUE WHEN NOT FOUND;
    SELECT count(*) INTO members FROM contacts WHERE group_id = candidate.id;
    IF members < seats THEN
      picked := picked || array_fill(candidate.id, ARRAY[LEAST(seats - members, wanted - cardinality(picked))]);
    END IF;
  END LOOP;
  WHILE cardinality(picked) < wanted LOOP
    created := groups_create_next();
    SELECT capacity INTO seats FROM groups WHERE id = created;
    picked := picked || array_fill(created, ARRAY[LEAST(seats, wanted - cardinality(picked))]);
  END LOOP;
  RETURN picked;
END $fn$`,
];

export const SEATS_PER_STATEMENT_TRIGGERS = [
  `DROP TRIGGER contacts_count_group ON contacts`,
  `CREATE TRIGGER contacts_count_group_moves AFTER UPDATE OF group_id ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_after_group_change()`,
  `CREATE TRIGGER contacts_seat_inserted AFTER INSERT ON contacts REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION contacts_after_insert_seats()`,
  `CREATE TRIGGER contacts_free_deleted AFTER DELETE ON contacts REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION contacts_after_delete_seats()`,
];
