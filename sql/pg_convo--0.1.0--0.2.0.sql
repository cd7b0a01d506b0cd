-- pg_convo 0.1.0 → 0.2.0 (`alter extension pg_convo update to '0.2.0'`; the migration
-- 20261123000000_foundation_0_2_0 runs it).
--
-- 0.2.0 changes what the library does, not which SQL objects the extension owns:
--   * no Rust backtrace reaches a client, whatever RUST_BACKTRACE says (errors::hide_backtraces);
--   * error messages no longer repeat caller text (the value goes to DETAIL);
--   * load_or_create_session survives a concurrent delete of its session (it starts over).
-- So the update only checks that the library now installed is 0.2.0 or newer: the 0.1.0
-- objects' symbols are served unchanged by every later library.

do $check$
declare
  v_library text := @extschema@.info() ->> 'version';
begin
  if pg_catalog.string_to_array(v_library, '.')::int[] < array[0, 2, 0] then
    raise exception 'the pg_convo library installed on this server is %, older than the extension version 0.2.0 this update needs', v_library
      using errcode = '0A000',
            hint = 'Install the pg_convo 0.2.0 build first (make install, or unpack the package from make package), then run the update again.';
  end if;
end
$check$;
