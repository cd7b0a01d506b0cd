//! Music through PostgREST: the recommendations upsert on (user_id, track_id, recommended_on),
//! the listening-history re-sync upsert, the newest RL model snapshot, interactions as an
//! append-only log, genre preferences read-only to users, and get_genre_preferences over GET.
//! (The "user clicks like → preferences updated" flow comes with the Rust trigger.)

use pg_convo_integration::*;
use serde_json::{json, Value};

const MERGE: (&str, &str) = (
    "Prefer",
    "resolution=merge-duplicates,return=representation",
);

fn recommendation(uid: &str, track: &str, at: Option<&str>, score: f64) -> Value {
    let mut r = json!({"user_id": uid, "track_id": track, "track_name": format!("Track {track}"),
        "artists": ["Lo Beats"], "external_url": format!("https://open.spotify.com/track/{track}"),
        "genz_genre": "Lo-fi Chill", "energy": 0.3, "valence": 0.6, "rl_score": score,
        "personality_match_score": 0.7});
    if let Some(at) = at {
        r["recommended_at"] = json!(at);
    }
    r
}

fn upsert_recommendations(who: &As, body: &Value) -> Resp {
    api(
        "POST",
        "/music_recommendations?on_conflict=user_id,track_id,recommended_on",
        who,
        Some(body),
        &[MERGE],
    )
}

#[test]
fn recommending_a_track_twice_the_same_utc_day_updates_one_row() {
    let (uid, me) = new_user("rec");

    let first = upsert_recommendations(
        &me,
        &recommendation(&uid, "rain", Some("2026-11-20T08:00:00Z"), 0.4),
    );
    assert_eq!(first.status, 201, "{}", first.text);
    let id = first.body[0]["id"].as_str().unwrap().to_string();
    assert_eq!(first.body[0]["recommended_on"], "2026-11-20");

    // Later the same UTC day (given with a +06:00 offset: 2026-11-21 05:00 in Dhaka): same row.
    let second = upsert_recommendations(
        &me,
        &recommendation(&uid, "rain", Some("2026-11-21T05:00:00+06:00"), 0.9),
    );
    assert!(
        second.status == 200 || second.status == 201,
        "{}",
        second.text
    );
    assert_eq!(second.body[0]["id"], json!(id), "the same row, updated");

    let rows = api(
        "GET",
        &format!("/music_recommendations?user_id=eq.{uid}&select=id,track_id,rl_score,recommended_on&order=recommended_at"),
        &me,
        None,
        &[],
    );
    assert_eq!(rows.status, 200, "{}", rows.text);
    assert_eq!(rows.body.as_array().unwrap().len(), 1, "{}", rows.text);
    assert_eq!(rows.body[0]["id"], json!(id));
    assert_eq!(
        rows.body[0]["rl_score"].as_f64(),
        Some(0.9),
        "updated rl_score"
    );
    assert_eq!(rows.body[0]["recommended_on"], "2026-11-20");

    // 00:30 UTC the next day is another day: a second row.
    let next_day = upsert_recommendations(
        &me,
        &recommendation(&uid, "rain", Some("2026-11-21T00:30:00Z"), 0.5),
    );
    assert_eq!(next_day.status, 201, "{}", next_day.text);
    assert_ne!(next_day.body[0]["id"], json!(id));
    assert_eq!(next_day.body[0]["recommended_on"], "2026-11-21");

    // Without recommended_at (default now()): a batch of two, twice → still two rows for today.
    for score in [0.1, 0.2] {
        let batch = json!([
            recommendation(&uid, "now-a", None, score),
            recommendation(&uid, "now-b", None, score)
        ]);
        let r = upsert_recommendations(&me, &batch);
        assert!(r.status == 200 || r.status == 201, "{}", r.text);
        assert_eq!(r.body.as_array().unwrap().len(), 2, "{}", r.text);
    }
    let today = api(
        "GET",
        &format!("/music_recommendations?user_id=eq.{uid}&track_id=like.now-*&select=track_id,rl_score&order=track_id"),
        &me,
        None,
        &[],
    );
    assert_eq!(
        today.body,
        json!([{"track_id": "now-a", "rl_score": 0.2}, {"track_id": "now-b", "rl_score": 0.2}]),
        "{}",
        today.text
    );

    let n: i64 = db()
        .query_one(
            "select count(*) from music_recommendations where user_id = $1",
            &[&uuid(&uid)],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 4, "rain ×2 days, now-a, now-b");
}

#[test]
fn recommendations_belong_to_their_user() {
    let (uid, me) = new_user("rec-owner");
    let (_, intruder) = new_user("rec-intruder");
    let r = upsert_recommendations(
        &me,
        &recommendation(&uid, "mine", Some("2026-11-20T08:00:00Z"), 0.4),
    );
    assert_eq!(r.status, 201, "{}", r.text);

    // Another user upserting over it (same user_id, track, day) is refused by RLS.
    let hijack = upsert_recommendations(
        &intruder,
        &recommendation(&uid, "mine", Some("2026-11-20T09:00:00Z"), 0.0),
    );
    assert_eq!(
        (hijack.status, hijack.body["code"].clone()),
        (403, json!("42501")),
        "{}",
        hijack.text
    );
    let seen = api(
        "GET",
        &format!("/music_recommendations?user_id=eq.{uid}"),
        &intruder,
        None,
        &[],
    );
    assert_eq!(seen.body, json!([]), "{}", seen.text);
    let anon = upsert_recommendations(
        &As::Anon,
        &recommendation(&uid, "mine", Some("2026-11-20T09:00:00Z"), 0.0),
    );
    assert_eq!(anon.status, 401, "{}", anon.text);

    let score: String = db()
        .query_one(
            "select rl_score::text from music_recommendations where user_id = $1",
            &[&uuid(&uid)],
        )
        .unwrap()
        .get(0);
    assert_eq!(score, "0.4", "unchanged");
}

#[test]
fn re_syncing_listening_history_is_idempotent() {
    let (uid, me) = new_user("history");
    let play = |track: &str, at: &str, genres: Value| {
        json!({"user_id": uid, "track_id": track, "track_name": format!("Track {track}"),
               "artists": ["Artist A", "Artist B"], "album": "Album", "played_at": at,
               "duration_ms": 180000, "audio_features": {"energy": 0.5, "tempo": 92.0},
               "genres": genres})
    };
    let sync = |body: &Value| {
        api(
            "POST",
            "/music_listening_history?on_conflict=user_id,track_id,played_at",
            &me,
            Some(body),
            &[MERGE],
        )
    };

    let page = json!([
        play("t1", "2026-11-20T10:00:00Z", json!(["lo-fi"])),
        play("t2", "2026-11-20T10:03:00Z", json!([])),
        play("t1", "2026-11-20T11:00:00Z", json!(["lo-fi"])),
    ]);
    let r = sync(&page);
    assert_eq!(r.status, 201, "{}", r.text);
    let ids: Vec<Value> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].clone())
        .collect();

    // The same page again (the first play with the same instant in another offset, t2 now with
    // genres), plus one new play: 4 rows, the first three keep their ids.
    let again = json!([
        play("t1", "2026-11-20T16:00:00+06:00", json!(["lo-fi"])),
        play("t2", "2026-11-20T10:03:00Z", json!(["ambient"])),
        play("t1", "2026-11-20T11:00:00Z", json!(["lo-fi"])),
        play("t3", "2026-11-20T11:05:00Z", json!(["jazz"])),
    ]);
    let r = sync(&again);
    assert!(r.status == 200 || r.status == 201, "{}", r.text);

    let rows = api(
        "GET",
        &format!(
            "/music_listening_history?user_id=eq.{uid}&select=id,track_id,genres&order=played_at"
        ),
        &me,
        None,
        &[],
    );
    assert_eq!(rows.status, 200, "{}", rows.text);
    let rows = rows.body.as_array().unwrap().clone();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        rows[..3]
            .iter()
            .map(|p| p["id"].clone())
            .collect::<Vec<_>>(),
        ids,
        "re-synced plays are the same rows"
    );
    assert_eq!(
        rows[1]["genres"],
        json!(["ambient"]),
        "merged the new genres"
    );
    assert_eq!(rows[3]["track_id"], "t3");

    // Someone else cannot cache plays for this user.
    let (_, other) = new_user("history-other");
    let r = api(
        "POST",
        "/music_listening_history",
        &other,
        Some(&play("t9", "2026-11-20T12:00:00Z", json!([]))),
        &[],
    );
    assert_eq!(
        (r.status, r.body["code"].clone()),
        (403, json!("42501")),
        "{}",
        r.text
    );
}

#[test]
fn the_newest_rl_model_snapshot_is_one_request() {
    let (uid, me) = new_user("model");
    for v in [2, 1, 3] {
        let r = api(
            "POST",
            "/music_rl_models",
            &me,
            Some(&json!({"user_id": uid, "version": v,
                         "q_table": {"calm": {"lofi": v as f64 / 10.0}},
                         "hyperparameters": {"alpha": 0.1, "gamma": 0.9}})),
            &[],
        );
        assert_eq!(r.status, 201, "{}", r.text);
    }
    // The seed's "model snapshot" read: the newest version.
    let newest = api(
        "GET",
        &format!("/music_rl_models?user_id=eq.{uid}&select=version,q_table,hyperparameters&order=version.desc&limit=1"),
        &me,
        None,
        &[],
    );
    assert_eq!(newest.status, 200, "{}", newest.text);
    assert_eq!(
        newest.body,
        json!([{"version": 3, "q_table": {"calm": {"lofi": 0.3}},
                "hyperparameters": {"alpha": 0.1, "gamma": 0.9}}])
    );
    // The same, as one object (supabase-js .single()).
    let single = api(
        "GET",
        &format!("/music_rl_models?user_id=eq.{uid}&select=version&order=version.desc&limit=1"),
        &me,
        None,
        &[("Accept", "application/vnd.pgrst.object+json")],
    );
    assert_eq!(single.body, json!({"version": 3}), "{}", single.text);

    let dup = api(
        "POST",
        "/music_rl_models",
        &me,
        Some(&json!({"user_id": uid, "version": 3, "q_table": {}})),
        &[],
    );
    assert_eq!(
        (dup.status, dup.body["code"].clone()),
        (409, json!("23505")),
        "{}",
        dup.text
    );
    let zero = api(
        "POST",
        "/music_rl_models",
        &me,
        Some(&json!({"user_id": uid, "version": 0, "q_table": {}})),
        &[],
    );
    assert_eq!(
        (zero.status, zero.body["code"].clone()),
        (400, json!("23514")),
        "{}",
        zero.text
    );

    let (_, other) = new_user("model-other");
    let theirs = api(
        "GET",
        &format!("/music_rl_models?user_id=eq.{uid}&order=version.desc&limit=1"),
        &other,
        None,
        &[],
    );
    assert_eq!(theirs.body, json!([]), "{}", theirs.text);
}

#[test]
fn interactions_are_an_append_only_log() {
    let (uid, me) = new_user("feedback");
    let r = api(
        "POST",
        "/music_interactions",
        &me,
        Some(
            &json!({"user_id": uid, "track_id": "rain", "interaction_type": "play",
                     "rl_reward": 0.5, "listen_duration_ms": 250000, "track_duration_ms": 200000,
                     "personality_state": {"openness": 70},
                     "audio_features": {"genre": "Lo-fi Chill", "energy": 0.3}}),
        ),
        &[("Prefer", "return=representation")],
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.body[0]["completion_percentage"].as_f64(),
        Some(100.0),
        "capped at 100"
    );

    let bad = api(
        "POST",
        "/music_interactions",
        &me,
        Some(
            &json!({"user_id": uid, "track_id": "rain", "interaction_type": "love", "rl_reward": 1}),
        ),
        &[],
    );
    assert_eq!(
        (bad.status, bad.body["code"].clone()),
        (400, json!("23514")),
        "{}",
        bad.text
    );

    // No update or delete policy: PostgREST reports no row changed; nothing changed.
    assert_changes_nothing(
        "PATCH",
        &format!("/music_interactions?id=eq.{id}"),
        &me,
        Some(&json!({"rl_reward": 99})),
    );
    assert_changes_nothing(
        "DELETE",
        &format!("/music_interactions?id=eq.{id}"),
        &me,
        None,
    );
    let reward: String = db()
        .query_one(
            "select rl_reward::text from music_interactions where id = $1",
            &[&uuid(&id)],
        )
        .unwrap()
        .get(0);
    assert_eq!(reward, "0.5");
}

#[test]
fn users_cannot_write_genre_preferences() {
    let (uid, me) = new_user("prefs-ro");
    db().execute(
        "insert into music_genre_preferences (user_id, genre, preference_score, interaction_count)
         values ($1, 'lo-fi chill', 0.6, 4)",
        &[&uuid(&uid)],
    )
    .unwrap();

    let read = api(
        "GET",
        "/music_genre_preferences?select=genre,interaction_count",
        &me,
        None,
        &[],
    );
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(
        read.body,
        json!([{"genre": "lo-fi chill", "interaction_count": 4}])
    );

    let insert = api(
        "POST",
        "/music_genre_preferences",
        &me,
        Some(&json!({"user_id": uid, "genre": "metal", "preference_score": 1})),
        &[],
    );
    assert_eq!(
        (insert.status, insert.body["code"].clone()),
        (403, json!("42501")),
        "{}",
        insert.text
    );
    let upsert = api(
        "POST",
        "/music_genre_preferences?on_conflict=user_id,genre",
        &me,
        Some(&json!({"user_id": uid, "genre": "lo-fi chill", "preference_score": 1})),
        &[MERGE],
    );
    assert_eq!(
        (upsert.status, upsert.body["code"].clone()),
        (403, json!("42501")),
        "{}",
        upsert.text
    );
    assert_changes_nothing(
        "PATCH",
        &format!("/music_genre_preferences?user_id=eq.{uid}"),
        &me,
        Some(&json!({"preference_score": 1})),
    );
    assert_changes_nothing(
        "DELETE",
        &format!("/music_genre_preferences?user_id=eq.{uid}"),
        &me,
        None,
    );
    let anon = api(
        "POST",
        "/music_genre_preferences",
        &As::Anon,
        Some(&json!({"user_id": uid, "genre": "metal"})),
        &[],
    );
    assert_eq!(
        (anon.status, anon.body["code"].clone()),
        (401, json!("42501")),
        "{}",
        anon.text
    );

    let rows: Vec<(String, String, i32)> = db()
        .query(
            "select genre, preference_score::text, interaction_count from music_genre_preferences
             where user_id = $1 order by genre",
            &[&uuid(&uid)],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        rows,
        vec![("lo-fi chill".to_string(), "0.6".to_string(), 4)]
    );

    // The service role (the backend) may write them.
    let svc = api(
        "POST",
        "/music_genre_preferences",
        &As::Service,
        Some(&json!({"user_id": uid, "genre": "metal", "preference_score": 0.2})),
        &[],
    );
    assert_eq!(svc.status, 201, "{}", svc.text);
}

#[test]
fn get_genre_preferences_over_get() {
    let (uid, me) = new_user("prefs-top");
    let (other, other_who) = new_user("prefs-top-other");
    db().execute(
        "insert into music_genre_preferences (user_id, genre, preference_score, interaction_count, average_reward)
         values ($1, 'lo-fi chill', 0.9, 10, 0.8), ($1, 'k-pop', 0.7, 8, 0.3), ($1, 'pop anthems', 0.7, 3, 0.2),
                ($1, 'metal', 0.1, 2, -0.9), ($2, 'opera', 1, 1, 1)",
        &[&uuid(&uid), &uuid(&other)],
    )
    .unwrap();

    let top2 = api(
        "GET",
        "/rpc/get_genre_preferences?p_limit=2",
        &me,
        None,
        &[],
    );
    assert_eq!(top2.status, 200, "{}", top2.text);
    let genres = |r: &Resp| -> Vec<String> {
        r.body
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["genre"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(genres(&top2), ["lo-fi chill", "k-pop"]);

    let all = api("GET", "/rpc/get_genre_preferences", &me, None, &[]);
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(
        genres(&all),
        ["lo-fi chill", "k-pop", "pop anthems", "metal"]
    );
    assert_eq!(all.body[0]["user_id"], json!(uid));
    assert_eq!(all.body[0]["average_reward"].as_f64(), Some(0.8));

    // A SETOF result takes PostgREST's select / filters.
    let picked = api(
        "GET",
        "/rpc/get_genre_preferences?select=genre,preference_score&preference_score=gte.0.7",
        &me,
        None,
        &[],
    );
    assert_eq!(
        picked.body,
        json!([{"genre": "lo-fi chill", "preference_score": 0.9},
               {"genre": "k-pop", "preference_score": 0.7},
               {"genre": "pop anthems", "preference_score": 0.7}]),
        "{}",
        picked.text
    );

    let posted = rpc("get_genre_preferences", &me, json!({"p_limit": 1}));
    assert_eq!(posted.status, 200, "{}", posted.text);
    assert_eq!(genres(&posted), ["lo-fi chill"]);

    let theirs = api("GET", "/rpc/get_genre_preferences", &other_who, None, &[]);
    assert_eq!(genres(&theirs), ["opera"]);

    for bad in ["0", "101"] {
        let r = api(
            "GET",
            &format!("/rpc/get_genre_preferences?p_limit={bad}"),
            &me,
            None,
            &[],
        );
        assert_eq!(
            (r.status, r.body["code"].clone()),
            (400, json!("22023")),
            "p_limit={bad}: {}",
            r.text
        );
    }
    let anon = api("GET", "/rpc/get_genre_preferences", &As::Anon, None, &[]);
    assert_eq!(
        (anon.status, anon.body["code"].clone()),
        (401, json!("42501")),
        "{}",
        anon.text
    );
}

#[test]
fn the_seeds_like_flow_updates_preferences() {
    // "User clicks like": INSERT music_interactions (feedback) → preferences updated (trigger)
    let (uid, me) = new_user("like-flow");
    for (track, kind, reward, genre) in [
        ("t1", "like", 1.0, "Lo-fi Chill"),
        ("t2", "save", 1.0, "lo-fi chill "),
        ("t3", "skip", -0.5, "Pop Anthems"),
    ] {
        let r = api(
            "POST",
            "/music_interactions",
            &me,
            Some(&json!({
            "user_id": uid, "track_id": track, "interaction_type": kind, "rl_reward": reward,
            "listen_duration_ms": 30000, "track_duration_ms": 180000,
            "personality_state": {"openness": 70}, "audio_features": {"genre": genre, "energy": 0.4}})),
            &[],
        );
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let top = api(
        "GET",
        "/rpc/get_genre_preferences?p_limit=5",
        &me,
        None,
        &[],
    );
    assert_eq!(top.status, 200, "{}", top.text);
    let rows = top.body.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["genre"], "lo-fi chill");
    assert_eq!(rows[0]["interaction_count"], 2);
    assert_eq!(rows[0]["preference_score"], json!(1));
    assert_eq!(rows[1]["genre"], "pop anthems");
    assert_eq!(rows[1]["preference_score"], json!(0.25));
}

#[test]
fn sixteen_clients_times_a_thousand_interactions_equal_a_recompute() {
    let (uid, _) = new_user("concurrent-fan");
    let genres = [
        "Lo-fi Chill",
        "lo-fi chill",
        "Pop Anthems",
        "Hyperpop",
        "Indie Sad",
    ];
    let handles: Vec<_> = (0..16)
        .map(|c| {
            let uid = uid.clone();
            std::thread::spawn(move || {
                let me = As::User(user_token(&uid));
                for i in 0..1000 {
                    let reward = [1.0, -1.0, 0.5, -0.5, 0.25][(c + i) % 5];
                    let r = api("POST", "/music_interactions", &me, Some(&json!({
                        "user_id": uid, "track_id": format!("c{c}-{i}"), "interaction_type": "play",
                        "rl_reward": reward, "audio_features": {"genre": genres[(c * 7 + i) % genres.len()]}})), &[]);
                    assert_eq!(r.status, 201, "client {c} #{i}: {}", r.text);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a client failed");
    }
    let snapshot = || -> Vec<String> {
        db().query(
            "select format('%s|%s|%s|%s|%s|%s|%s|%s', genre, interaction_count, reward_sum, weighted_reward_sum,
                           recency_weight_sum, average_reward, preference_score, last_interaction)
             from music_genre_preferences where user_id = $1 order by genre",
            &[&uuid(&uid)]).unwrap().iter().map(|r| r.get(0)).collect()
    };
    let incremental = snapshot();
    assert_eq!(
        incremental.len(),
        4,
        "four genres after normalisation: {incremental:?}"
    );
    let total: i64 = db()
        .query_one(
            "select sum(interaction_count)::bigint from music_genre_preferences where user_id = $1",
            &[&uuid(&uid)],
        )
        .unwrap()
        .get(0);
    assert_eq!(total, 16_000);
    let r = rpc(
        "recompute_genre_preferences",
        &As::Service,
        json!({"p_user_id": uid}),
    );
    assert_eq!((r.status, r.body.clone()), (200, json!(4)), "{}", r.text);
    assert_eq!(
        snapshot(),
        incremental,
        "the recomputed rows equal the incremental ones exactly"
    );
}
