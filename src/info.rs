//! `convo.info()`: who PostgREST says the caller is, and which pg_convo answers.
//! Served as `public.convo_info()` (migrations/…_foundation.sql); it proves the whole path
//! Rust → SQL wrapper and grants → PostgREST → JWT claims.

use crate::errors::{ConvoResult, OrRaise};
use pgrx::prelude::*;
use pgrx::{JsonB, Uuid};
use serde_json::json;

/// The caller as the Supabase auth functions see them: (`auth.role()`, `auth.uid()`).
/// A read-only SPI call (`select`): `Spi::get_two` runs its query as a write, which assigns a
/// transaction id, and a hot standby refuses that (XX000 "cannot assign TransactionIds during
/// recovery"), so `GET /rpc/convo_info` would fail on every read replica.
pub fn current_role_and_uid() -> ConvoResult<(Option<String>, Option<Uuid>)> {
    Ok(Spi::connect(|c| {
        c.select("select auth.role(), auth.uid()", Some(1), &[])?
            .first()
            .get_two::<String, Uuid>()
    })?)
}

#[pg_extern(stable, parallel_safe, name = "info")]
fn info() -> JsonB {
    let (role, uid) = current_role_and_uid().or_raise();
    JsonB(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "role": role,
        "uid": uid.map(|u| u.to_string()),
    }))
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use crate::testing::{act_as, act_as_superuser, load_schema, supabase_bootstrap};
    use pgrx::prelude::*;
    use pgrx::JsonB;
    use serde_json::json;

    fn info_now() -> serde_json::Value {
        Spi::get_one::<JsonB>("select convo.info()")
            .unwrap()
            .unwrap()
            .0
    }

    #[pg_test]
    fn reports_version_role_and_uid_of_a_user() {
        load_schema(); // grants the API roles usage on convo
        let uid = "0b4b2b9e-8d55-4c84-9d25-7c4f3e0f4a11";
        act_as("authenticated", Some(uid));
        let got = info_now();
        act_as_superuser();
        assert_eq!(
            got,
            json!({"version": env!("CARGO_PKG_VERSION"), "role": "authenticated", "uid": uid})
        );
    }

    #[pg_test]
    fn anon_has_a_role_and_no_uid() {
        load_schema();
        act_as("anon", None);
        let got = info_now();
        act_as_superuser();
        assert_eq!(got["role"], "anon");
        assert!(got["uid"].is_null());
    }

    #[pg_test]
    fn the_old_per_claim_setting_wins_over_the_json_claims() {
        // Supabase's auth.uid() reads request.jwt.claim.sub first; ours must too.
        supabase_bootstrap();
        Spi::run(
            "select set_config('request.jwt.claim.sub', '11111111-1111-1111-1111-111111111111', true),
                    set_config('request.jwt.claims', '{\"sub\":\"22222222-2222-2222-2222-222222222222\",\"role\":\"authenticated\"}', true)",
        )
        .unwrap();
        assert_eq!(info_now()["uid"], "11111111-1111-1111-1111-111111111111");
    }

    #[pg_test]
    fn no_claims_at_all_gives_nulls() {
        supabase_bootstrap();
        let got = info_now();
        assert!(got["role"].is_null() && got["uid"].is_null());
    }
}
