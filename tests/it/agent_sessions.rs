//! Agent sessions through PostgREST with the service key, as the SMS and assistant backends
//! call it: the seeds' calls as written, load_or_create_session, and its races.

use pg_convo_integration::*;
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};

/// A phone number no other test uses.
fn fresh_phone() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 10_000_000_000;
    format!("+1{n:010}")
}

fn load(phone: &str) -> Resp {
    rpc(
        "load_or_create_session",
        &As::Service,
        json!({"p_phone_number": phone}),
    )
}

#[test]
fn only_the_service_role_gets_in() {
    let phone = fresh_phone();
    let anon = rpc(
        "load_or_create_session",
        &As::Anon,
        json!({"p_phone_number": phone}),
    );
    assert_eq!(
        (anon.status, anon.body["code"].clone()),
        (401, json!("42501")),
        "{}",
        anon.text
    );
    let user = rpc(
        "load_or_create_session",
        &As::User(user_token(&create_user("sms"))),
        json!({"p_phone_number": phone}),
    );
    assert_eq!(user.status, 403, "{}", user.text);
    for table in [
        "user_sessions",
        "messages",
        "soul_memories",
        "clients",
        "orders",
    ] {
        let r = api("GET", &format!("/{table}?select=*"), &As::Anon, None, &[]);
        assert_eq!(r.status, 401, "anon reads {table}: {}", r.text);
    }
}

#[test]
fn the_seeds_calls_work_as_written() {
    let phone = fresh_phone();
    // .from('user_sessions').select('*').eq('phone_number', …).single() for an unknown phone
    let single = [("Accept", "application/vnd.pgrst.object+json")];
    let none = api(
        "GET",
        &format!(
            "/user_sessions?select=*&phone_number=eq.{}",
            phone.replace('+', "%2B")
        ),
        &As::Service,
        None,
        &single,
    );
    assert_eq!(
        (none.status, none.body["code"].clone()),
        (406, json!("PGRST116")),
        "{}",
        none.text
    );

    let s = load(&phone);
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body["is_new_session"], true);
    let id = s.body["id"].as_str().unwrap().to_string();
    let found = api(
        "GET",
        &format!(
            "/user_sessions?select=*&phone_number=eq.{}",
            phone.replace('+', "%2B")
        ),
        &As::Service,
        None,
        &single,
    );
    assert_eq!(found.status, 200, "{}", found.text);
    assert_eq!(found.body["id"], Value::String(id.clone()));

    // the three memory upserts, each twice: one row, the newer value
    let upserts = [
        (
            "soul_memories",
            "session_id,key",
            json!({"session_id": id, "key": "name", "value": "Ann"}),
        ),
        (
            "process_memories",
            "session_id,process_name,key",
            json!({"session_id": id, "process_name": "intro", "key": "step", "value": 1}),
        ),
        (
            "mental_process_state",
            "session_id",
            json!({"session_id": id, "process_name": "intro", "params": {"a": 1}}),
        ),
    ];
    for (table, on_conflict, row) in &upserts {
        for _ in 0..2 {
            let r = api(
                "POST",
                &format!("/{table}?on_conflict={on_conflict}"),
                &As::Service,
                Some(row),
                &[
                    (
                        "Prefer",
                        "resolution=merge-duplicates,return=representation",
                    ),
                    ("Accept", "application/vnd.pgrst.object+json"),
                ],
            );
            assert!(r.status == 201 || r.status == 200, "{table}: {}", r.text);
        }
        let n = api(
            "GET",
            &format!("/{table}?session_id=eq.{id}&select=id"),
            &As::Service,
            None,
            &[],
        );
        assert_eq!(n.body.as_array().unwrap().len(), 1, "{table}");
    }

    // saveMessage, a retried webhook with the same message_sid, and history by region
    let sid = format!("SM{}", uuid::Uuid::new_v4().simple());
    let msg = json!({"session_id": id, "role": "user", "content": "hello", "region": "core",
                     "message_sid": sid, "metadata": {}});
    for _ in 0..2 {
        let r = api(
            "POST",
            "/messages?on_conflict=message_sid",
            &As::Service,
            Some(&msg),
            &[(
                "Prefer",
                "resolution=merge-duplicates,return=representation",
            )],
        );
        assert!(r.status == 201 || r.status == 200, "{}", r.text);
    }
    api(
        "POST",
        "/messages",
        &As::Service,
        Some(&json!({"session_id": id, "role": "assistant", "content": "hi!"})),
        &[],
    );
    let core = api(
        "GET",
        &format!("/messages?select=*&session_id=eq.{id}&region=eq.core&order=created_at.asc"),
        &As::Service,
        None,
        &[],
    );
    assert_eq!(core.body.as_array().unwrap().len(), 1, "{}", core.text);
    let all = api(
        "GET",
        &format!("/messages?select=*&session_id=eq.{id}&order=created_at.asc&limit=20"),
        &As::Service,
        None,
        &[],
    );
    assert_eq!(all.body.as_array().unwrap().len(), 2);

    // increment_session_messages, the seed's name and parameter
    let inc = rpc(
        "increment_session_messages",
        &As::Service,
        json!({"session_id": id}),
    );
    assert_eq!(
        (inc.status, inc.body.clone()),
        (200, json!(1)),
        "{}",
        inc.text
    );
    let unknown = rpc(
        "increment_session_messages",
        &As::Service,
        json!({"session_id": "6f1e7c52-0d0e-4a57-9d7c-2b8a7d3c9e10"}),
    );
    assert_eq!(unknown.status, 404, "{}", unknown.text);

    // delete_old_messages: nothing is older than a day yet
    let del = rpc(
        "delete_old_messages",
        &As::Service,
        json!({"p_session_id": id, "p_older_than_days": 1}),
    );
    assert_eq!(
        (del.status, del.body.clone()),
        (200, json!(0)),
        "{}",
        del.text
    );
    let bad = rpc(
        "delete_old_messages",
        &As::Service,
        json!({"p_session_id": id, "p_older_than_days": -1}),
    );
    assert_eq!(bad.status, 400, "{}", bad.text);
}

#[test]
fn the_assistants_calls_work_as_written() {
    let email = format!("{}@example.test", uuid::Uuid::new_v4().simple());
    // upsertClient on the email
    for plan in ["basic", "premium"] {
        let r = api(
            "POST",
            "/clients?on_conflict=email",
            &As::Service,
            Some(&json!({"email": email, "name": "Ann", "phone": "+15550009999", "plan": plan})),
            &[(
                "Prefer",
                "resolution=merge-duplicates,return=representation",
            )],
        );
        assert!(r.status == 201 || r.status == 200, "{}", r.text);
    }
    let c = rpc(
        "get_client_by_identifier",
        &As::Service,
        json!({"p_identifier": email.to_uppercase(), "p_type": "email"}),
    );
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(c.body.as_array().unwrap().len(), 1);
    let client_id = c.body[0]["id"].as_str().unwrap().to_string();
    let plan = rpc(
        "get_client_plan",
        &As::Service,
        json!({"p_client_id": client_id}),
    );
    assert_eq!(plan.body, json!("premium"));
    let bad_type = rpc(
        "get_client_by_identifier",
        &As::Service,
        json!({"p_identifier": email, "p_type": "fax"}),
    );
    assert_eq!(bad_type.status, 400, "{}", bad_type.text);

    let conv = format!("conv_{}", uuid::Uuid::new_v4().simple());
    let r = api(
        "POST",
        "/conversations",
        &As::Service,
        Some(&json!({"id": conv, "client_id": client_id, "language": "en"})),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let m = api(
        "POST",
        "/messages",
        &As::Service,
        Some(&json!({"conversation_id": conv, "role": "user", "content": "table for two"})),
        &[],
    );
    assert_eq!(m.status, 201, "{}", m.text);
    let neither = api(
        "POST",
        "/messages",
        &As::Service,
        Some(&json!({"role": "user", "content": "orphan"})),
        &[],
    );
    assert_eq!(
        neither.status, 400,
        "a message needs exactly one parent: {}",
        neither.text
    );
    let order = api(
        "POST",
        "/orders",
        &As::Service,
        Some(
            &json!({"client_id": client_id, "order_id": format!("ord_{conv}"), "amount": 12.5, "items": [{"sku": "a"}]}),
        ),
        &[],
    );
    assert_eq!(order.status, 201, "{}", order.text);
    let negative = api(
        "POST",
        "/orders",
        &As::Service,
        Some(&json!({"client_id": client_id, "order_id": format!("neg_{conv}"), "amount": -1})),
        &[],
    );
    assert_eq!(negative.status, 400, "{}", negative.text);
}

#[test]
fn malformed_phone_numbers_are_400() {
    for bad in ["5551234567", "+1-555-CALL-NOW", "+0123"] {
        let r = load(bad);
        assert_eq!(
            (r.status, r.body["code"].clone()),
            (400, json!("22023")),
            "{bad}: {}",
            r.text
        );
    }
}

/// Runs `f` on `n` threads released together, and returns their results.
fn all_at_once<T: Send + 'static>(
    n: usize,
    f: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(n));
    let f = Arc::new(f);
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, f) = (barrier.clone(), f.clone());
            std::thread::spawn(move || {
                barrier.wait();
                f(i)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn sixty_four_callers_for_a_new_phone_make_one_session() {
    let phone = fresh_phone();
    let p = phone.clone();
    let results = all_at_once(64, move |_| load(&p));
    let mut ids: Vec<String> = Vec::new();
    let mut new_count = 0;
    for r in &results {
        assert_eq!(r.status, 200, "{}", r.text);
        ids.push(r.body["id"].as_str().unwrap().to_string());
        if r.body["is_new_session"] == true {
            new_count += 1;
        }
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one session id for all");
    assert_eq!(new_count, 1, "exactly one caller created it");
    let rows: i64 = db()
        .query_one(
            "select count(*) from user_sessions where phone_number = $1",
            &[&phone],
        )
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
}

#[test]
fn sixty_four_callers_for_a_timed_out_session_roll_it_over_once() {
    let phone = fresh_phone();
    let id = load(&phone).body["id"].as_str().unwrap().to_string();
    let uuid = uuid(&id);
    db().batch_execute(&format!(
        "update user_sessions set metadata = jsonb_set(metadata, '{{last_session_started_at}}', to_jsonb(now() - interval '3 hours')) where id = '{id}';
         insert into messages (session_id, role, content, created_at) values ('{id}', 'user', 'old', now() - interval '2 hours');
         insert into process_memories (session_id, process_name, key, value) values ('{id}', 'p', 'k', '1');
         insert into soul_memories (session_id, key, value) values ('{id}', 'k', '1');")).unwrap();
    let p = phone.clone();
    let results = all_at_once(64, move |_| load(&p));
    let rolled = results
        .iter()
        .filter(|r| r.body["rolled_over"] == true)
        .count();
    for r in &results {
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(rolled, 1, "exactly one caller rolled the session over");
    let row = db()
        .query_one(
            "select (metadata->>'session_number')::int,
                (select count(*) from process_memories where session_id = $1),
                (select count(*) from soul_memories where session_id = $1)
         from user_sessions where id = $1",
            &[&uuid],
        )
        .unwrap();
    let (number, process, soul): (i32, i64, i64) = (row.get(0), row.get(1), row.get(2));
    assert_eq!(
        (number, process, soul),
        (2, 0, 1),
        "+1 exactly once, ephemeral cleared, soul kept"
    );
}

#[test]
fn sixty_four_times_a_hundred_increments_are_exact() {
    let id = load(&fresh_phone()).body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let i = id.clone();
    all_at_once(64, move |_| {
        for _ in 0..100 {
            let r = rpc(
                "increment_session_messages",
                &As::Service,
                json!({"session_id": i}),
            );
            assert_eq!(r.status, 200, "{}", r.text);
        }
    });
    let total: i32 = db()
        .query_one(
            "select total_messages from user_sessions where id = $1",
            &[&uuid(&id)],
        )
        .unwrap()
        .get(0);
    assert_eq!(total, 6400);
}
