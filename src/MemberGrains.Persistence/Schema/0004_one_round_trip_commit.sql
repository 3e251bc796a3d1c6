-- Group commit in one round trip: the member store sends a batch's statements with a single Sync,
-- so PostgreSQL runs them as one implicit transaction and commits it without a COMMIT message.
-- The version check therefore has to fail inside the batch: each member statement ends by
-- calling this function with the number of rows it meant to write, and a shortfall (a member
-- written elsewhere, or already enrolled) raises SQLSTATE MGW01, rolling back the whole batch.
-- Re-runnable.
CREATE OR REPLACE FUNCTION member_expect_written(expected integer, written bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    IF written <> expected THEN
        RAISE EXCEPTION '% of % member writes found another version in Postgres', expected - written, expected
            USING ERRCODE = 'MGW01';
    END IF;
    RETURN written;
END
$$;
