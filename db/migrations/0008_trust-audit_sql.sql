-- The audit log is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks (only the table's owner can drop
-- or disable these triggers, and doing so is itself visible in the schema).
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Audit entries can only be inserted.';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
-- A client that requires change reasons refuses any audited write to its data without one. Every write
-- records its audit entry in the same statement or transaction, so refusing the entry refuses the write.
-- SQLSTATE MCR01 is mapped to a 422 by the API.
CREATE FUNCTION audit_log_require_reason() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.client_id IS NOT NULL AND NEW.reason IS NULL
     AND EXISTS (SELECT 1 FROM clients c WHERE c.id = NEW.client_id AND c.require_change_reason) THEN
    RAISE EXCEPTION 'Client "%" requires a reason for every change', NEW.client_id
      USING ERRCODE = 'MCR01';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_require_reason BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_require_reason();
