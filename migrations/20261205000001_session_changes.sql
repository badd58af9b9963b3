-- Every server process keeps the sessions it looked up lately in memory (auth::session_cache)
-- and listens on the channel `atrium_sessions` to forget them. A change to a user (deactivated,
-- new role, language, password or time zone) or a deleted session sends the user's id at
-- commit, and emptying either table sends `*`, so a deactivated user is refused on every
-- server at once. Postgres sends a payload once per transaction, however many rows repeat it.
CREATE FUNCTION atrium_session_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('atrium_sessions', '*');
    ELSIF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('atrium_sessions', OLD.id::text);
    ELSE
        PERFORM pg_notify('atrium_sessions', OLD.user_id::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_session_changed AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION atrium_session_changed();

CREATE TRIGGER sessions_session_changed AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION atrium_session_changed();

CREATE TRIGGER users_emptied AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION atrium_session_changed();

CREATE TRIGGER sessions_emptied AFTER TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION atrium_session_changed();
