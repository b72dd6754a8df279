/**
 * Group seats, enforced by Postgres. Part of migration 20261127010000_groups: frozen like the
 * migration itself (change behaviour with a new migration that replaces the functions).
 *
 * - `member_count` is kept by AFTER ROW triggers, so it counts rows that really exist: an
 *   `INSERT ... ON CONFLICT` that ends as an update takes no seat.
 * - Taking a seat is one conditional UPDATE (`member_count < capacity`) on the group row:
 *   its row lock and re-check make two writers racing for the last seat end with one winner
 *   and one `groups_capacity` error, never 251 of 250.
 * - Picking a group for a contact without one runs under one transaction-scoped advisory
 *   lock (so "the oldest group with room" and "create Contacts N" are decided one at a
 *   time), locks the chosen group row and counts its real members, which also sees rows
 *   inserted earlier in the same multi-row INSERT (their AFTER triggers have not run yet).
 * - The capacity of groups the database creates comes from the one-row `group_settings`
 *   table, which the API and worker set from GROUP_CAPACITY at start-up: triggers cannot
 *   read the process environment, and a settings row needs no DDL (no table lock) to change.
 */
export const GROUP_SEAT_LOCK = 727274;

export const GROUP_FUNCTIONS = [
  `CREATE FUNCTION groups_create_next() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  n integer := (SELECT count(*) FROM groups) + 1;
  seats integer := COALESCE((SELECT default_capacity FROM group_settings LIMIT 1), 250);
  created bigint;
BEGIN
  LOOP
    IF NOT EXISTS (SELECT 1 FROM groups WHERE name = 'Contacts ' || n) THEN
      BEGIN
        INSERT INTO groups (name, capacity) VALUES ('Contacts ' || n, seats) RETURNING id INTO created;
        RETURN created;
      EXCEPTION WHEN unique_violation THEN
        NULL; -- someone created a group of that name meanwhile: try the next number
      END;
    END IF;
    n := n + 1;
  END LOOP;
END $fn$`,

  `CREATE FUNCTION groups_pick_seat() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  candidate record;
  seats integer;
  members integer;
BEGIN
  PERFORM pg_advisory_xact_lock(${GROUP_SEAT_LOCK});
  FOR candidate IN SELECT id FROM groups WHERE member_count < capacity ORDER BY created_at, id LOOP
    SELECT capacity INTO seats FROM groups WHERE id = candidate.id FOR UPDATE;
    CONTINUE WHEN NOT FOUND;
    SELECT count(*) INTO members FROM contacts WHERE group_id = candidate.id;
    IF members < seats THEN
      RETURN candidate.id;
    END IF;
  END LOOP;
  RETURN groups_create_next();
END $fn$`,

  `CREATE FUNCTION groups_take_seat(target bigint) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  seats integer;
  members integer;
BEGIN
  UPDATE groups SET member_count = member_count + 1, updated_at = now() WHERE id = target AND member_count < capacity;
  IF FOUND THEN
    RETURN;
  END IF;
  SELECT capacity, member_count INTO seats, members FROM groups WHERE id = target;
  IF FOUND THEN
    RAISE EXCEPTION 'group % is full (% of % seats taken)', target, members, seats
      USING ERRCODE = 'check_violation', CONSTRAINT = 'groups_capacity', TABLE = 'groups';
  END IF;
  -- No such group: the foreign key on contacts.group_id reports it.
END $fn$`,

  `CREATE FUNCTION contacts_before_insert_group() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.group_id IS NULL THEN
    NEW.group_id := groups_pick_seat();
  END IF;
  RETURN NEW;
END $fn$`,

  `CREATE FUNCTION contacts_after_group_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.group_id IS NOT NULL THEN
      PERFORM groups_take_seat(NEW.group_id);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.group_id IS NOT NULL THEN
      UPDATE groups SET member_count = member_count - 1, updated_at = now() WHERE id = OLD.group_id;
    END IF;
  ELSIF NEW.group_id IS DISTINCT FROM OLD.group_id THEN
    IF NEW.group_id IS NOT NULL THEN
      PERFORM groups_take_seat(NEW.group_id);
    END IF;
    IF OLD.group_id IS NOT NULL THEN
      UPDATE groups SET member_count = member_count - 1, updated_at = now() WHERE id = OLD.group_id;
    END IF;
  END IF;
  RETURN NULL;
END $fn$`,

  // Contacts without a group get one; members beyond a lowered capacity (the newest ones)
  // move to the oldest groups with room or new ones. Nobody else moves. One row per
  // statement so each move's seat is counted before the next is picked.
  `CREATE FUNCTION rebalance_groups() RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  member record;
  moved integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(${GROUP_SEAT_LOCK});
  FOR member IN
    SELECT seated.id FROM (
      SELECT c.id, g.capacity, row_number() OVER (PARTITION BY c.group_id ORDER BY c.created_at, c.id) AS seat
      FROM contacts c JOIN groups g ON g.id = c.group_id
      WHERE g.member_count > g.capacity
    ) seated
    WHERE seated.seat > seated.capacity
    ORDER BY seated.id
  LOOP
    UPDATE contacts SET group_id = groups_pick_seat() WHERE id = member.id;
    moved := moved + 1;
  END LOOP;
  FOR member IN SELECT id FROM contacts WHERE group_id IS NULL ORDER BY created_at, id LOOP
    UPDATE contacts SET group_id = groups_pick_seat() WHERE id = member.id;
    moved := moved + 1;
  END LOOP;
  RETURN moved;
END $fn$`,
];

export const GROUP_TRIGGERS = [
  `CREATE TRIGGER contacts_assign_group BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_before_insert_group()`,
  `CREATE TRIGGER contacts_count_group AFTER INSERT OR DELETE OR UPDATE OF group_id ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_after_group_change()`,
];
