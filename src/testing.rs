//! Helpers shared by the `#[pg_test]`s of every module.

use pgrx::prelude::*;

/// Loads the Supabase compatibility bootstrap (roles, `auth` schema, `auth.uid()` …) into the
/// test database, exactly as `make up` does, so functions that read JWT claims can be tested.
pub fn supabase_bootstrap() {
    Spi::run(include_str!("../sql/supabase_bootstrap.sql")).expect("bootstrap");
}

/// The pgTAP suites' helper library (sql/test_helpers.sql, schema `tests`), loaded into this
/// test's transaction when it is not there yet: "create a user" and "act as" have one
/// implementation, shared by the pgTAP suites and these tests. Needs the Supabase bootstrap.
fn ensure_test_helpers() {
    let loaded =
        Spi::get_one::<bool>("select to_regprocedure('tests.act_as(text, uuid)') is not null")
            .expect("look for the test helpers")
            .unwrap_or(false);
    if !loaded {
        Spi::run(include_str!("../sql/test_helpers.sql")).expect("load sql/test_helpers.sql");
    }
}

/// Acts as PostgREST does for a request: sets the role and the JWT claims, transaction-local,
/// and empties the old per-claim settings (tests.act_as). `sub = None` means no `sub` claim
/// (anon, or a service key).
pub fn act_as(role: &str, sub: Option<&str>) {
    ensure_test_helpers();
    Spi::run_with_args(
        "select tests.act_as($1, $2::uuid)",
        &[role.into(), sub.into()],
    )
    .expect("act_as");
}

/// Back to the test's own (superuser) role, claims cleared.
pub fn act_as_superuser() {
    Spi::run("select set_config('role', 'none', true), set_config('request.jwt.claims', '', true)")
        .expect("act_as_superuser");
}

/// Runs `sql`, which must fail, and returns the error's (SQLSTATE, message, hint).
/// The statement runs inside a PL/pgSQL exception block, i.e. a real subtransaction, so the
/// test's transaction stays usable afterwards.
pub fn error_of(sql: &str) -> (String, String, Option<String>) {
    // created once per session, by whichever role comes first (tests switch roles)
    Spi::run(
        r#"
        do $do$ begin
          if to_regprocedure('pg_temp.error_of(text)') is null then
            create function pg_temp.error_of(stmt text, out state text, out msg text, out hint text)
            language plpgsql as $$
            begin
              execute stmt;
              state := 'no error';
            exception when others then
              get stacked diagnostics state = returned_sqlstate, msg = message_text, hint = pg_exception_hint;
              hint := nullif(hint, '');
            end $$;
          end if;
        end $do$"#,
    )
    .expect("create pg_temp.error_of");
    let (state, msg, hint) = Spi::get_three_with_args::<String, String, String>(
        "select state, msg, hint from pg_temp.error_of($1)",
        &[sql.into()],
    )
    .expect("error_of");
    let state = state.expect("state");
    assert_ne!(state, "no error", "expected `{sql}` to fail");
    (state, msg.unwrap_or_default(), hint)
}

/// Runs `sql`, which must fail, and returns the error's DETAIL (`None` when it has none).
pub fn error_detail_of(sql: &str) -> Option<String> {
    Spi::run(
        r#"
        do $do$ begin
          if to_regprocedure('pg_temp.error_detail_of(text)') is null then
            create function pg_temp.error_detail_of(stmt text, out detail text)
            language plpgsql as $$
            begin
              execute stmt;
              raise exception 'expected the statement to fail';
            exception when others then
              get stacked diagnostics detail = pg_exception_detail;
              detail := nullif(detail, '');
            end $$;
          end if;
        end $do$"#,
    )
    .expect("create pg_temp.error_detail_of");
    Spi::get_one_with_args::<String>("select pg_temp.error_detail_of($1)", &[sql.into()])
        .expect("error_detail_of")
}

/// The bootstrap and then every migration in `migrations/`, in order: the real schema, as
/// `make up` builds it (the foundation's `create extension if not exists` finds pgrx's).
pub fn load_schema() {
    supabase_bootstrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("migrations/")
        .map(|e| e.expect("migration file").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    for f in files {
        let sql = std::fs::read_to_string(&f).expect("read migration");
        Spi::run(&sql).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
}

/// A user in auth.users (the profiles trigger gives them a profile), made by the helper library's
/// tests.create_user; returns the id as text.
pub fn create_user(email: &str) -> String {
    ensure_test_helpers();
    Spi::get_one_with_args::<pgrx::Uuid>(
        "select tests.create_user($1, 'Test User')",
        &[email.into()],
    )
    .expect("create user")
    .expect("id")
    .to_string()
}
