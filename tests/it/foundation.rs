//! The whole path Rust → SQL wrapper and grants → PostgREST → JWT claims, with real tokens.

use pg_convo_integration::*;
use serde_json::{json, Value};

fn installed_version() -> String {
    db().query_one(
        "select extversion from pg_extension where extname = 'pg_convo'",
        &[],
    )
    .unwrap()
    .get(0)
}

#[test]
fn anon_key_alone_is_anon() {
    let r = api("GET", "/rpc/convo_info", &As::Anon, None, &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"version": installed_version(), "role": "anon", "uid": null})
    );
}

#[test]
fn a_user_token_is_that_user_by_get_and_post() {
    let uid = create_user("info");
    let who = As::User(user_token(&uid));
    for r in [
        api("GET", "/rpc/convo_info", &who, None, &[]),
        rpc("convo_info", &who, json!({})),
    ] {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["role"], "authenticated");
        assert_eq!(r.body["uid"], Value::String(uid.clone()));
    }
}

#[test]
fn the_service_key_is_service_role() {
    let r = rpc("convo_info", &As::Service, json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["role"], "service_role");
    assert!(r.body["uid"].is_null());
}

#[test]
fn postgrest_answers_directly_too() {
    let r = rest("GET", "/rpc/convo_info", &As::Service, None, &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["role"], "service_role");
}

#[test]
fn bad_tokens_get_401() {
    let s = stack();
    let now = now_secs();
    let claims = json!({"sub": "11111111-1111-4111-8111-111111111111", "role": "authenticated", "exp": now + 600});
    let wrong_secret = mint("not-the-secret-not-the-secret-not-the-secret", &claims);
    let expired = mint(
        &s.jwt_secret,
        &json!({"sub": "11111111-1111-4111-8111-111111111111",
                                              "role": "authenticated", "exp": now - 600}),
    );
    for (what, token) in [
        ("wrong secret", wrong_secret),
        ("expired", expired),
        ("garbage", "abc.def.ghi".to_string()),
    ] {
        let r = api("GET", "/rpc/convo_info", &As::Bearer(token), None, &[]);
        assert_eq!(r.status, 401, "{what}: {}", r.text);
        assert!(
            r.body["code"].as_str().unwrap_or("").starts_with("PGRST3"),
            "{what}: {}",
            r.text
        );
    }
}

#[test]
fn the_gateway_wants_an_api_key() {
    let r = api("GET", "/rpc/convo_info", &As::Nobody, None, &[]);
    assert_eq!(r.status, 401, "{}", r.text);
}

#[test]
fn execute_privilege_decides_401_for_anon_and_403_for_a_user() {
    // Two throwaway functions in the test database, each granted to one role only. They pin
    // search_path like every function in public: an inlinable SQL function's EXECUTE is checked
    // only when PostgREST's prepared plan is made, so the service role's warm-up below would
    // otherwise open it to the user (see the search_path lint in pgrx-tests/00_foundation.sql).
    db().batch_execute(
        "create or replace function public.it_members_only() returns text language sql set search_path = '' as $$ select 'members:' || current_user $$;
         revoke execute on function public.it_members_only() from public, anon;
         grant execute on function public.it_members_only() to authenticated;
         create or replace function public.it_backend_only() returns text language sql set search_path = '' as $$ select 'backend:' || current_user $$;
         revoke execute on function public.it_backend_only() from public, anon, authenticated;
         grant execute on function public.it_backend_only() to service_role;",
    )
    .unwrap();
    reload_schema_until(|| rpc("it_backend_only", &As::Service, json!({})).status == 200);

    let user = As::User(user_token(&create_user("exec")));
    let anon_call = rpc("it_members_only", &As::Anon, json!({}));
    assert_eq!(anon_call.status, 401, "{}", anon_call.text);
    assert_eq!(anon_call.body["code"], "42501");
    assert_eq!(
        rpc("it_members_only", &user, json!({})).body,
        json!("members:authenticated")
    );
    let user_call = rpc("it_backend_only", &user, json!({}));
    assert_eq!(user_call.status, 403, "{}", user_call.text);
    assert_eq!(user_call.body["code"], "42501");
    // and convo_info itself stays callable by all three
    assert_eq!(rpc("convo_info", &As::Anon, json!({})).status, 200);
}

#[test]
fn openapi_shows_the_rpc_comment() {
    let r = api(
        "GET",
        "/",
        &As::Anon,
        None,
        &[("Accept", "application/openapi+json")],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let path = &r.body["paths"]["/rpc/convo_info"];
    let text = path.to_string();
    assert!(
        text.contains("pg_convo's version"),
        "no description for /rpc/convo_info: {text}"
    );
}
