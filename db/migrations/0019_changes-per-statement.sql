-- Hand-written. The change feed's writer (0004_machines_sql.sql; kinds as in 0015, 0017, 0018) runs once per
-- statement instead of once per audit row (docs/decisions/122-change-feed-trigger-per-statement.md): a statement
-- that writes 10,000 audit rows (a bulk PATCH of services) numbered its changes with 10,000 separate head updates,
-- change inserts and NOTIFYs; now with one head update per domain, one insert and one NOTIFY per domain.
-- The rows in `changes` are the same as before, in the same order (id and seq): per domain, seq follows the audit
-- id, and a change request's or rollout's entry covers its domains in sorted order. The NOTIFY carries each
-- domain's head after the statement (listeners keep the highest seq, lib/server/changes/hub.ts).
-- A statement of one audit row (an assignment's upsert: the common write) keeps the per-row path: it costs less
-- than the set query for one row.
DROP TRIGGER audit_log_changes ON audit_log;--> statement-breakpoint
CREATE OR REPLACE FUNCTION changes_from_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_heads text[];
  r audit_log;
  v_rows int := 0;
  v_domain text;
  v_seq bigint;
BEGIN
  -- One row (an assignment's upsert, most writes): the per-row path, cheaper than planning for a set.
  FOR r IN SELECT * FROM new_audit LIMIT 2 LOOP
    v_rows := v_rows + 1;
  END LOOP;
  IF v_rows = 1 THEN
    v_domain := split_part(r.entity_id, '/', 2);
    IF r.client_id IS NULL OR r.entity_type NOT IN ('assignment', 'service') OR v_domain = '' THEN
      v_rows := 2; -- the set path handles the rest (change requests, rollouts) and skips what makes no change
    ELSE
      INSERT INTO domain_change_heads AS h (client_id, domain_id, seq) VALUES (r.client_id, v_domain, 1)
        ON CONFLICT (client_id, domain_id) DO UPDATE SET seq = h.seq + 1
        RETURNING h.seq INTO v_seq;
      INSERT INTO changes (client_id, domain_id, seq, at, kind, action, assignment_key, service_id, assignment_id, actor, audit_id)
      VALUES (r.client_id, v_domain, v_seq, r.at, r.entity_type, substr(r.action, strpos(r.action, '.') + 1),
        CASE WHEN r.entity_type = 'assignment' THEN split_part(r.entity_id, '/', 4) END,
        nullif(split_part(r.entity_id, '/', 3), ''),
        CASE WHEN r.entity_type = 'assignment' THEN (r.after->>'assignment_id')::uuid END,
        r.actor, r.id);
      PERFORM pg_notify('domain_changes', json_build_object('c', r.client_id, 'd', v_domain, 's', v_seq)::text);
      RETURN NULL;
    END IF;
  END IF;
  IF v_rows = 0 THEN
    RETURN NULL;
  END IF;
  WITH src AS (
    -- An assignment's or a service's entry: one change, on the domain its entity id names.
    SELECT n.id, n.client_id, split_part(n.entity_id, '/', 2) AS domain_id, n.at, n.entity_type, n.action,
      n.entity_id, n.after, n.actor
    FROM new_audit n
    WHERE n.client_id IS NOT NULL AND n.entity_type IN ('assignment', 'service')
      AND split_part(n.entity_id, '/', 2) <> ''
    UNION ALL
    -- A change request's or a rollout's: one change on each domain it names.
    SELECT n.id, n.client_id, d.domain_id, n.at, n.entity_type, n.action, n.entity_id, n.after, n.actor
    FROM new_audit n
    CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(n.after->'domain_ids', '[]'::jsonb)) AS d(domain_id)
    WHERE n.client_id IS NOT NULL AND n.entity_type IN ('change_request', 'rollout')
  ), numbered AS (
    SELECT src.*, row_number() OVER (PARTITION BY client_id, domain_id ORDER BY id) AS rn,
      count(*) OVER (PARTITION BY client_id, domain_id) AS n
    FROM src
  ), heads AS (
    INSERT INTO domain_change_heads AS h (client_id, domain_id, seq)
    SELECT client_id, domain_id, count(*) FROM src GROUP BY client_id, domain_id ORDER BY client_id, domain_id
    ON CONFLICT (client_id, domain_id) DO UPDATE SET seq = h.seq + excluded.seq
    RETURNING h.client_id, h.domain_id, h.seq
  ), ins AS (
    INSERT INTO changes (client_id, domain_id, seq, at, kind, action, assignment_key, service_id, assignment_id,
      change_request_id, rollout_id, actor, audit_id, upcoming)
    SELECT c.client_id, c.domain_id, h.seq - c.n + c.rn, c.at, c.entity_type,
      substr(c.action, strpos(c.action, '.') + 1),
      CASE c.entity_type WHEN 'assignment' THEN split_part(c.entity_id, '/', 4)
        WHEN 'change_request' THEN c.after->>'assignment_key' END,
      CASE WHEN c.entity_type IN ('assignment', 'service') THEN nullif(split_part(c.entity_id, '/', 3), '')
        WHEN c.entity_type = 'change_request' THEN c.after->>'service_id' END,
      CASE WHEN c.entity_type = 'assignment' THEN (c.after->>'assignment_id')::uuid END,
      CASE WHEN c.entity_type = 'change_request' THEN (c.after->>'id')::uuid END,
      CASE WHEN c.entity_type = 'rollout' THEN (c.after->>'id')::uuid END,
      c.actor, c.id,
      CASE WHEN c.entity_type = 'change_request' THEN c.after->'upcoming' END
    FROM numbered c JOIN heads h ON h.client_id = c.client_id AND h.domain_id = c.domain_id
    ORDER BY c.id, c.domain_id
  )
  SELECT array_agg(json_build_object('c', client_id, 'd', domain_id, 's', seq)::text ORDER BY client_id, domain_id)
    INTO v_heads FROM heads;
  PERFORM pg_notify('domain_changes', p) FROM unnest(v_heads) AS p;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_changes AFTER INSERT ON audit_log REFERENCING NEW TABLE AS new_audit
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_audit();
