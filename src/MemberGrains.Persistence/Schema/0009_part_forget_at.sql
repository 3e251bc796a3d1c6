-- Forgotten parts are pruned in the background, not by the till's write. Until 0008 a change that
-- made a member forget a part by time (an answered request past its retention, a purchase past
-- its refund window, a hold closed for a day) also deleted its member_part row in the same
-- transaction. From here each row carries the instant the member forgets it (forget_at; NULL: not
-- by time — a lot, an open hold), the member's write leaves such a row alone, a load skips rows
-- past their forget_at, and the sweeper deletes them a page at a time (MemberSweepSession).
--
-- Rows written before this script have no forget_at: the member's own write deletes them when it
-- forgets them, as before, so nothing is ever loaded back that the member has forgotten.

ALTER TABLE member_part ADD COLUMN IF NOT EXISTS forget_at timestamptz;

-- Partial: lots and open holds are never looked up by it. Each request or purchase row is one
-- more entry at insert; the pruner reads the oldest first.
CREATE INDEX IF NOT EXISTS member_part_forget_at ON member_part (forget_at) WHERE forget_at IS NOT NULL;
