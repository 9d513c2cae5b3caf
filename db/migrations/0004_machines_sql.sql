-- The change feed's writer: every audit_log row about an assignment or a service becomes a change row of its
-- domain, in the same transaction (so a rolled-back or dry-run write publishes nothing and a committed one is never
-- missed), numbered by the domain's head row. The head's row lock is held until commit, so a domain's writers take
-- their numbers one after another in commit order, without gaps (docs/decisions/100-machines-outbox-order.md).
-- NOTIFY is delivered on commit only; it wakes the change streams and the read caches, the table stays the truth.
CREATE FUNCTION changes_from_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_domain text := split_part(NEW.entity_id, '/', 2);
  v_seq bigint;
BEGIN
  IF NEW.entity_type NOT IN ('assignment', 'service') OR NEW.client_id IS NULL OR v_domain = '' THEN
    RETURN NULL;
  END IF;
  INSERT INTO domain_change_heads AS h (client_id, domain_id, seq) VALUES (NEW.client_id, v_domain, 1)
    ON CONFLICT (client_id, domain_id) DO UPDATE SET seq = h.seq + 1
    RETURNING h.seq INTO v_seq;
  INSERT INTO changes (client_id, domain_id, seq, at, kind, action, assignment_key, service_id, assignment_id, actor, audit_id)
  VALUES (
    NEW.client_id,
    v_domain,
    v_seq,
    NEW.at,
    NEW.entity_type,
    substr(NEW.action, strpos(NEW.action, '.') + 1),
    CASE WHEN NEW.entity_type = 'assignment' THEN split_part(NEW.entity_id, '/', 4) END,
    nullif(split_part(NEW.entity_id, '/', 3), ''),
    CASE WHEN NEW.entity_type = 'assignment' THEN (NEW.after->>'assignment_id')::uuid END,
    NEW.actor,
    NEW.id
  );
  PERFORM pg_notify('domain_changes', json_build_object('c', NEW.client_id, 'd', v_domain, 's', v_seq)::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_changes AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION changes_from_audit();
