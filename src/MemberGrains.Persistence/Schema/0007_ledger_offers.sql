-- Offers (program documents from version 1.1 of the format) give bonus points that are ledger rows
-- of their own, kind 'Offer', naming the offer, so a member's history can say which offer it was.
-- Rows of other kinds leave offer_id NULL; a refund taking an offer's points back names it too.
ALTER TABLE points_ledger ADD COLUMN IF NOT EXISTS offer_id text NULL;

-- points_ledger_kind_check is the name 0003 gave the kind CHECK; it gains 'Offer'.
ALTER TABLE points_ledger DROP CONSTRAINT IF EXISTS points_ledger_kind_check;
ALTER TABLE points_ledger ADD CONSTRAINT points_ledger_kind_check
    CHECK (kind IN ('Enrollment', 'Earn', 'Redeem', 'RefundClawback', 'Expire', 'Activity', 'DebtRecovery', 'Offer'));
