-- A new repair is numbered and stored in one round trip (src/domain/tickets/store-repair.ts).
--
-- Taking the tenant's next number locks the tenant's row until commit, which orders the tenant's
-- reports. The repeat count has to be read after that lock is granted: one statement's snapshot is
-- taken before it waits for the lock and would miss the report committed meanwhile. Each statement
-- of this function takes a fresh snapshot, so the count comes after the lock without the caller
-- going back and forth while it holds it.

-- The tenant's next short number (#1001, #1002…), or NULL for an unknown tenant. The row lock the
-- UPDATE takes holds to commit (src/domain/tickets/numbering.ts).
CREATE FUNCTION "next_ticket_number"(tenant_id text) RETURNS integer
LANGUAGE sql VOLATILE AS $$
  UPDATE "Tenant" SET "lastTicketNumber" = "lastTicketNumber" + 1, "updatedAt" = now()
  WHERE "id" = tenant_id RETURNING "lastTicketNumber"
$$;

-- The tenant's active members with the role as chat mentions, listed as membersWithRole lists them.
CREATE FUNCTION "mentions_of"(tenant_id text, wanted "Role") RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('userId', m."externalUserId", 'name', m."name") ORDER BY m."name", m."id"), '[]'::jsonb)
  FROM (SELECT "externalUserId", "name", "id" FROM "Member"
        WHERE "tenantId" = tenant_id AND "active" AND wanted = ANY("roles")
        ORDER BY "name", "id" LIMIT 20) m
$$;

-- Checks the reporter and group are the tenant's, takes the next number, counts the earlier repairs
-- of the unit and category since repeat_since, and inserts the ticket (number and repeat flag set
-- here), its 'created' event (gaining the repeat count) and its reminders. Returns what the caller
-- needs as one jsonb object; nothing is stored when the tenant, reporter or group is not found.
CREATE FUNCTION "store_new_repair"(new_ticket jsonb, new_event jsonb, new_reminders jsonb, repeat_since timestamptz, repeat_threshold integer, mention_role "Role")
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  tenant_id text := new_ticket->>'tenantId';
  reporter_found boolean;
  group_found boolean;
  taken integer;
  repeat_count integer;
  flagged boolean;
BEGIN
  reporter_found := EXISTS (SELECT 1 FROM "Member" WHERE "id" = new_ticket->>'reporterId' AND "tenantId" = tenant_id);
  group_found := new_ticket->>'groupId' IS NULL OR EXISTS (SELECT 1 FROM "ChatGroup" WHERE "id" = new_ticket->>'groupId' AND "tenantId" = tenant_id);
  IF NOT (reporter_found AND group_found) THEN
    RETURN jsonb_build_object('tenantFound', true, 'reporterFound', reporter_found, 'groupFound', group_found);
  END IF;

  taken := "next_ticket_number"(tenant_id);
  IF taken IS NULL THEN
    RETURN jsonb_build_object('tenantFound', false, 'reporterFound', true, 'groupFound', true);
  END IF;

  SELECT count(*)::int + 1 INTO repeat_count FROM "Ticket"
  WHERE "tenantId" = tenant_id AND "kind" = 'repair' AND "unit" = new_ticket->>'unit' AND "category" = new_ticket->>'category'
    AND "createdAt" >= repeat_since AND "status" <> 'cancelled';
  flagged := repeat_count >= repeat_threshold;

  INSERT INTO "Ticket"
  SELECT * FROM jsonb_populate_record(NULL::"Ticket", new_ticket || jsonb_build_object('number', taken, 'repeatFlag', flagged));
  INSERT INTO "TicketEvent"
  SELECT * FROM jsonb_populate_record(NULL::"TicketEvent", new_event || jsonb_build_object('data', (new_event->'data') || jsonb_build_object('repeatCount', repeat_count)));
  INSERT INTO "Reminder"
  SELECT * FROM jsonb_populate_recordset(NULL::"Reminder", new_reminders);

  RETURN jsonb_build_object(
    'tenantFound', true, 'reporterFound', true, 'groupFound', true, 'number', taken, 'repeatCount', repeat_count, 'flagged', flagged,
    'mentioned', CASE WHEN mention_role IS NULL THEN '[]'::jsonb ELSE "mentions_of"(tenant_id, mention_role) END,
    'supervisors', CASE WHEN flagged THEN "mentions_of"(tenant_id, 'supervisor') ELSE '[]'::jsonb END);
END
$$;
