-- 030_roles.sql: the read-only role yj-extract connects as.
--
-- yj_extract may log in (no password: use peer/trust on the socket, or a PGPASSFILE set by
-- the administrator), read cms, cms_history and cms_asof, and call the cms_asof functions.
-- Its sessions default to read-only transactions. Safe to run again: the role is created
-- only if missing and the grants are repeated.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yj_extract') THEN
        CREATE ROLE yj_extract LOGIN;
    END IF;
END
$$;

ALTER ROLE yj_extract SET default_transaction_read_only = on;

GRANT USAGE ON SCHEMA cms, cms_history, cms_asof TO yj_extract;
GRANT SELECT ON ALL TABLES IN SCHEMA cms, cms_history TO yj_extract;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA cms_asof TO yj_extract;
ALTER DEFAULT PRIVILEGES IN SCHEMA cms, cms_history GRANT SELECT ON TABLES TO yj_extract;
ALTER DEFAULT PRIVILEGES IN SCHEMA cms_asof GRANT EXECUTE ON FUNCTIONS TO yj_extract;
