-- API keys: who may call which gRPC services (MemberGrains.Persistence.ApiKeyStore).
-- A key's text is mgk_<key_id>_<secret>; the secret is 32 random bytes shown once, when the key
-- is created. Only its SHA-256 is kept: 32 random bytes can't be guessed from their hash, so no
-- salt or slow hash is needed, and a copy of this table lets nobody call the API.
-- Re-runnable: the migrator applies it again whenever its text changes.
CREATE TABLE IF NOT EXISTS api_key (
    -- 16 lowercase hex digits (8 random bytes); not secret: it names the key in lists and logs.
    key_id         text        PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
    -- What the key is for ("till-01", "ops"); Unicode text, 1-128 characters.
    name           text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 128),
    -- pos: PointOfSale and StoreScreen; screen: StoreScreen only; admin: every service.
    scope          text        NOT NULL CHECK (scope IN ('pos', 'screen', 'admin')),
    -- SHA-256 of the 32 secret bytes.
    secret_sha256  bytea       NOT NULL CHECK (octet_length(secret_sha256) = 32),
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- Who created it: the admin key that called CreateApiKey, or the offline command and its user.
    created_by     text        NOT NULL,
    -- Set once, when the key is revoked; a revoked key is never valid again.
    revoked_at     timestamptz NULL
);

-- A revoked key stays revoked.
CREATE OR REPLACE FUNCTION api_key_refuse_unrevoke() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
        RAISE EXCEPTION 'api_key % was revoked at %; a revoked key can not be restored (create a new one)', OLD.key_id, OLD.revoked_at
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER api_key_revocation_final
    BEFORE UPDATE ON api_key
    FOR EACH ROW EXECUTE FUNCTION api_key_refuse_unrevoke();
