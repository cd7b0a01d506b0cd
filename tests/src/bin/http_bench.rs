//! `make bench`, through the real PostgREST: the seeds' client patterns (one HTTP request per
//! statement, as supabase-js / supabase-py send them) against pg_convo's single RPCs, with the
//! same number of client threads and the same duration. Reads the bench stack from STACK_ENV.
//!
//!   cargo run --release -p pg_convo_integration --bin http_bench -- [SECONDS]

use pg_convo_integration::*;
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn bench_user(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn bench_phone(n: usize) -> String {
    format!("+1555000{n:04}")
}

/// Runs `op(thread, i)` on `threads` threads for `seconds`; returns completed ops per second.
fn rate(threads: usize, seconds: u64, op: impl Fn(usize, u64) + Send + Sync + 'static) -> f64 {
    let op = Arc::new(op);
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (op, done) = (op.clone(), done.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while Instant::now() < deadline {
                    op(t, i);
                    i += 1;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a bench client failed");
    }
    done.load(Ordering::Relaxed) as f64 / seconds as f64
}

/// The client's clock as ISO 8601 UTC (what the seed's `new Date().toISOString()` sends).
fn db_free_now_iso() -> String {
    let secs = now_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn ok(r: &Resp, what: &str) {
    assert!(
        (200..300).contains(&r.status),
        "{what}: {} {}",
        r.status,
        r.text
    );
}

fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);

    // Chat: store_chat_pair (one RPC) vs the seed backend's two inserts (two requests).
    let rpc_pairs = rate(4, seconds, |t, i| {
        let uid = bench_user(1 + (t * 50 + i as usize) % 200);
        let r = rpc(
            "store_chat_pair",
            &As::Service,
            json!({"p_user_id": uid, "p_user_message": "How was your day?",
            "p_ai_response": "It was good, thanks for asking!", "p_session_id": null}),
        );
        ok(&r, "store_chat_pair");
    });
    let two_inserts = rate(4, seconds, |t, i| {
        let uid = bench_user(1 + (t * 50 + i as usize) % 200);
        let prefer = [("Prefer", "return=representation")];
        let u = api(
            "POST",
            "/chat_messages",
            &As::Service,
            Some(&json!({"user_id": uid,
            "message_text": "How was your day?", "sender_type": "user", "session_id": null})),
            &prefer,
        );
        ok(&u, "user message");
        let a = api(
            "POST",
            "/chat_messages",
            &As::Service,
            Some(&json!({"user_id": uid,
            "message_text": "It was good, thanks for asking!", "sender_type": "ai", "session_id": null})),
            &prefer,
        );
        ok(&a, "ai message");
    });
    println!("  (a) rpc/store_chat_pair                 {rpc_pairs:.0} pairs/s");
    println!("  (c) seed backend: two POST /chat_messages {two_inserts:.0} pairs/s");
    println!("  (a)/(c) = {:.2}   target >= 1.5", rpc_pairs / two_inserts);

    // Agent sessions: load_or_create_session (one RPC) vs the seed's loadOrCreateSession (a
    // select .single(), the newest user message, an update; steady state, no rollover).
    let rpc_loads = rate(16, seconds, load_by_rpc);
    let seed_loads = rate(16, seconds, load_like_the_seed);
    println!("  (a) rpc/load_or_create_session          {rpc_loads:.0} calls/s");
    println!("  (b) seed: select, last message, update  {seed_loads:.0} calls/s");
    println!("  (a)/(b) = {:.2}   target >= 3.0", rpc_loads / seed_loads);

    // One SMS at a time: how long the backend waits for its session (mean of 500 calls).
    let rpc_ms = mean_latency_ms(500, load_by_rpc);
    let seed_ms = mean_latency_ms(500, load_like_the_seed);
    println!(
        "  one caller: rpc {rpc_ms:.3} ms, the seed's requests {seed_ms:.3} ms per load: {:.2}x faster",
        seed_ms / rpc_ms
    );
}

fn mean_latency_ms(n: u64, op: impl Fn(usize, u64)) -> f64 {
    let start = Instant::now();
    for i in 0..n {
        op(0, i);
    }
    start.elapsed().as_secs_f64() * 1000.0 / n as f64
}

fn load_by_rpc(t: usize, i: u64) {
    let phone = bench_phone(1 + (t + i as usize) % 8);
    let r = rpc(
        "load_or_create_session",
        &As::Service,
        json!({"p_phone_number": phone}),
    );
    ok(&r, "load_or_create_session");
}

/// The seed's loadOrCreateSession on an existing session: select .single(), the newest user
/// message, the update (no rollover due, so no deletes): one request each.
fn load_like_the_seed(t: usize, i: u64) {
    let phone = bench_phone(1 + (t + i as usize) % 8).replace('+', "%2B");
    let single = [("Accept", "application/vnd.pgrst.object+json")];
    let s = api(
        "GET",
        &format!("/user_sessions?select=*&phone_number=eq.{phone}"),
        &As::Service,
        None,
        &single,
    );
    ok(&s, "select session");
    let id = s.body["id"].as_str().expect("session id").to_string();
    let last = format!(
        "/messages?select=created_at&session_id=eq.{id}&role=eq.user&order=created_at.desc&limit=1"
    );
    ok(
        &api("GET", &last, &As::Service, None, &[]),
        "last user message",
    );
    // the seed sends its client clock (nowIso) and the metadata it rebuilt
    let body = json!({"last_active_at": db_free_now_iso(), "metadata": s.body["metadata"]});
    let u = api(
        "PATCH",
        &format!("/user_sessions?id=eq.{id}"),
        &As::Service,
        Some(&body),
        &[],
    );
    ok(&u, "update session");
}
