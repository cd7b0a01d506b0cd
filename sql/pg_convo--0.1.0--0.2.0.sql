-- pg_convo 0.1.0 → 0.2.0 (`alter extension pg_convo update to '0.2.0'`; the migration
-- 20261123000000_foundation_0_2_0 runs it).
--
-- What 0.2.0 changes:
--   * new: token counting and context windows (src/tokens.rs): convo.count_tokens,
--     convo.fit_chat_turns, convo.fit_memories, convo.fit_session_messages — created below,
--     exactly as a fresh 0.2.0
--     install creates them (scripts/test_upgrade.sh compares the two catalogs);
--   * the library only: no Rust backtrace reaches a client, whatever RUST_BACKTRACE says
--     (errors::hide_backtraces); error messages no longer repeat caller text (the value goes to
--     DETAIL); load_or_create_session survives a concurrent delete of its session (it starts over).
-- Every 0.1.0 object stays, with the same symbol: a library is never older than the script that
-- declares its functions (checked first).

do $check$
declare
  v_library text;
begin
  -- info() reads auth.role()/auth.uid(): without Supabase's auth schema the version is unknown
  -- here, and a library without the new symbols still fails below (could not find function …).
  begin
    v_library := @extschema@.info() ->> 'version';
  exception when others then
    return;
  end;
  if pg_catalog.string_to_array(v_library, '.')::int[] < array[0, 2, 0] then
    raise exception 'the pg_convo library installed on this server is %, older than the extension version 0.2.0 this update needs', v_library
      using errcode = '0A000',
            hint = 'Install the pg_convo 0.2.0 build first (make install, or unpack the package from make package), then run the update again.';
  end if;
end
$check$;

-- src/tokens.rs
CREATE FUNCTION @extschema@."count_tokens"(
	"text" TEXT,
	"encoding_name" TEXT DEFAULT 'o200k_base'
) RETURNS INT
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'count_tokens_sql_wrapper';

CREATE FUNCTION @extschema@."fit_chat_turns"(
	"p_user_id" uuid,
	"p_budget" INT,
	"p_session_id" uuid
) RETURNS uuid[]
STABLE
LANGUAGE c
AS 'MODULE_PATHNAME', 'fit_chat_turns_sql_wrapper';

CREATE FUNCTION @extschema@."fit_memories"(
	"p_user_id" uuid,
	"p_budget" INT
) RETURNS uuid[]
STABLE
LANGUAGE c
AS 'MODULE_PATHNAME', 'fit_memories_sql_wrapper';

CREATE FUNCTION @extschema@."fit_session_messages"(
	"p_session_id" uuid,
	"p_budget" INT,
	"p_region" TEXT
) RETURNS uuid[]
STABLE
LANGUAGE c
AS 'MODULE_PATHNAME', 'fit_session_messages_sql_wrapper';
