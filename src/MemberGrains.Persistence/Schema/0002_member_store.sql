-- The member store: one row per member with its whole state, and the append-only points ledger.
-- Written by MemberGrains.Persistence.MemberStore; every commit updates the member row (guarded by
-- its version) and appends the ledger rows of that change in the same transaction.

CREATE TABLE IF NOT EXISTS member (
    member_id    text        PRIMARY KEY,
    -- Incremented by every commit; a write names the version it read, so two writers can't both win.
    version      bigint      NOT NULL CHECK (version > 0),
    -- Denormalised from state for SQL checks and reports: always equals the ledger's sum.
    balance      bigint      NOT NULL,
    tier         text        NOT NULL,
    enrolled_at  timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    state        jsonb       NOT NULL
);

CREATE TABLE IF NOT EXISTS points_ledger (
    member_id        text        NOT NULL REFERENCES member (member_id),
    -- Member-local, gap-free from 1: a replayed or stale write collides here instead of counting twice.
    seq              bigint      NOT NULL CHECK (seq > 0),
    request_id       text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('Enrollment', 'Earn', 'Redeem', 'RefundClawback', 'Expire')),
    points           bigint      NOT NULL CHECK (points <> 0),
    balance_after    bigint      NOT NULL,
    program_version  integer     NOT NULL,
    store_id         text        NOT NULL,
    terminal_id      text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, seq)
);

CREATE INDEX IF NOT EXISTS points_ledger_by_request ON points_ledger (member_id, request_id);
CREATE INDEX IF NOT EXISTS points_ledger_by_time ON points_ledger (occurred_at);

-- Append-only: point movements are corrected by new rows, never edited or removed.
CREATE OR REPLACE FUNCTION points_ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'points_ledger is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE TRIGGER points_ledger_append_only
    BEFORE UPDATE OR DELETE ON points_ledger
    FOR EACH ROW EXECUTE FUNCTION points_ledger_refuse_change();

CREATE OR REPLACE TRIGGER points_ledger_no_truncate
    BEFORE TRUNCATE ON points_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_refuse_change();
