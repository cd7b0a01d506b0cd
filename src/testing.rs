//! Helpers shared by the `#[pg_test]`s of every module.

use pgrx::prelude::*;

/// Loads the Supabase compatibility bootstrap (roles, `auth` schema, `auth.uid()` …) into the
/// test database, exactly as `make up` does, so functions that read JWT claims can be tested.
pub fn supabase_bootstrap() {
    Spi::run(include_str!("../sql/supabase_bootstrap.sql")).expect("bootstrap");
}

/// Acts as PostgREST does for a request: sets the role and the JWT claims, transaction-local.
/// `sub = None` means no `sub` claim (anon, or a service key).
pub fn act_as(role: &str, sub: Option<&str>) {
    let claims = match sub {
        Some(s) => format!(r#"{{"role":"{role}","sub":"{s}"}}"#),
        None => format!(r#"{{"role":"{role}"}}"#),
    };
    Spi::run_with_args(
        "select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
        &[claims.into(), role.into()],
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

/// A user in auth.users (the profiles trigger gives them a profile); returns the id as text.
pub fn create_user(email: &str) -> String {
    Spi::get_one_with_args::<pgrx::Uuid>(
        "insert into auth.users (id, email, raw_user_meta_data)
         values (gen_random_uuid(), $1, '{\"full_name\": \"Test User\"}') returning id",
        &[email.into()],
    )
    .expect("create user")
    .expect("id")
    .to_string()
}
