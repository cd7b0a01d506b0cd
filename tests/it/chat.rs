//! Companion chat through PostgREST: store_chat_pair and its refusals, the seed's own calls as
//! written, the RPCs, and 8 clients × 500 turns in parallel.

use pg_convo_integration::*;
use serde_json::{json, Value};

fn store(who: &As, user: &str, msg: &str, reply: &str, session: Option<&str>) -> Resp {
    rpc(
        "store_chat_pair",
        who,
        json!({"p_user_id": user, "p_user_message": msg,
                                       "p_ai_response": reply, "p_session_id": session}),
    )
}

#[test]
fn store_chat_pair_stores_an_ordered_linked_pair() {
    let (uid, me) = new_user("pair");
    let session = {
        let r = api(
            "POST",
            "/chat_sessions",
            &me,
            Some(&json!({"user_id": uid, "title": "t"})),
            &[("Prefer", "return=representation")],
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body[0]["id"].as_str().unwrap().to_string()
    };
    let r = rpc(
        "store_chat_pair",
        &me,
        json!({"p_user_id": uid, "p_user_message": "I passed my exam",
        "p_ai_response": "Congratulations!", "p_session_id": session, "p_mood": "proud", "p_sentiment": 0.95}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let ai_id = r.body.as_str().expect("the AI message id").to_string();

    // the seed's history call, as written: .select('*').eq('user_id', …).order('timestamp', desc=True).range(0, 9)
    let h = api(
        "GET",
        &format!("/chat_messages?select=*&user_id=eq.{uid}&order=timestamp.desc&offset=0&limit=10"),
        &me,
        None,
        &[],
    );
    assert_eq!(h.status, 200, "{}", h.text);
    let rows = h.body.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], Value::String(ai_id));
    assert_eq!(rows[0]["sender_type"], "ai");
    assert_eq!(rows[0]["reply_to"], rows[1]["id"]);
    assert_eq!(rows[1]["sender_type"], "user");
    assert_eq!(rows[1]["mood_detected"], "proud");
    assert_eq!(rows[1]["sentiment_score"], json!(0.95));
}

#[test]
fn store_chat_pair_refusals_have_their_http_status() {
    let (uid, me) = new_user("refuse");
    let (other, other_who) = new_user("refuse-other");
    let other_session = {
        let r = api(
            "POST",
            "/chat_sessions",
            &other_who,
            Some(&json!({"user_id": other})),
            &[("Prefer", "return=representation")],
        );
        r.body[0]["id"].as_str().unwrap().to_string()
    };
    let long = "x".repeat(5001);
    let cases = [
        (
            "blank message",
            store(&me, &uid, "   ", "r", None),
            400,
            "22023",
        ),
        (
            "message over 5000",
            store(&me, &uid, &long, "r", None),
            400,
            "22023",
        ),
        (
            "reply over 20000",
            store(&me, &uid, "m", &"y".repeat(20001), None),
            400,
            "22023",
        ),
        (
            "sentiment out of range",
            rpc(
                "store_chat_pair",
                &me,
                json!({"p_user_id": uid, "p_user_message": "m",
            "p_ai_response": "r", "p_session_id": null, "p_sentiment": 1.5}),
            ),
            400,
            "22023",
        ),
        (
            "for another user",
            store(&me, &other, "m", "r", None),
            403,
            "42501",
        ),
        // 403 since 20261123010000_chat_clients (was 409): the error says nothing about the session
        (
            "someone else's session",
            store(&me, &uid, "m", "r", Some(&other_session)),
            403,
            "42501",
        ),
        ("anon", store(&As::Anon, &uid, "m", "r", None), 401, "42501"),
        (
            "service role, unknown user",
            store(
                &As::Service,
                "7d0c1d6e-1c2b-4c1f-9a53-2f4f1b1e0a01",
                "m",
                "r",
                None,
            ),
            409,
            "23503",
        ),
    ];
    for (what, r, status, code) in cases {
        assert_eq!(r.status, status, "{what}: {}", r.text);
        assert_eq!(r.body["code"], code, "{what}: {}", r.text);
        assert!(
            !r.body["message"].as_str().unwrap_or("").is_empty(),
            "{what}: a clear message"
        );
    }
    let n: i64 = db()
        .query_one(
            "select count(*) from chat_messages where user_id = any($1::uuid[])",
            &[&vec![uuid(&uid), uuid(&other)]],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "nothing written by any refusal");

    // An unknown session id is no longer a refusal (20261123010000_chat_clients): the session is
    // created for the user on first use, as the seed's backend expects.
    let fresh = uuid::Uuid::new_v4().to_string();
    let r = store(&me, &uid, "m", "r", Some(&fresh));
    assert_eq!(r.status, 200, "unknown session: {}", r.text);
    let owner: uuid::Uuid = db()
        .query_one(
            "select user_id from chat_sessions where id = $1",
            &[&uuid(&fresh)],
        )
        .unwrap()
        .get(0);
    assert_eq!(owner, uuid(&uid), "the new session is the user's");
}

#[test]
fn the_service_role_stores_for_any_user() {
    let uid = create_user("svc");
    let r = store(&As::Service, &uid, "hello", "hi!", None);
    assert_eq!(r.status, 200, "{}", r.text);
}

#[test]
fn seed_search_and_memory_upserts_work_as_written() {
    let (uid, me) = new_user("search");
    assert_eq!(
        store(
            &me,
            &uid,
            "I watched Re:Zero again",
            "Nice, which arc?",
            None
        )
        .status,
        200
    );
    assert_eq!(
        store(
            &me,
            &uid,
            "Work was stressful",
            "Want to talk about it?",
            None
        )
        .status,
        200
    );
    // .ilike('message_text', '%re:zero%')
    let s = api("GET", &format!("/chat_messages?select=*&user_id=eq.{uid}&message_text=ilike.*re:zero*&order=timestamp.desc&limit=20"),
                &me, None, &[]);
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body.as_array().unwrap().len(), 1);

    // user_memories upsert on (user_id, memory_key): twice, one row, the newer value
    for value in ["Re:Zero", "Steins;Gate"] {
        let r = api(
            "POST",
            "/user_memories?on_conflict=user_id,memory_key",
            &me,
            Some(
                &json!({"user_id": uid, "memory_key": "favorite_anime", "memory_value": value,
                          "memory_category": "favorite", "importance": "high"}),
            ),
            &[(
                "Prefer",
                "resolution=merge-duplicates,return=representation",
            )],
        );
        assert!(r.status == 201 || r.status == 200, "{}", r.text);
    }
    let m = api(
        "GET",
        &format!("/user_memories?user_id=eq.{uid}&select=memory_key,memory_value"),
        &me,
        None,
        &[],
    );
    assert_eq!(
        m.body,
        json!([{"memory_key": "favorite_anime", "memory_value": "Steins;Gate"}])
    );

    // the seed's agent_analyses upsert has no on_conflict: PostgREST resolves on the primary key
    for n in [1, 2] {
        let r = api(
            "POST",
            "/agent_analyses",
            &me,
            Some(&json!({"user_id": uid, "agent_type": "music", "analysis_data": {"run": n}})),
            &[(
                "Prefer",
                "resolution=merge-duplicates,return=representation",
            )],
        );
        assert!(r.status == 201 || r.status == 200, "{}", r.text);
    }
    let a = api(
        "GET",
        &format!("/agent_analyses?user_id=eq.{uid}&select=analysis_data"),
        &me,
        None,
        &[],
    );
    assert_eq!(a.body, json!([{"analysis_data": {"run": 2}}]));
}

#[test]
fn history_and_memories_rpcs() {
    let (uid, me) = new_user("history");
    for i in 0..3 {
        assert_eq!(
            store(
                &me,
                &uid,
                &format!("question {i}"),
                &format!("answer {i}"),
                None
            )
            .status,
            200
        );
    }
    let h = api("GET", "/rpc/get_chat_history?p_limit=2", &me, None, &[]);
    assert_eq!(h.status, 200, "{}", h.text);
    let pairs = h.body.as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[0]["user_message"], "question 2");
    assert_eq!(pairs[0]["ai_response"], "answer 2");
    assert_eq!(pairs[1]["user_message"], "question 1");
    let bad = api("GET", "/rpc/get_chat_history?p_limit=0", &me, None, &[]);
    assert_eq!(
        (bad.status, bad.body["code"].clone()),
        (400, json!("22023")),
        "{}",
        bad.text
    );

    let r = api(
        "POST",
        "/user_memories",
        &me,
        Some(
            &json!([{"user_id": uid, "memory_key": "k1", "memory_value": "v1", "importance": "low"},
                     {"user_id": uid, "memory_key": "k2", "memory_value": "v2", "importance": "high"}]),
        ),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let got = rpc("get_memories", &me, json!({"p_limit": 1}));
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body[0]["memory_key"], "k2", "most important first");
    assert_eq!(got.body[0]["access_count"], 1);
    for bad_limit in [0, 201] {
        let bad = rpc("get_memories", &me, json!({"p_limit": bad_limit}));
        assert_eq!(
            (bad.status, bad.body["code"].clone()),
            (400, json!("22023")),
            "p_limit {bad_limit}: {}",
            bad.text
        );
    }
    let all = api(
        "GET",
        &format!("/user_memories?user_id=eq.{uid}&select=memory_key,access_count&order=memory_key"),
        &me,
        None,
        &[],
    );
    assert_eq!(
        all.body,
        json!([{"memory_key": "k1", "access_count": 0}, {"memory_key": "k2", "access_count": 1}])
    );
}

#[test]
fn personality_profiles_shows_only_your_own_row() {
    let (uid, me) = new_user("persona");
    let (other, _) = new_user("persona-other");
    db().execute(
        "update profiles set personality_completed_at = now() where id = any($1::uuid[])",
        &[&vec![uuid(&uid), uuid(&other)]],
    )
    .unwrap();
    let mine = api("GET", "/personality_profiles?select=id", &me, None, &[]);
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(mine.body, json!([{"id": uid}]));
    let anon = api(
        "GET",
        "/personality_profiles?select=id",
        &As::Anon,
        None,
        &[],
    );
    assert!(
        anon.status == 401 || anon.body == json!([]),
        "anon sees nothing: {} {}",
        anon.status,
        anon.text
    );
}

#[test]
fn eight_clients_store_500_pairs_each_in_parallel() {
    let (uid, _) = new_user("concurrent");
    let handles: Vec<_> = (0..8)
        .map(|c| {
            let uid = uid.clone();
            std::thread::spawn(move || {
                let me = As::User(user_token(&uid));
                for i in 0..500 {
                    let r = store(
                        &me,
                        &uid,
                        &format!("c{c} m{i}"),
                        &format!("c{c} r{i}"),
                        None,
                    );
                    assert_eq!(r.status, 200, "client {c} call {i}: {}", r.text);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a client failed");
    }
    let row = db().query_one(
        "select count(*) filter (where sender_type = 'user'),
                count(*) filter (where sender_type = 'ai'),
                count(distinct reply_to),
                count(*) filter (where a.sender_type = 'ai' and not exists (
                  select from chat_messages u where u.id = a.reply_to and u.sender_type = 'user'
                    and u.timestamp < a.timestamp and u.message_text = replace(a.message_text, ' r', ' m')))
         from chat_messages a where a.user_id = $1",
        &[&uuid(&uid)]).unwrap();
    let (users, ais, distinct_replies, broken): (i64, i64, i64, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    assert_eq!(
        (users, ais, distinct_replies, broken),
        (4000, 4000, 4000, 0),
        "one reply per user message, each after its own message"
    );
}
