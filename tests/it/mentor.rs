//! Mentor video sessions through PostgREST: the start → webhook → end flow of a user and the
//! backend (service key), idempotent ends and webhook replays, the refusals and their HTTP status,
//! get_mentor_context for an empty and a full profile, direct writes refused, and two parallel
//! end_mentor_session calls for one conversation.

use pg_convo_integration::*;
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};

/// A provider conversation id no other test uses.
fn provider_id(label: &str) -> String {
    format!("tavus-{label}-{}", uuid::Uuid::new_v4())
}

/// Starts a session as `who`; returns the conversation id.
fn start(who: &As, provider: &str) -> String {
    let r = rpc(
        "start_mentor_session",
        who,
        json!({"p_provider_conversation_id": provider}),
    );
    assert_eq!(r.status, 200, "start: {}", r.text);
    r.body["id"]
        .as_str()
        .expect("the conversation id")
        .to_string()
}

/// Moves a conversation's start `secs` seconds into the past (so it has a visible duration).
fn backdate(conversation: &str, secs: i32) {
    db().execute(
        "update mentor_conversations set start_time = start_time - make_interval(secs => $2)
         where id = $1",
        &[&uuid(conversation), &(secs as f64)],
    )
    .unwrap();
}

fn end(who: &As, conversation: &str) -> Resp {
    rpc(
        "end_mentor_session",
        who,
        json!({"p_conversation_id": conversation}),
    )
}

fn webhook(provider: &str, event: &str, payload: Value) -> Resp {
    rpc(
        "record_mentor_webhook",
        &As::Service,
        json!({"p_provider_conversation_id": provider, "p_event_type": event, "p_payload": payload}),
    )
}

/// (conversation status, daily status, both end times equal, both durations equal, duration
/// (-1 while running), duration == whole seconds from start to end) as the database has them.
fn both_records(conversation: &str) -> (String, String, bool, bool, i32, bool) {
    let row = db()
        .query_one(
            "select c.status, d.status, c.end_time is not distinct from d.completed_at,
                    c.duration_seconds is not distinct from d.duration_seconds,
                    coalesce(c.duration_seconds, -1),
                    c.duration_seconds is not distinct from
                      floor(extract(epoch from c.end_time - c.start_time))::int
             from mentor_conversations c join daily_sessions d on d.mentor_conversation_id = c.id
             where c.id = $1",
            &[&uuid(conversation)],
        )
        .unwrap();
    (
        row.get(0),
        row.get(1),
        row.get(2),
        row.get(3),
        row.get(4),
        row.get(5),
    )
}

#[test]
fn start_webhook_end_flow_as_a_user_and_the_backend() {
    let (uid, me) = new_user("flow");
    let provider = provider_id("flow");

    // start: the conversation (a JSON object) and its daily session, both active
    let r = rpc(
        "start_mentor_session",
        &me,
        json!({"p_provider_conversation_id": provider}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["user_id"], json!(uid));
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["provider_conversation_id"], json!(provider));
    assert_eq!(r.body["end_time"], Value::Null);
    let conv = r.body["id"].as_str().unwrap().to_string();
    let daily = api(
        "GET",
        &format!("/daily_sessions?mentor_conversation_id=eq.{conv}&select=user_id,status"),
        &me,
        None,
        &[],
    );
    assert_eq!(daily.status, 200, "{}", daily.text);
    assert_eq!(daily.body, json!([{"user_id": uid, "status": "active"}]));

    // the provider's webhooks, with the service key (Tavus puts the data under "properties")
    let transcript = json!([{"role": "user", "content": "I slept badly"},
                            {"role": "assistant", "content": "Let's look at your evening ritual."}]);
    let w = webhook(
        &provider,
        "transcript_ready",
        json!({"event_type": "application.transcription_ready",
               "properties": {"transcript": transcript, "recording_url": "https://rec.example/flow.mp4"}}),
    );
    assert_eq!(w.status, 200, "{}", w.text);
    assert_eq!(
        w.body,
        json!({"conversation_id": conv, "event_type": "transcript_ready", "status": "active", "changed": true})
    );

    // the owner reads the result through RLS
    let c = api(
        "GET",
        &format!("/mentor_conversations?id=eq.{conv}&select=transcript,recording_url,status"),
        &me,
        None,
        &[],
    );
    assert_eq!(
        c.body,
        json!([{"transcript": transcript, "recording_url": "https://rec.example/flow.mp4", "status": "active"}])
    );
    let d = api(
        "GET",
        &format!(
            "/daily_sessions?mentor_conversation_id=eq.{conv}&select=transcript_data,summary_data"
        ),
        &me,
        None,
        &[],
    );
    assert_eq!(
        d.body,
        json!([{"transcript_data": transcript, "summary_data": {"recording_url": "https://rec.example/flow.mp4"}}])
    );

    // end: both records completed with one end time and one duration
    backdate(&conv, 42);
    let e = end(&me, &conv);
    assert_eq!(e.status, 200, "{}", e.text);
    assert_eq!(e.body["status"], "completed");
    let duration = e.body["duration_seconds"].as_i64().expect("a duration");
    assert!((42..=45).contains(&duration), "duration {duration}");
    let (cs, ds, same_end, same_duration, db_duration, exact) = both_records(&conv);
    assert_eq!((cs.as_str(), ds.as_str()), ("completed", "completed"));
    assert!(same_end && same_duration && exact, "consistent records");
    assert_eq!(db_duration as i64, duration);

    // ending twice is harmless and reports the same end and duration
    let again = end(&me, &conv);
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["end_time"], e.body["end_time"]);
    assert_eq!(again.body["duration_seconds"], e.body["duration_seconds"]);
    assert_eq!(
        again.body["updated_at"], e.body["updated_at"],
        "nothing rewritten"
    );

    // the provider's conversation_ended afterwards changes nothing either
    let late = webhook(&provider, "conversation_ended", json!({}));
    assert_eq!(late.status, 200, "{}", late.text);
    assert_eq!(late.body["status"], "completed");
    assert_eq!(both_records(&conv).4 as i64, duration);
}

#[test]
fn ending_someone_elses_or_an_unknown_conversation_is_refused() {
    let (_, owner) = new_user("end-owner");
    let (_, other) = new_user("end-other");
    let conv = start(&owner, &provider_id("end"));
    let unknown = "7d0c1d6e-1c2b-4c1f-9a53-2f4f1b1e0a42";
    // Since 20261123050000_mentor_hardening someone else's conversation is the same 404 as an
    // unknown id (it was 403: an existence oracle), and the service key must name the user.
    let cases = [
        ("another user", end(&other, &conv), 404, "PT404"),
        ("unknown id", end(&owner, unknown), 404, "PT404"),
        ("anon", end(&As::Anon, &conv), 401, "42501"),
        (
            "service key without p_user_id",
            end(&As::Service, &conv),
            400,
            "22023",
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
    let (status, daily_status, ..) = both_records(&conv);
    assert_eq!(
        (status.as_str(), daily_status.as_str()),
        ("active", "active"),
        "the refused ends changed nothing"
    );

    // "not yours" and "does not exist" are one answer, status line and body alike
    let theirs = end(&other, &conv);
    let nothing = end(&other, unknown);
    assert_eq!(
        (theirs.status, &theirs.body),
        (nothing.status, &nothing.body)
    );
    assert_eq!(theirs.body["message"], "mentor conversation not found");
}

#[test]
fn start_refusals_have_their_http_status() {
    let (_, me) = new_user("start-refuse");
    let (other_id, other) = new_user("start-refuse-other");
    let provider = provider_id("dup");
    start(&me, &provider);
    let persona = {
        let r = api(
            "POST",
            "/user_personas",
            &other,
            Some(&json!({"user_id": other_id, "name": "Oscar's mentor"})),
            &[("Prefer", "return=representation")],
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body[0]["id"].as_str().unwrap().to_string()
    };
    let cases = [
        (
            "a provider id of one's own again",
            rpc(
                "start_mentor_session",
                &me,
                json!({"p_provider_conversation_id": provider}),
            ),
            409,
            "23505",
        ),
        (
            "a 5 KB provider id",
            rpc(
                "start_mentor_session",
                &me,
                json!({"p_provider_conversation_id": "x".repeat(5000)}),
            ),
            400,
            "22023",
        ),
        (
            "blank provider id",
            rpc(
                "start_mentor_session",
                &me,
                json!({"p_provider_conversation_id": "  "}),
            ),
            400,
            "22023",
        ),
        (
            "someone else's persona",
            rpc(
                "start_mentor_session",
                &me,
                json!({"p_provider_conversation_id": provider_id("p"), "p_persona_id": persona}),
            ),
            409,
            "23503",
        ),
        (
            "anon",
            rpc(
                "start_mentor_session",
                &As::Anon,
                json!({"p_provider_conversation_id": provider_id("anon")}),
            ),
            401,
            "42501",
        ),
    ];
    for (what, r, status, code) in cases {
        assert_eq!(r.status, status, "{what}: {}", r.text);
        assert_eq!(r.body["code"], code, "{what}: {}", r.text);
    }

    // a persona of one's own is linked, and the default one is used when none is given
    let (mine_id, mine) = new_user("start-persona");
    let p = api(
        "POST",
        "/user_personas",
        &mine,
        Some(&json!({"user_id": mine_id, "name": "Coach", "is_default": true})),
        &[("Prefer", "return=representation")],
    );
    assert_eq!(p.status, 201, "{}", p.text);
    let r = rpc(
        "start_mentor_session",
        &mine,
        json!({"p_provider_conversation_id": provider_id("default")}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["persona_id"], p.body[0]["id"]);
}

#[test]
fn users_cannot_write_sessions_or_avatars_directly() {
    let (uid, me) = new_user("direct");
    let conv = start(&me, &provider_id("direct"));
    let post = api(
        "POST",
        "/mentor_conversations",
        &me,
        Some(&json!({"user_id": uid, "provider_conversation_id": provider_id("forged")})),
        &[],
    );
    assert_eq!(
        (post.status, post.body["code"].clone()),
        (403, json!("42501")),
        "{}",
        post.text
    );
    let patch = api(
        "PATCH",
        &format!("/daily_sessions?mentor_conversation_id=eq.{conv}"),
        &me,
        Some(&json!({"duration_seconds": 999999})),
        &[],
    );
    assert_eq!(patch.status, 403, "{}", patch.text);
    let del = api(
        "DELETE",
        &format!("/mentor_conversations?id=eq.{conv}"),
        &me,
        None,
        &[],
    );
    assert_eq!(del.status, 403, "{}", del.text);

    // avatars: the service key writes the catalog, signed-in users read it, anon sees nothing
    let replica = provider_id("replica");
    let a = api(
        "POST",
        "/mentor_avatars",
        &As::Service,
        Some(&json!({"name": "Sage", "provider_replica_id": replica})),
        &[("Prefer", "return=representation")],
    );
    assert_eq!(a.status, 201, "{}", a.text);
    let read = api(
        "GET",
        &format!("/mentor_avatars?provider_replica_id=eq.{replica}&select=name"),
        &me,
        None,
        &[],
    );
    assert_eq!(read.body, json!([{"name": "Sage"}]));
    let anon = api(
        "GET",
        &format!("/mentor_avatars?provider_replica_id=eq.{replica}"),
        &As::Anon,
        None,
        &[],
    );
    assert_eq!((anon.status, anon.body.clone()), (200, json!([])));
    let forged = api(
        "POST",
        "/mentor_avatars",
        &me,
        Some(&json!({"name": "Mine", "provider_replica_id": provider_id("mine")})),
        &[],
    );
    assert_eq!(forged.status, 403, "{}", forged.text);
}

#[test]
fn webhook_is_for_the_service_key_and_replays_change_nothing() {
    let (_, me) = new_user("hook");
    let provider = provider_id("hook");
    let conv = start(&me, &provider);
    backdate(&conv, 5);

    let first = webhook(
        &provider,
        "conversation_ended",
        json!({"summary": "sleep routine"}),
    );
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        (first.body["status"].clone(), first.body["changed"].clone()),
        (json!("completed"), json!(true))
    );
    let stamp = |c: &str| -> (String, String) {
        let row = db()
            .query_one(
                "select c.updated_at::text, d.updated_at::text from mentor_conversations c
                 join daily_sessions d on d.mentor_conversation_id = c.id where c.id = $1",
                &[&uuid(c)],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    let before = stamp(&conv);
    let (_, _, same_end, same_duration, _, exact) = both_records(&conv);
    assert!(same_end && same_duration && exact);

    let replay = webhook(
        &provider,
        "conversation_ended",
        json!({"summary": "sleep routine"}),
    );
    assert_eq!(replay.status, 200, "{}", replay.text);
    assert_eq!(replay.body["changed"], json!(false));
    assert_eq!(stamp(&conv), before, "a replay rewrites neither record");

    // the user ending it afterwards gets the provider's end
    let e = end(&me, &conv);
    assert_eq!(e.status, 200, "{}", e.text);
    assert_eq!(
        e.body["duration_seconds"].as_i64(),
        Some(both_records(&conv).4 as i64)
    );

    let cases = [
        (
            "signed-in user",
            rpc(
                "record_mentor_webhook",
                &me,
                json!({"p_provider_conversation_id": provider, "p_event_type": "conversation_started", "p_payload": {}}),
            ),
            403,
            "42501",
        ),
        (
            "anon",
            rpc(
                "record_mentor_webhook",
                &As::Anon,
                json!({"p_provider_conversation_id": provider, "p_event_type": "conversation_started", "p_payload": {}}),
            ),
            401,
            "42501",
        ),
        (
            "unknown conversation",
            webhook(&provider_id("nope"), "conversation_started", json!({})),
            404,
            "PT404",
        ),
        (
            "unknown event type",
            webhook(&provider, "replica_joined", json!({})),
            400,
            "22023",
        ),
        (
            "transcript_ready without a transcript",
            webhook(&provider, "transcript_ready", json!({"properties": {}})),
            400,
            "22023",
        ),
    ];
    for (what, r, status, code) in cases {
        assert_eq!(r.status, status, "{what}: {}", r.text);
        assert_eq!(r.body["code"], code, "{what}: {}", r.text);
    }
}

#[test]
fn context_for_an_empty_and_a_full_profile() {
    // nothing filled in: nulls and empty arrays, 200
    let (blank_id, blank) = new_user("ctx-blank");
    let r = api("GET", "/rpc/get_mentor_context", &blank, None, &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["profile"]["id"], json!(blank_id));
    assert_eq!(r.body["onboarding_profile"], Value::Null);
    assert_eq!(r.body["ritual_preferences"], Value::Null);
    assert_eq!(r.body["emotional_categories"], json!([]));
    assert_eq!(r.body["active_goals"], json!([]));

    // everything filled in, through the API as the user (RLS lets them write their own rows)
    let (uid, me) = new_user("ctx-full");
    let writes = [
        (
            "/onboarding_profiles",
            json!({"user_id": uid, "disc_type": "SC", "enneagram_type": 4, "enneagram_wing": 5,
                   "focus_areas": ["confidence"]}),
        ),
        (
            "/ritual_preferences",
            json!({"user_id": uid, "preferred_time": "07:00", "timezone": "Asia/Dhaka",
                   "session_days": [1, 3, 5]}),
        ),
        (
            "/user_emotional_categories",
            json!([{"user_id": uid, "category": "stress", "priority": 2},
                   {"user_id": uid, "category": "anxiety", "priority": 1}]),
        ),
        (
            "/user_goals",
            json!([{"user_id": uid, "title": "Sleep by 11", "status": "active", "target_date": "2030-01-01"},
                   {"user_id": uid, "title": "Old goal", "status": "archived", "target_date": null}]),
        ),
    ];
    for (path, body) in writes {
        let w = api("POST", path, &me, Some(&body), &[]);
        assert_eq!(w.status, 201, "{path}: {}", w.text);
    }
    let r = api("GET", "/rpc/get_mentor_context", &me, None, &[]);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["profile"]["full_name"], "ctx-full");
    assert_eq!(r.body["onboarding_profile"]["disc_type"], "SC");
    assert_eq!(r.body["onboarding_profile"]["enneagram_type"], 4);
    assert_eq!(r.body["ritual_preferences"]["timezone"], "Asia/Dhaka");
    assert_eq!(
        r.body["ritual_preferences"]["session_days"],
        json!([1, 3, 5])
    );
    let categories: Vec<&str> = r.body["emotional_categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["anxiety", "stress"], "by priority");
    let goals: Vec<&str> = r.body["active_goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    assert_eq!(goals, ["Sleep by 11"], "active goals only");

    // POST works too; anon may not call it
    let post = rpc("get_mentor_context", &me, json!({}));
    assert_eq!(post.status, 200, "{}", post.text);
    assert_eq!(post.body, r.body);
    let anon = api("GET", "/rpc/get_mentor_context", &As::Anon, None, &[]);
    assert_eq!(
        (anon.status, anon.body["code"].clone()),
        (401, json!("42501")),
        "{}",
        anon.text
    );

    // an unknown time zone is refused on write
    let tz = api(
        "PATCH",
        &format!("/ritual_preferences?user_id=eq.{uid}"),
        &me,
        Some(&json!({"timezone": "Mars/Olympus_Mons"})),
        &[],
    );
    assert_eq!(
        (tz.status, tz.body["code"].clone()),
        (400, json!("22023")),
        "{}",
        tz.text
    );
}

#[test]
fn two_parallel_ends_agree_on_one_end_time() {
    let (uid, _) = new_user("race");
    for round in 0..5 {
        let conv = start(&As::User(user_token(&uid)), &provider_id("race"));
        backdate(&conv, 30);
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (uid, conv, barrier) = (uid.clone(), conv.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let me = As::User(user_token(&uid));
                    barrier.wait();
                    end(&me, &conv)
                })
            })
            .collect();
        let results: Vec<Resp> = handles
            .into_iter()
            .map(|h| h.join().expect("a caller panicked"))
            .collect();
        for r in &results {
            assert_eq!(r.status, 200, "round {round}: {}", r.text);
            assert_eq!(r.body["status"], "completed");
        }
        assert_eq!(
            results[0].body["end_time"], results[1].body["end_time"],
            "round {round}: one end time"
        );
        assert_eq!(
            results[0].body["duration_seconds"], results[1].body["duration_seconds"],
            "round {round}: one duration"
        );
        let (cs, ds, same_end, same_duration, duration, exact) = both_records(&conv);
        assert_eq!((cs.as_str(), ds.as_str()), ("completed", "completed"));
        assert!(
            same_end && same_duration && exact,
            "round {round}: both tables agree"
        );
        assert_eq!(
            Some(duration as i64),
            results[0].body["duration_seconds"].as_i64()
        );
        assert!(
            (30..=33).contains(&duration),
            "round {round}: duration {duration}"
        );
    }
}

// ---- 20261123050000_mentor_hardening ----------------------------------------------------------

#[test]
fn caller_text_never_reaches_the_status_line_or_the_headers() {
    // PostgREST writes a PTxyz error's message into the status line: the message must be fixed
    let injected = "nope\r\nX-Injected: yes";
    let r = webhook(injected, "conversation_started", json!({}));
    assert_eq!(
        (r.status, r.body["code"].clone()),
        (404, json!("PT404")),
        "{}",
        r.text
    );
    assert_eq!(r.body["message"], "mentor conversation not found");
    assert!(!r.headers.contains_key("x-injected"), "{:?}", r.headers);
    assert_eq!(
        r.body["details"],
        json!(format!("p_provider_conversation_id: {injected}")),
        "the id is in details, inside the JSON body"
    );

    // a 5 KB id through the gateway: a clean 400, not a 502
    let big = webhook(&"x".repeat(5000), "conversation_started", json!({}));
    assert_eq!(
        (big.status, big.body["code"].clone()),
        (400, json!("22023")),
        "{}",
        big.text
    );

    // the other refusals that used to quote the caller
    let (uid, me) = new_user("no-echo");
    let provider = provider_id("no-echo");
    start(&me, &provider);
    let cases = [
        (
            "webhook event type",
            webhook(&provider, injected, json!({})),
            400,
            "unknown webhook event type",
        ),
        (
            "start, own provider id again",
            rpc(
                "start_mentor_session",
                &me,
                json!({"p_provider_conversation_id": provider}),
            ),
            409,
            "this user already recorded a mentor conversation with this provider id",
        ),
        (
            "start, unknown persona",
            rpc(
                "start_mentor_session",
                &me,
                json!({"p_provider_conversation_id": provider_id("p"),
                       "p_persona_id": "7d0c1d6e-1c2b-4c1f-9a53-2f4f1b1e0a42"}),
            ),
            409,
            "persona not found",
        ),
        (
            "ritual time zone",
            api(
                "POST",
                "/ritual_preferences",
                &me,
                Some(&json!({"user_id": uid, "timezone": injected})),
                &[],
            ),
            400,
            "unknown time zone",
        ),
    ];
    for (what, r, status, message) in cases {
        assert_eq!(r.status, status, "{what}: {}", r.text);
        assert_eq!(r.body["message"], message, "{what}: {}", r.text);
        assert!(!r.headers.contains_key("x-injected"), "{what}");
    }
}

#[test]
fn the_service_key_acts_for_the_user_it_names() {
    let (uid, me) = new_user("svc-for");
    let (other_id, _) = new_user("svc-other");

    // get_mentor_context, with GET as the edge function would
    let ctx = api(
        "GET",
        &format!("/rpc/get_mentor_context?p_user_id={uid}"),
        &As::Service,
        None,
        &[],
    );
    assert_eq!(ctx.status, 200, "{}", ctx.text);
    assert_eq!(ctx.body["profile"]["id"], json!(uid));
    let nobody = api("GET", "/rpc/get_mentor_context", &As::Service, None, &[]);
    assert_eq!(
        (nobody.status, nobody.body["code"].clone()),
        (400, json!("22023")),
        "{}",
        nobody.text
    );

    // start and end for the user
    let provider = provider_id("svc");
    let s = rpc(
        "start_mentor_session",
        &As::Service,
        json!({"p_provider_conversation_id": provider, "p_user_id": uid}),
    );
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body["user_id"], json!(uid));
    let conv = s.body["id"].as_str().unwrap().to_string();
    let mine = api(
        "GET",
        &format!("/mentor_conversations?id=eq.{conv}&select=user_id"),
        &me,
        None,
        &[],
    );
    assert_eq!(
        mine.body,
        json!([{"user_id": uid}]),
        "the user reads it as theirs"
    );
    let wrong = rpc(
        "end_mentor_session",
        &As::Service,
        json!({"p_conversation_id": conv, "p_user_id": other_id}),
    );
    assert_eq!(
        (wrong.status, wrong.body["code"].clone()),
        (404, json!("PT404")),
        "naming a user who does not own it: {}",
        wrong.text
    );
    let e = rpc(
        "end_mentor_session",
        &As::Service,
        json!({"p_conversation_id": conv, "p_user_id": uid}),
    );
    assert_eq!(e.status, 200, "{}", e.text);
    assert_eq!(e.body["status"], "completed");

    // a signed-in user names only themselves
    let refused = [
        ("get_mentor_context", json!({"p_user_id": other_id})),
        (
            "start_mentor_session",
            json!({"p_provider_conversation_id": provider_id("as-other"), "p_user_id": other_id}),
        ),
        (
            "end_mentor_session",
            json!({"p_conversation_id": conv, "p_user_id": other_id}),
        ),
    ];
    for (name, args) in refused {
        let r = rpc(name, &me, args);
        assert_eq!(
            (r.status, r.body["code"].clone()),
            (403, json!("42501")),
            "{name}: {}",
            r.text
        );
    }
    let own = rpc("get_mentor_context", &me, json!({"p_user_id": uid}));
    assert_eq!(own.status, 200, "{}", own.text);
}

#[test]
fn a_provider_id_someone_else_recorded_tells_nothing_and_webhooks_go_to_the_first() {
    let (owner_id, owner) = new_user("first-owner");
    let (other_id, other) = new_user("first-other");
    let provider = provider_id("shared");
    let first = start(&owner, &provider);

    // a stranger recording the same id gets what a fresh id gets (it was 409 "already exists")
    let copy = rpc(
        "start_mentor_session",
        &other,
        json!({"p_provider_conversation_id": provider}),
    );
    let fresh = rpc(
        "start_mentor_session",
        &other,
        json!({"p_provider_conversation_id": provider_id("fresh")}),
    );
    assert_eq!(
        (copy.status, fresh.status),
        (200, 200),
        "{} / {}",
        copy.text,
        fresh.text
    );
    assert_eq!(
        copy.body["user_id"],
        json!(other_id),
        "their own conversation"
    );
    assert_ne!(copy.body["id"], json!(first));

    // the provider's webhooks reach the first record only
    let w = webhook(
        &provider,
        "transcript_ready",
        json!({"transcript": [{"role": "user", "content": "private"}]}),
    );
    assert_eq!(w.status, 200, "{}", w.text);
    assert_eq!(w.body["conversation_id"], json!(first));
    let read = |who: &As| {
        api(
            "GET",
            &format!(
                "/mentor_conversations?provider_conversation_id=eq.{provider}&select=transcript"
            ),
            who,
            None,
            &[],
        )
        .body
    };
    assert_eq!(
        read(&owner),
        json!([{"transcript": [{"role": "user", "content": "private"}]}])
    );
    assert_eq!(
        read(&other),
        json!([{"transcript": null}]),
        "the copy got nothing"
    );

    // someone else's persona and an unknown one: one answer
    let persona = api(
        "POST",
        "/user_personas",
        &owner,
        Some(&json!({"user_id": owner_id, "name": "Owner's mentor"})),
        &[("Prefer", "return=representation")],
    );
    assert_eq!(persona.status, 201, "{}", persona.text);
    let a = rpc(
        "start_mentor_session",
        &other,
        json!({"p_provider_conversation_id": provider_id("pa"), "p_persona_id": persona.body[0]["id"]}),
    );
    let b = rpc(
        "start_mentor_session",
        &other,
        json!({"p_provider_conversation_id": provider_id("pb"),
               "p_persona_id": "7d0c1d6e-1c2b-4c1f-9a53-2f4f1b1e0a42"}),
    );
    assert_eq!(a.status, 409, "{}", a.text);
    assert_eq!((a.status, &a.body), (b.status, &b.body));
}

#[test]
fn upserts_take_defaults_for_nulls_keep_server_stamps_and_bounds_hold() {
    let (uid, me) = new_user("upsert");
    let upsert = |body: Value| {
        api(
            "POST",
            "/ritual_preferences?on_conflict=user_id",
            &me,
            Some(&body),
            &[(
                "Prefer",
                "resolution=merge-duplicates,return=representation",
            )],
        )
    };
    // supabase-py sends None as null; an app may send back the stamps of a row it read
    let r = upsert(
        json!({"user_id": uid, "timezone": null, "session_days": null, "preferences": null,
                          "created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z"}),
    );
    assert!(matches!(r.status, 200 | 201), "{}", r.text);
    let row = &r.body[0];
    assert_eq!(
        (&row["timezone"], &row["session_days"], &row["preferences"]),
        (&json!("UTC"), &json!([1, 2, 3, 4, 5, 6, 7]), &json!({})),
        "explicit nulls took the defaults"
    );
    let created = row["created_at"].as_str().unwrap().to_string();
    assert!(!created.starts_with("2000"), "created_at {created}");
    assert!(!row["updated_at"].as_str().unwrap().starts_with("2000"));

    let again = upsert(
        json!({"user_id": uid, "timezone": "Asia/Dhaka", "created_at": "2000-01-01T00:00:00Z"}),
    );
    assert!(matches!(again.status, 200 | 201), "{}", again.text);
    assert_eq!(again.body[0]["timezone"], "Asia/Dhaka");
    assert_eq!(
        again.body[0]["created_at"],
        json!(created),
        "created_at kept"
    );

    // a 100 000-character goal title: 400, nothing stored
    let big = api(
        "POST",
        "/user_goals",
        &me,
        Some(&json!({"user_id": uid, "title": "t".repeat(100_000)})),
        &[],
    );
    assert_eq!(
        (big.status, big.body["code"].clone()),
        (400, json!("23514")),
        "{}",
        big.text
    );
    let goals = api("GET", "/user_goals?select=id", &me, None, &[]);
    assert_eq!(goals.body, json!([]));
}
