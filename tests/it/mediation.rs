//! Mediated sessions (Understand.me) through PostgREST with real JWTs: the seed's own calls as
//! written (create a session with `.insert(...).select().single()`, the message query with the
//! `profiles (id, full_name, avatar_url)` embed), the invitation flow, the peers' public cards,
//! the host's anonymised feedback summary, and the HTTP status of each refusal.

use pg_convo_integration::*;
use serde_json::{json, Value};

/// supabase-js `.insert(row).select().single()`: return=representation, one object back.
fn insert_single(path: &str, who: &As, row: &Value) -> Resp {
    api(
        "POST",
        &format!("{path}?select=*"),
        who,
        Some(row),
        &[
            ("Prefer", "return=representation"),
            ("Accept", "application/vnd.pgrst.object+json"),
        ],
    )
}

fn insert(path: &str, who: &As, row: &Value) -> Resp {
    api("POST", path, who, Some(row), &[])
}

fn patch(path: &str, who: &As, body: &Value) -> Resp {
    api(
        "PATCH",
        path,
        who,
        Some(body),
        &[("Prefer", "return=representation")],
    )
}

fn get(path: &str, who: &As) -> Resp {
    api("GET", path, who, None, &[])
}

/// The caller's own participant row id in a session.
fn my_participant_id(who: &As, uid: &str, session: &str) -> i64 {
    let r = get(
        &format!("/session_participants?select=id&session_id=eq.{session}&profile_id=eq.{uid}"),
        who,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    r.body[0]["id"].as_i64().expect("a participant row")
}

/// The seed's getSessionMessages(sessionId), as supabase-js sends it.
fn seed_messages(who: &As, session: &str) -> Resp {
    get(
        &format!(
            "/session_messages?select=id,timestamp,content,message_type,profiles(id,full_name,avatar_url)\
             &session_id=eq.{session}&order=timestamp.asc"
        ),
        who,
    )
}

fn post_message(
    who: &As,
    session: &str,
    participant: Option<i64>,
    author: &str,
    text: &str,
) -> Resp {
    insert(
        "/session_messages",
        who,
        &json!({"session_id": session, "session_participant_id": participant, "profile_id": author,
                "message_type": "user_typed_message", "content": text}),
    )
}

#[test]
fn a_mediated_session_end_to_end_with_the_seeds_calls() {
    let (host, host_who) = new_user("Hana Host");
    let (part, part_who) = new_user("Pat Participant");
    let (stranger, stranger_who) = new_user("Sam Stranger");

    // createSession(sessionData): .from('sessions').insert(sessionData).select().single()
    let created = insert_single(
        "/sessions",
        &host_who,
        &json!({"host_id": host, "title": "Roommate dispute",
                "description_context": "Dishes and noise", "session_type": "mediated_discussion"}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    assert!(
        created.body.is_object(),
        "single(): one object, {}",
        created.text
    );
    assert_eq!(created.body["host_id"], json!(host));
    assert_eq!(created.body["status"], "scheduled");
    let session = created.body["id"].as_str().unwrap().to_string();

    // the host became its first participant, in the same transaction
    let list = get(
        &format!("/session_participants?select=profile_id,role,invitation_status&session_id=eq.{session}"),
        &host_who,
    );
    assert_eq!(
        list.body,
        json!([{"profile_id": host, "role": "host", "invitation_status": "accepted"}]),
        "{}",
        list.text
    );

    // a user cannot create a session in someone else's name
    let forged = insert_single(
        "/sessions",
        &stranger_who,
        &json!({"host_id": host, "title": "Not mine"}),
    );
    assert_eq!(
        (forged.status, forged.body["code"].clone()),
        (403, json!("42501")),
        "{}",
        forged.text
    );

    // the host invites Pat; Pat, still pending, sees the session and the invitation, not the messages
    let invite = insert(
        "/session_participants",
        &host_who,
        &json!({"session_id": session, "profile_id": part, "role": "participant"}),
    );
    assert_eq!(invite.status, 201, "{}", invite.text);
    let pending = get(
        &format!("/sessions?select=id,title&id=eq.{session}"),
        &part_who,
    );
    assert_eq!(
        pending.body,
        json!([{"id": session, "title": "Roommate dispute"}]),
        "{}",
        pending.text
    );
    let part_pid = my_participant_id(&part_who, &part, &session);

    // the invitee may not promote themselves, nor move their row
    for body in [
        json!({"role": "host"}),
        json!({"profile_id": stranger}),
        json!({"session_id": session}),
    ] {
        let r = patch(
            &format!("/session_participants?id=eq.{part_pid}"),
            &part_who,
            &body,
        );
        assert_eq!(
            (r.status, r.body["code"].clone()),
            (403, json!("42501")),
            "{body}: {}",
            r.text
        );
    }
    // a stranger cannot answer Pat's invitation for them (RLS: nothing matches)
    let r = patch(
        &format!("/session_participants?id=eq.{part_pid}"),
        &stranger_who,
        &json!({"invitation_status": "accepted"}),
    );
    assert_eq!((r.status, r.body.clone()), (200, json!([])), "{}", r.text);

    // Pat accepts: joined_at is set by the database
    let r = patch(
        &format!("/session_participants?id=eq.{part_pid}"),
        &part_who,
        &json!({"invitation_status": "accepted"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body[0]["invitation_status"], "accepted");
    assert!(r.body[0]["joined_at"].is_string(), "{}", r.text);

    // messages are refused before the session starts
    let early = post_message(&part_who, &session, Some(part_pid), &part, "too early");
    assert_eq!(early.status, 403, "{}", early.text);

    // the host starts the session; a participant cannot change it
    let r = patch(
        &format!("/sessions?id=eq.{session}"),
        &part_who,
        &json!({"status": "cancelled"}),
    );
    assert_eq!((r.status, r.body.clone()), (200, json!([])), "{}", r.text);
    let r = patch(
        &format!("/sessions?id=eq.{session}"),
        &host_who,
        &json!({"status": "in_progress", "actual_start_time": "2026-11-22T10:00:00Z"}),
    );
    assert_eq!(
        (r.status, r.body[0]["status"].clone()),
        (200, json!("in_progress")),
        "{}",
        r.text
    );
    // ... and cannot hand it to someone else
    let r = patch(
        &format!("/sessions?id=eq.{session}"),
        &host_who,
        &json!({"host_id": part}),
    );
    assert_eq!(r.status, 403, "{}", r.text);

    // both post
    let host_pid = my_participant_id(&host_who, &host, &session);
    let r = post_message(
        &host_who,
        &session,
        Some(host_pid),
        &host,
        "Welcome, both of you",
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let r = post_message(
        &part_who,
        &session,
        Some(part_pid),
        &part,
        "Thanks for having me",
    );
    assert_eq!(r.status, 201, "{}", r.text);

    // getSessionMessages(sessionId), as the host and as the participant: both authors' names
    for who in [&host_who, &part_who] {
        let m = seed_messages(who, &session);
        assert_eq!(m.status, 200, "{}", m.text);
        let rows = m.body.as_array().unwrap();
        assert_eq!(rows.len(), 2, "{}", m.text);
        assert_eq!(rows[0]["content"], "Welcome, both of you");
        assert_eq!(rows[0]["message_type"], "user_typed_message");
        assert_eq!(
            rows[0]["profiles"],
            json!({"id": host, "full_name": "Hana Host", "avatar_url": null})
        );
        assert_eq!(rows[1]["content"], "Thanks for having me");
        assert_eq!(
            rows[1]["profiles"],
            json!({"id": part, "full_name": "Pat Participant", "avatar_url": null})
        );
        assert!(rows[0]["timestamp"].as_str() <= rows[1]["timestamp"].as_str());
    }

    // profiles(*) can only yield the public card, even named through the foreign key
    for embed in [
        "profiles(*)",
        "profiles!session_messages_profile_id_fkey(*)",
    ] {
        let m = get(
            &format!(
                "/session_messages?select=id,{embed}&session_id=eq.{session}&order=timestamp.asc"
            ),
            &part_who,
        );
        assert_eq!(m.status, 200, "{embed}: {}", m.text);
        let card = m.body[0]["profiles"].as_object().expect("the host's card");
        let mut keys: Vec<&str> = card.keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["avatar_url", "full_name", "id"],
            "{embed}: {}",
            m.text
        );
    }
    let leak = get(
        &format!("/session_messages?select=id,profiles(email)&session_id=eq.{session}"),
        &part_who,
    );
    assert_eq!(
        leak.status, 400,
        "no email through the embed: {}",
        leak.text
    );
    // ... and the profiles table itself still shows only your own row
    let p = get(&format!("/profiles?id=eq.{host}"), &part_who);
    assert_eq!((p.status, p.body.clone()), (200, json!([])), "{}", p.text);
    let p = get("/profiles?select=id", &part_who);
    assert_eq!(p.body, json!([{"id": part}]), "{}", p.text);
    // the participant list shows names too
    let l = get(
        &format!("/session_participants?select=role,profiles(full_name)&session_id=eq.{session}&order=id"),
        &part_who,
    );
    assert_eq!(
        l.body,
        json!([{"role": "host", "profiles": {"full_name": "Hana Host"}},
               {"role": "participant", "profiles": {"full_name": "Pat Participant"}}]),
        "{}",
        l.text
    );

    // the author corrects their message; nobody else can
    let r = patch(
        &format!("/session_messages?session_id=eq.{session}&profile_id=eq.{part}"),
        &part_who,
        &json!({"content": "Thanks for having me!"}),
    );
    assert_eq!(
        (r.status, r.body[0]["is_edited"].clone()),
        (200, json!(true)),
        "{}",
        r.text
    );
    let r = patch(
        &format!("/session_messages?session_id=eq.{session}&profile_id=eq.{part}"),
        &host_who,
        &json!({"content": "rewritten by the host"}),
    );
    assert_eq!((r.status, r.body.clone()), (200, json!([])), "{}", r.text);
    let r = api(
        "DELETE",
        &format!("/session_messages?session_id=eq.{session}"),
        &host_who,
        None,
        &[],
    );
    assert_eq!(r.status, 403, "nobody deletes messages: {}", r.text);

    // a stranger: reads nothing, writes nothing
    for path in [
        format!("/session_messages?select=id,profiles(full_name)&session_id=eq.{session}"),
        format!("/sessions?id=eq.{session}"),
        format!("/session_participants?session_id=eq.{session}"),
        format!("/session_files?session_id=eq.{session}"),
    ] {
        let r = get(&path, &stranger_who);
        assert_eq!(
            (r.status, r.body.clone()),
            (200, json!([])),
            "{path}: {}",
            r.text
        );
    }
    for participant in [None, Some(part_pid)] {
        let r = post_message(&stranger_who, &session, participant, &stranger, "let me in");
        assert_eq!(
            (r.status, r.body["code"].clone()),
            (403, json!("42501")),
            "{}",
            r.text
        );
    }
    let r = post_message(
        &part_who,
        &session,
        Some(part_pid),
        &host,
        "posing as the host",
    );
    assert_eq!(r.status, 403, "{}", r.text);

    // anon: 401 on everything
    let r = get(
        &format!("/session_messages?session_id=eq.{session}"),
        &As::Anon,
    );
    assert_eq!(
        (r.status, r.body["code"].clone()),
        (401, json!("42501")),
        "{}",
        r.text
    );
    let r = get("/sessions", &As::Anon);
    assert_eq!(r.status, 401, "{}", r.text);
    let r = post_message(&As::Anon, &session, Some(part_pid), &part, "anonymous");
    assert_eq!(r.status, 401, "{}", r.text);

    // once the session is completed, participants can no longer post
    let r = patch(
        &format!("/sessions?id=eq.{session}"),
        &host_who,
        &json!({"status": "completed"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let late = post_message(&part_who, &session, Some(part_pid), &part, "one more thing");
    assert_eq!(
        (late.status, late.body["code"].clone()),
        (403, json!("42501")),
        "{}",
        late.text
    );
    let late = post_message(&host_who, &session, Some(host_pid), &host, "closing words");
    assert_eq!(late.status, 403, "{}", late.text);

    // nobody deletes a session but the service role
    let r = api(
        "DELETE",
        &format!("/sessions?id=eq.{session}"),
        &host_who,
        None,
        &[],
    );
    assert_eq!(r.status, 403, "{}", r.text);
    let r = api(
        "DELETE",
        &format!("/sessions?id=eq.{session}"),
        &As::Service,
        None,
        &[],
    );
    assert_eq!(r.status, 204, "{}", r.text);
    let n: i64 = db()
        .query_one(
            "select count(*) from session_messages where session_id = $1",
            &[&uuid(&session)],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "deleting the session cascades to its messages");
}

#[test]
fn session_files_follow_the_session_type() {
    let (host, host_who) = new_user("File Host");
    let (part, part_who) = new_user("File Participant");
    let mut sessions = Vec::new();
    for session_type in ["mediated_discussion", "private_coaching"] {
        let r = insert_single(
            "/sessions",
            &host_who,
            &json!({"host_id": host, "title": session_type, "session_type": session_type}),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        let s = r.body["id"].as_str().unwrap().to_string();
        db().execute(
            "insert into session_participants (session_id, profile_id, invitation_status) values ($1, $2, 'accepted')",
            &[&uuid(&s), &uuid(&part)],
        )
        .unwrap();
        sessions.push(s);
    }
    let file = |s: &str, who_id: &str, name: &str| {
        json!({"session_id": s, "uploader_profile_id": who_id, "file_name": name,
               "storage_path": format!("{who_id}/{s}/{name}"), "file_type": "application/pdf", "file_size": 1234})
    };
    let r = insert(
        "/session_files",
        &host_who,
        &file(&sessions[1], &host, "agenda.pdf"),
    );
    assert_eq!(
        r.status, 201,
        "the host uploads whatever the type: {}",
        r.text
    );
    let r = insert(
        "/session_files",
        &part_who,
        &file(&sessions[0], &part, "my-side.pdf"),
    );
    assert_eq!(
        r.status, 201,
        "a participant uploads in a mediated discussion: {}",
        r.text
    );
    let r = insert(
        "/session_files",
        &part_who,
        &file(&sessions[1], &part, "my-side.pdf"),
    );
    assert_eq!(
        r.status, 403,
        "... but not in a private coaching session: {}",
        r.text
    );
    let seen = get(
        &format!(
            "/session_files?select=file_name&session_id=eq.{}",
            sessions[1]
        ),
        &part_who,
    );
    assert_eq!(
        seen.body,
        json!([{"file_name": "agenda.pdf"}]),
        "{}",
        seen.text
    );
    let r = api(
        "DELETE",
        &format!("/session_files?session_id=eq.{}", sessions[0]),
        &part_who,
        None,
        &[],
    );
    assert_eq!(r.status, 204, "{}", r.text);
    let still = get(
        &format!(
            "/session_files?select=file_name&session_id=eq.{}",
            sessions[0]
        ),
        &host_who,
    );
    assert_eq!(
        still.body.as_array().unwrap().len(),
        1,
        "a participant deletes nothing: {}",
        still.text
    );
    let r = api(
        "DELETE",
        &format!("/session_files?session_id=eq.{}", sessions[0]),
        &host_who,
        None,
        &[("Prefer", "return=representation")],
    );
    assert_eq!(
        (r.status, r.body.as_array().map(|a| a.len())),
        (200, Some(1)),
        "the host deletes: {}",
        r.text
    );
}

#[test]
fn the_host_gets_only_the_anonymised_feedback_summary() {
    let (host, host_who) = new_user("Eva Host");
    let r = insert_single(
        "/sessions",
        &host_who,
        &json!({"host_id": host, "title": "Feedback", "status": "completed"}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let session = r.body["id"].as_str().unwrap().to_string();
    let mut people = Vec::new();
    for label in ["Eve One", "Eve Two", "Eve Three"] {
        let (id, who) = new_user(label);
        db().execute(
            "insert into session_participants (session_id, profile_id, invitation_status) values ($1, $2, 'accepted')",
            &[&uuid(&session), &uuid(&id)],
        )
        .unwrap();
        people.push((id, who));
    }
    let evaluate = |i: usize, overall: i64, text: &str| {
        insert(
            "/session_evaluations",
            &people[i].1,
            &json!({"session_id": session, "evaluator_profile_id": people[i].0,
                    "rating_overall_satisfaction": overall, "rating_clarity_goals": 4,
                    "rating_fairness_balance": 5, "rating_alex_helpfulness": 3,
                    "feedback_worked_well": text, "share_with_host": true}),
        )
    };
    let summary = |who: &As, id: &str| {
        get(
            &format!("/rpc/session_feedback_summary?p_session_id={id}"),
            who,
        )
    };

    assert_eq!(evaluate(0, 5, "Calm pace").status, 201);
    assert_eq!(evaluate(1, 3, "Alex was fair").status, 201);
    let again = evaluate(1, 1, "changed my mind");
    assert_eq!(
        (again.status, again.body["code"].clone()),
        (409, json!("23505")),
        "once per session: {}",
        again.text
    );
    assert_eq!(evaluate(2, 4, "Good rules").status, 201);

    // the host never reads individual evaluations
    let rows = get(
        &format!("/session_evaluations?session_id=eq.{session}"),
        &host_who,
    );
    assert_eq!(
        (rows.status, rows.body.clone()),
        (200, json!([])),
        "{}",
        rows.text
    );
    // each evaluator reads only their own
    let own = get(
        &format!("/session_evaluations?select=evaluator_profile_id&session_id=eq.{session}"),
        &people[0].1,
    );
    assert_eq!(
        own.body,
        json!([{"evaluator_profile_id": people[0].0}]),
        "{}",
        own.text
    );

    // two shared → nothing revealed (the third one is withdrawn from sharing for this check)
    db().execute(
        "update session_evaluations set share_with_host = false where evaluator_profile_id = $1",
        &[&uuid(&people[2].0)],
    )
    .unwrap();
    let s = summary(&host_who, &session);
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body["shared_count"], 2);
    assert_eq!(s.body["revealed"], false);
    assert_eq!(s.body["avg_overall_satisfaction"], Value::Null);
    assert_eq!(s.body["feedback_worked_well"], Value::Null);

    // three shared → averages and sorted texts
    db().execute(
        "update session_evaluations set share_with_host = true where evaluator_profile_id = $1",
        &[&uuid(&people[2].0)],
    )
    .unwrap();
    let s = summary(&host_who, &session);
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body["revealed"], true, "{}", s.text);
    assert_eq!(s.body["shared_count"], 3);
    assert_eq!(s.body["avg_overall_satisfaction"], json!(4.00));
    assert_eq!(s.body["avg_fairness_balance"], json!(5.00));
    assert_eq!(
        s.body["feedback_worked_well"],
        json!(["Alex was fair", "Calm pace", "Good rules"])
    );

    // refusals
    let r = summary(&people[0].1, &session);
    assert_eq!(
        (r.status, r.body["code"].clone()),
        (403, json!("42501")),
        "a participant: {}",
        r.text
    );
    // an unknown session gets the same answer as someone else's (no existence oracle)
    let r = summary(&host_who, "7d0c1d6e-1c2b-4c1f-9a53-2f4f1b1e0a99");
    assert_eq!(
        (r.status, r.body["code"].clone(), r.body["message"].clone()),
        (
            403,
            json!("42501"),
            json!("only the host of a session can read its feedback summary")
        ),
        "unknown session: {}",
        r.text
    );
    let r = summary(&As::Anon, &session);
    assert_eq!(r.status, 401, "anon: {}", r.text);
    let r = rpc(
        "session_feedback_summary",
        &host_who,
        json!({"p_session_id": session}),
    );
    assert_eq!(r.status, 200, "POST works too: {}", r.text);
}
