-- The program as data, the member event outbox, and what the sweeper needs.
-- Re-runnable: the migrator applies it again whenever its text changes.

-- Published loyalty programs. A version is immutable once published; a new document gets the
-- next number (MemberGrains.Persistence.ProgramRepository numbers them under an advisory lock).
-- The highest version is the active program.
CREATE TABLE IF NOT EXISTS loyalty_program (
    version       integer     PRIMARY KEY CHECK (version > 0),
    -- Written in its canonical form (ProgramJson), so it reads back exactly as it was validated.
    document      jsonb       NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    published_by  text        NOT NULL,
    note          text        NOT NULL DEFAULT ''
);

-- Ledger rows, events and receipts name the version that decided them: never change or drop one.
CREATE OR REPLACE FUNCTION loyalty_program_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'loyalty_program versions are immutable (% refused); publish a new version instead', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE TRIGGER loyalty_program_immutable
    BEFORE UPDATE OR DELETE ON loyalty_program
    FOR EACH ROW EXECUTE FUNCTION loyalty_program_refuse_change();

CREATE OR REPLACE TRIGGER loyalty_program_no_truncate
    BEFORE TRUNCATE ON loyalty_program
    FOR EACH STATEMENT EXECUTE FUNCTION loyalty_program_refuse_change();

-- The program engine books behaviour points and debt recovered from later earnings.
-- points_ledger_kind_check is the name PostgreSQL gave the column CHECK declared in 0002.
ALTER TABLE points_ledger DROP CONSTRAINT IF EXISTS points_ledger_kind_check;
ALTER TABLE points_ledger ADD CONSTRAINT points_ledger_kind_check
    CHECK (kind IN ('Enrollment', 'Earn', 'Redeem', 'RefundClawback', 'Expire', 'Activity', 'DebtRecovery'));

-- The next instant a time-based rule (expiry, monthly tier review, notices) has something to do
-- for the member; NULL when nothing is scheduled. The sweeper touches members whose time came.
ALTER TABLE member ADD COLUMN IF NOT EXISTS due_at timestamptz NULL;
CREATE INDEX IF NOT EXISTS member_due ON member (due_at, member_id) WHERE due_at IS NOT NULL;

-- The outbox: events for automations, committed in the same transaction as the member change
-- that caused them. Readers page by (tx, id); see MemberGrains.Persistence.MemberEventReader.
CREATE TABLE IF NOT EXISTS member_event (
    id               bigserial   PRIMARY KEY,
    -- The writing transaction: lets readers wait for transactions still in flight.
    tx               xid8        NOT NULL DEFAULT pg_current_xact_id(),
    member_id        text        NOT NULL REFERENCES member (member_id),
    -- Member-local, gap-free from 1: a replayed or stale write collides here instead of repeating an event.
    seq              bigint      NOT NULL CHECK (seq > 0),
    kind             text        NOT NULL,
    program_version  integer     NOT NULL,
    data             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT member_event_member_seq UNIQUE (member_id, seq)
);

CREATE INDEX IF NOT EXISTS member_event_by_tx ON member_event (tx, id);

CREATE OR REPLACE FUNCTION member_event_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'member_event is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE TRIGGER member_event_append_only
    BEFORE UPDATE OR DELETE ON member_event
    FOR EACH ROW EXECUTE FUNCTION member_event_refuse_change();

CREATE OR REPLACE TRIGGER member_event_no_truncate
    BEFORE TRUNCATE ON member_event
    FOR EACH STATEMENT EXECUTE FUNCTION member_event_refuse_change();
