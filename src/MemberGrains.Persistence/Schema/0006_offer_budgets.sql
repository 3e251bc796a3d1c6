-- Campaign budgets shared by the whole cluster, handed to silos in leases, and the offer uses
-- written with the member changes that made them. Re-runnable: the migrator applies it again
-- whenever its text changes.
--
-- The guarantee: what is spent (uses on closed leases, plus at most the whole amount of every
-- open lease, minus what refunds gave back) never exceeds an offer's total.
--   * A lease is granted only by offer_budget_grant, which locks the offer's row first and then,
--     in a fresh snapshot, hands out at most total - closed_used - (open leases) + given back.
--     Every statement that changes those figures takes the same row lock first, so two grants
--     (two coordinator activations, two clusters) can't both count the same headroom.
--   * A use naming a lease is accepted only while the lease is open: the insert's trigger locks
--     the lease FOR SHARE and fails with SQLSTATE MGB01 if it is closed. Closing locks it FOR
--     UPDATE (waiting for every transaction still writing uses on it) and then counts the uses,
--     so no use can land after the count: a closed lease's used is exact and final.
--   * Within an open lease, a silo takes at most its amount (the silo keeps that count in memory;
--     the whole amount is counted as spent until the lease is closed).
-- Lock order everywhere: offer_budget row, then lease rows by lease_id; member transactions lock
-- only leases (FOR SHARE, by lease_id), so there is no cycle to deadlock on.

-- One row per offer with a budget. Its total comes from the active program (the publisher calls
-- offer_budget_define for every budgeted offer); see offer_budget_define for what a change does.
CREATE TABLE IF NOT EXISTS offer_budget (
    offer_id         text        PRIMARY KEY,
    -- money: discount in fen; points: bonus points; uses: applications of the offer.
    unit             text        NOT NULL CHECK (unit IN ('money', 'points', 'uses')),
    total            bigint      NOT NULL CHECK (total >= 0),
    -- What the closed leases used, added up as each closes (a grant reads this instead of every
    -- lease the campaign ever had).
    closed_used      bigint      NOT NULL DEFAULT 0 CHECK (closed_used >= 0),
    -- The program version that set total; an older one can't set it back.
    program_version  integer     NOT NULL,
    -- Counts every change of what is available (grants, closes, totals): a silo keeps the newest answer it got.
    revision         bigint      NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Slices of a budget granted to silos. Open while closed_at is null; the whole amount counts as
-- spent while open; once closed, only what its uses took (used).
CREATE TABLE IF NOT EXISTS offer_budget_lease (
    lease_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offer_id    text        NOT NULL REFERENCES offer_budget (offer_id),
    -- Which silo holds it (for operators; a restarted silo never uses its predecessor's leases).
    silo        text        NOT NULL,
    amount      bigint      NOT NULL CHECK (amount > 0),
    granted_at  timestamptz NOT NULL,
    -- The holder stops using it before this; after this plus the coordinator's grace it is reclaimed.
    expires_at  timestamptz NOT NULL,
    closed_at   timestamptz NULL,
    -- Units its uses took, counted when it was closed.
    used        bigint      NULL,
    -- returned (by its silo), reclaimed (lapsed: its silo died or lost touch) or revoked (the total was lowered).
    closed_how  text        NULL CHECK (closed_how IN ('returned', 'reclaimed', 'revoked')),
    CONSTRAINT offer_budget_lease_closed CHECK ((closed_at IS NULL) = (used IS NULL) AND (closed_at IS NULL) = (closed_how IS NULL))
);

CREATE INDEX IF NOT EXISTS offer_budget_lease_open ON offer_budget_lease (offer_id, lease_id) WHERE closed_at IS NULL;

-- Offers applied to members, written by the member store in the same transaction as the member
-- change that applied them: a use exists exactly when its change was committed. Append-only.
-- A give-back row (a refund handing a use back) returns its amount to the campaign.
CREATE TABLE IF NOT EXISTS offer_use (
    member_id     text        NOT NULL REFERENCES member (member_id),
    request_id    text        NOT NULL,
    offer_id      text        NOT NULL,
    give_back     boolean     NOT NULL,
    -- The lease the budget came from (the token IOfferBudget.Take returned); null for offers
    -- without a budget. On a give-back row it names the original use's lease and is not checked.
    lease_id      bigint      NULL,
    -- Budget units taken (or given back), in the budget's unit; 0 for offers without a budget.
    amount        bigint      NOT NULL CHECK (amount >= 0),
    discount_fen  bigint      NOT NULL CHECK (discount_fen >= 0),
    bonus_points  bigint      NOT NULL CHECK (bonus_points >= 0),
    occurred_at   timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    -- A retried request can't count twice: one use and one give-back per request and offer.
    PRIMARY KEY (member_id, request_id, offer_id, give_back),
    CONSTRAINT offer_use_budget_needs_lease CHECK (give_back OR amount = 0 OR lease_id IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS offer_use_by_lease ON offer_use (lease_id) WHERE lease_id IS NOT NULL AND NOT give_back;
CREATE INDEX IF NOT EXISTS offer_use_given_back ON offer_use (offer_id) WHERE give_back AND amount > 0;

CREATE OR REPLACE FUNCTION offer_use_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'offer_use is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE TRIGGER offer_use_append_only
    BEFORE UPDATE OR DELETE ON offer_use
    FOR EACH ROW EXECUTE FUNCTION offer_use_refuse_change();

CREATE OR REPLACE TRIGGER offer_use_no_truncate
    BEFORE TRUNCATE ON offer_use
    FOR EACH STATEMENT EXECUTE FUNCTION offer_use_refuse_change();

-- Once per insert statement (the member store inserts a whole batch's uses in one): locks every
-- lease the new uses name FOR SHARE, in lease_id order, and refuses the statement (so the whole
-- transaction) with SQLSTATE MGB01 if one is closed or unknown; the message ends with those lease
-- ids (the member store reads them there: clients see DETAIL only when asked to).
-- Holding the share locks until commit is what makes closing wait for these uses.
-- Also refuses (MGB02) a use naming another offer's lease, and give-backs beyond what the member
-- used of the offer, so give-backs can't inflate a budget.
CREATE OR REPLACE FUNCTION offer_use_check_leases() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_named   bigint[];
    v_open    bigint[];
    v_closed  bigint[];
    v_foreign text;
    v_excess  text;
BEGIN
    SELECT array_agg(DISTINCT a.lease_id ORDER BY a.lease_id) INTO v_named
    FROM added AS a
    WHERE a.lease_id IS NOT NULL AND NOT a.give_back;

    IF v_named IS NOT NULL THEN
        -- Locked rows are returned as they are now (a close committed meanwhile shows).
        SELECT array_agg(l.lease_id) INTO v_open
        FROM (SELECT lease_id, closed_at FROM offer_budget_lease
              WHERE lease_id = ANY (v_named)
              ORDER BY lease_id
              FOR SHARE) AS l
        WHERE l.closed_at IS NULL;

        SELECT array_agg(n) INTO v_closed FROM unnest(v_named) AS n WHERE n <> ALL (coalesce(v_open, '{}'));
        IF v_closed IS NOT NULL THEN
            RAISE EXCEPTION 'offer use names closed or unknown lease(s): %', array_to_string(v_closed, ',')
                USING ERRCODE = 'MGB01';
        END IF;

        SELECT min(a.offer_id || ' (lease ' || a.lease_id || ' is of ' || l.offer_id || ')') INTO v_foreign
        FROM added AS a JOIN offer_budget_lease AS l ON l.lease_id = a.lease_id
        WHERE NOT a.give_back AND l.offer_id <> a.offer_id;
        IF v_foreign IS NOT NULL THEN
            RAISE EXCEPTION 'offer use of % names another offer''s lease', v_foreign USING ERRCODE = 'MGB02';
        END IF;
    END IF;

    IF EXISTS (SELECT 1 FROM added AS a WHERE a.give_back AND a.amount > 0) THEN
        -- A member's writes are serialised (one writer, version-checked), so this sum is stable.
        SELECT min(g.member_id || '/' || g.offer_id) INTO v_excess
        FROM (SELECT DISTINCT member_id, offer_id FROM added WHERE give_back AND amount > 0) AS g
        WHERE (SELECT coalesce(sum(CASE WHEN u.give_back THEN -u.amount ELSE u.amount END), 0)
               FROM offer_use AS u
               WHERE u.member_id = g.member_id AND u.offer_id = g.offer_id) < 0;
        IF v_excess IS NOT NULL THEN
            RAISE EXCEPTION 'offer give-back for % exceeds what the member used of the offer', v_excess USING ERRCODE = 'MGB02';
        END IF;
    END IF;

    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER offer_use_check_leases
    AFTER INSERT ON offer_use
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION offer_use_check_leases();

-- Units of the offer's budget not spent and not held in open leases, as committed now. Callers
-- that act on it hold the offer's row lock (each statement here takes a fresh snapshot, so what
-- committed before the lock was granted is seen).
CREATE OR REPLACE FUNCTION offer_budget_available(p_offer text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    b          offer_budget;
    held       bigint;
    given_back bigint;
BEGIN
    SELECT * INTO b FROM offer_budget WHERE offer_id = p_offer;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    SELECT coalesce(sum(amount), 0) INTO held FROM offer_budget_lease WHERE offer_id = p_offer AND closed_at IS NULL;
    SELECT coalesce(sum(amount), 0) INTO given_back FROM offer_use WHERE offer_id = p_offer AND give_back AND amount > 0;
    RETURN b.total - b.closed_used - held + given_back;
END;
$$;

-- Closes an open lease: waits for the transactions writing uses on it, counts them, and moves
-- the count into the offer's closed_used. The caller holds the offer's row lock. Returns what
-- the lease used, or NULL if it was already closed.
CREATE OR REPLACE FUNCTION offer_budget_close_lease(p_lease bigint, p_how text, p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_offer text;
    v_used  bigint;
BEGIN
    SELECT offer_id INTO v_offer FROM offer_budget_lease WHERE lease_id = p_lease AND closed_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    -- A fresh snapshot, taken after the lock: every use that got its share lock is committed (or gone).
    SELECT coalesce(sum(amount), 0) INTO v_used FROM offer_use WHERE lease_id = p_lease AND NOT give_back;
    UPDATE offer_budget_lease SET closed_at = p_now, used = v_used, closed_how = p_how WHERE lease_id = p_lease;
    UPDATE offer_budget SET closed_used = closed_used + v_used, revision = revision + 1 WHERE offer_id = v_offer;
    RETURN v_used;
END;
$$;

-- Closes the offer's leases that lapsed: past expires_at by more than the grace (their silo died,
-- or lost touch and stopped using them before expires_at). Returns how many were closed.
CREATE OR REPLACE FUNCTION offer_budget_reclaim(p_offer text, p_now timestamptz, p_grace_seconds double precision) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_lease  bigint;
    v_closed integer := 0;
BEGIN
    PERFORM 1 FROM offer_budget WHERE offer_id = p_offer FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    FOR v_lease IN
        SELECT lease_id FROM offer_budget_lease
        WHERE offer_id = p_offer AND closed_at IS NULL
          AND expires_at + make_interval(secs => p_grace_seconds) < p_now
        ORDER BY lease_id
    LOOP
        IF offer_budget_close_lease(v_lease, 'reclaimed', p_now) IS NOT NULL THEN
            v_closed := v_closed + 1;
        END IF;
    END LOOP;

    RETURN v_closed;
END;
$$;

-- Grants a lease to a silo: first reclaims lapsed leases, then hands out a slice of what is
-- available: p_fraction of it (rounded up), at least p_at_least and 1 unit, at most all of it.
-- No lease (lease_id NULL) when less than p_at_least is available, or the offer has no budget
-- (total NULL). available is what is left after this grant, as of revision.
DROP FUNCTION IF EXISTS offer_budget_grant(text, text, bigint, double precision, double precision, double precision, timestamptz);
CREATE OR REPLACE FUNCTION offer_budget_grant(
    p_offer text, p_silo text, p_at_least bigint, p_fraction double precision,
    p_seconds double precision, p_grace_seconds double precision, p_now timestamptz)
RETURNS TABLE (lease_id bigint, amount bigint, expires_at timestamptz, available bigint, total bigint, unit text, revision bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    b       offer_budget;
    v_avail bigint;
    v_min   bigint := greatest(p_at_least, 1);
    v_slice bigint;
    v_id    bigint;
    v_rev   bigint;
    v_until timestamptz := p_now + make_interval(secs => p_seconds);
BEGIN
    PERFORM 1 FROM offer_budget WHERE offer_id = p_offer FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT NULL::bigint, 0::bigint, NULL::timestamptz, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
        RETURN;
    END IF;

    PERFORM offer_budget_reclaim(p_offer, p_now, p_grace_seconds);
    SELECT * INTO b FROM offer_budget WHERE offer_id = p_offer;
    v_avail := offer_budget_available(p_offer);
    IF v_avail < v_min THEN
        RETURN QUERY SELECT NULL::bigint, 0::bigint, NULL::timestamptz, v_avail, b.total, b.unit, b.revision;
        RETURN;
    END IF;

    v_slice := least(v_avail, greatest(v_min, ceil(v_avail * p_fraction)::bigint));
    INSERT INTO offer_budget_lease (offer_id, silo, amount, granted_at, expires_at)
    VALUES (p_offer, p_silo, v_slice, p_now, v_until)
    RETURNING offer_budget_lease.lease_id INTO v_id;
    UPDATE offer_budget SET revision = offer_budget.revision + 1 WHERE offer_id = p_offer RETURNING offer_budget.revision INTO v_rev;
    RETURN QUERY SELECT v_id, v_slice, v_until, v_avail - v_slice, b.total, b.unit, v_rev;
END;
$$;

-- A silo hands its lease back: closed, its unused part available again. Returns what it used,
-- or NULL if it was closed already (reclaimed or revoked meanwhile) or is unknown.
CREATE OR REPLACE FUNCTION offer_budget_return(p_lease bigint, p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_offer text;
BEGIN
    SELECT offer_id INTO v_offer FROM offer_budget_lease WHERE lease_id = p_lease;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    PERFORM 1 FROM offer_budget WHERE offer_id = v_offer FOR UPDATE;
    RETURN offer_budget_close_lease(p_lease, 'returned', p_now);
END;
$$;

-- Sets an offer's budget from a published program (version p_program). A program older than the
-- one that last set it changes nothing ('stale': a silo still on an older program can't set a
-- total back). The unit can't change (a new offer id is a new campaign). Raising the total makes
-- the difference available at once. Lowering it applies at once too: if what is spent and held
-- no longer fits under the new total, every open lease is revoked (closed, counting its uses, so
-- silos' later uses of it are refused and decided again), and nothing more is granted until
-- give-backs bring the spending under the total. What was already spent stays spent.
-- Returns 'created', 'updated', 'unchanged' or 'stale'.
CREATE OR REPLACE FUNCTION offer_budget_define(p_offer text, p_unit text, p_total bigint, p_program integer, p_now timestamptz)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    b       offer_budget;
    v_lease bigint;
BEGIN
    INSERT INTO offer_budget (offer_id, unit, total, program_version, updated_at)
    VALUES (p_offer, p_unit, p_total, p_program, p_now)
    ON CONFLICT (offer_id) DO NOTHING;
    IF FOUND THEN
        RETURN 'created';
    END IF;

    SELECT * INTO b FROM offer_budget WHERE offer_id = p_offer FOR UPDATE;
    IF b.unit <> p_unit THEN
        RAISE EXCEPTION 'the budget of offer % is in %, not %: a budget''s unit can''t change (give the offer a new id)', p_offer, b.unit, p_unit
            USING ERRCODE = 'MGB03';
    END IF;

    IF p_program < b.program_version THEN
        RETURN 'stale';
    END IF;

    IF b.total = p_total THEN
        UPDATE offer_budget SET program_version = p_program WHERE offer_id = p_offer;
        RETURN 'unchanged';
    END IF;

    UPDATE offer_budget SET total = p_total, program_version = p_program, updated_at = p_now, revision = revision + 1 WHERE offer_id = p_offer;
    IF p_total < b.total AND offer_budget_available(p_offer) < 0 THEN
        FOR v_lease IN
            SELECT lease_id FROM offer_budget_lease WHERE offer_id = p_offer AND closed_at IS NULL ORDER BY lease_id
        LOOP
            PERFORM offer_budget_close_lease(v_lease, 'revoked', p_now);
        END LOOP;
    END IF;

    RETURN 'updated';
END;
$$;

-- The offer's budget as committed now (no locks): total, what is available to grant, what open
-- leases hold, the net units spent (closed leases' use, uses on open leases so far, minus
-- give-backs), the number of open leases, and the revision it is as of. No row when the offer
-- has no budget.
DROP FUNCTION IF EXISTS offer_budget_status(text);
CREATE OR REPLACE FUNCTION offer_budget_status(p_offer text)
RETURNS TABLE (unit text, total bigint, available bigint, held bigint, spent bigint, open_leases integer, revision bigint)
LANGUAGE sql STABLE AS $$
    WITH lease_open AS (
        SELECT l.lease_id, l.amount FROM offer_budget_lease AS l WHERE l.offer_id = p_offer AND l.closed_at IS NULL
    ), figures AS (
        SELECT
            (SELECT coalesce(sum(o.amount), 0) FROM lease_open AS o) AS held,
            (SELECT count(*) FROM lease_open) AS leases,
            (SELECT coalesce(sum(u.amount), 0) FROM offer_use AS u WHERE u.lease_id IN (SELECT o.lease_id FROM lease_open AS o) AND NOT u.give_back) AS open_used,
            (SELECT coalesce(sum(u.amount), 0) FROM offer_use AS u WHERE u.offer_id = p_offer AND u.give_back AND u.amount > 0) AS given_back
    )
    SELECT b.unit, b.total,
           b.total - b.closed_used - f.held + f.given_back,
           f.held,
           b.closed_used + f.open_used - f.given_back,
           f.leases::integer,
           b.revision
    FROM offer_budget AS b, figures AS f
    WHERE b.offer_id = p_offer
$$;
