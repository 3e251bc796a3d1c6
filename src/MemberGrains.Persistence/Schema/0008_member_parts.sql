-- A change writes only what it changed. Until 0007 every commit rewrote the member's whole state
-- (member.state: lots, holds, every purchase kept for refunds and every remembered answer), tens
-- of KB for an active member. From here member.state is the member's core document (counters,
-- buckets, flags, wallet, offer counters, category statistics: bounded, no per-purchase growth)
-- and each keyed collection that grows with history is one row per element in member_part:
--   kind 'lot'      key = the lot's number        data = the PointsLot
--   kind 'hold'     key = the hold id             data = the RedemptionHold
--   kind 'purchase' key = the purchase request id data = the PurchaseRecord (kept for refunds)
--   kind 'request'  key = the request id          data = the ProcessedRequest (idempotency)
-- Written by MemberGrains.Persistence.MemberStore in the same implicit transaction as the member
-- row (guarded by its version), so member + parts are always one consistent state. Element JSON
-- is exactly the element as it appeared inside the whole document (same names), so the split
-- below and the application agree.
--
-- Upgrading: stop every silo of an older version first (an older silo would read a core document
-- as a member without lots). Re-runnable: the split only touches documents that still hold the
-- collections.

CREATE TABLE IF NOT EXISTS member_part (
    member_id text  NOT NULL,
    kind      text  NOT NULL CHECK (kind IN ('lot', 'hold', 'purchase', 'request')),
    key       text  NOT NULL,
    data      jsonb NOT NULL,
    PRIMARY KEY (member_id, kind, key)
) WITH (fillfactor = 90);

-- The member row is now small and updated by every change; no column a change sets is indexed
-- except due_at (partial index, changes rarely), so updates can stay HOT when the page has room.
ALTER TABLE member SET (fillfactor = 80);

-- The stored format of member.state: 1 = whole document (0002–0007), 2 = core document + parts.
ALTER TABLE member ADD COLUMN IF NOT EXISTS state_format smallint NOT NULL DEFAULT 1;
ALTER TABLE member ALTER COLUMN state_format SET DEFAULT 2;

INSERT INTO member_part (member_id, kind, key, data)
SELECT m.member_id, 'lot', l.value ->> 'id', l.value
FROM member AS m, jsonb_array_elements(m.state -> 'lots') AS l
WHERE m.state_format = 1 AND jsonb_typeof(m.state -> 'lots') = 'array'
ON CONFLICT (member_id, kind, key) DO NOTHING;

INSERT INTO member_part (member_id, kind, key, data)
SELECT m.member_id, 'hold', h.key, h.value
FROM member AS m, jsonb_each(m.state -> 'holds') AS h
WHERE m.state_format = 1 AND jsonb_typeof(m.state -> 'holds') = 'object'
ON CONFLICT (member_id, kind, key) DO NOTHING;

INSERT INTO member_part (member_id, kind, key, data)
SELECT m.member_id, 'purchase', p.key, p.value
FROM member AS m, jsonb_each(m.state -> 'purchases') AS p
WHERE m.state_format = 1 AND jsonb_typeof(m.state -> 'purchases') = 'object'
ON CONFLICT (member_id, kind, key) DO NOTHING;

INSERT INTO member_part (member_id, kind, key, data)
SELECT m.member_id, 'request', r.key, r.value
FROM member AS m, jsonb_each(m.state -> 'requests') AS r
WHERE m.state_format = 1 AND jsonb_typeof(m.state -> 'requests') = 'object'
ON CONFLICT (member_id, kind, key) DO NOTHING;

-- The version stays: the state is the same, only stored differently.
UPDATE member
SET state = state - 'lots' - 'holds' - 'purchases' - 'requests', state_format = 2
WHERE state_format = 1;
