//! `make bench`: a mixed load through the gateway, as an app's users and its backend make it,
//! for a bounded time on loopback: history, profile, genre-preference and mentor reads as signed-in
//! users; store_chat_pair and music inserts as those users; SMS sessions as the backend. Prints
//! the requests, errors, throughput and latency percentiles. Reads the bench stack from STACK_ENV
//! (its 200 bench users and 8 bench phones: bench/baselines.sql).
//!
//!   cargo run --release -p pg_convo_integration --bin http_load -- [SECONDS] [CONNECTIONS]

use pg_convo_integration::*;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn bench_user(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// One request of the mix: method, path below /rest/v1, body, and whether the backend sends it.
fn request(op: usize, user: &str, phone: &str) -> (&'static str, String, Option<Value>, bool) {
    match op % 8 {
        0 | 4 => (
            "GET",
            format!("/chat_messages?select=*&user_id=eq.{user}&order=timestamp.desc&limit=50"),
            None,
            false,
        ),
        1 => (
            "GET",
            format!("/profiles?select=*&id=eq.{user}"),
            None,
            false,
        ),
        2 => (
            "GET",
            "/rpc/get_genre_preferences?p_limit=10".into(),
            None,
            false,
        ),
        3 => ("GET", "/rpc/get_mentor_context".into(), None, false),
        5 => (
            "POST",
            "/rpc/store_chat_pair".into(),
            Some(
                json!({"p_user_message": "How was your day? I went for a long walk by the river.",
                        "p_ai_response": "That sounds lovely! Walking by water is calming. What did you notice?",
                        "p_user_id": user}),
            ),
            false,
        ),
        6 => (
            "POST",
            "/music_interactions".into(),
            Some(
                json!({"user_id": user, "track_id": format!("track-{}", op % 97), "interaction_type": "play",
                        "rl_reward": 0.5, "listen_duration_ms": 120000, "track_duration_ms": 200000,
                        "audio_features": {"genres": ["Lo-Fi", "jazz"]}}),
            ),
            false,
        ),
        _ => (
            "POST",
            "/rpc/load_or_create_session".into(),
            Some(json!({"p_phone_number": phone})),
            true,
        ),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(45);
    let connections: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(32);
    let s = stack();
    let api_url = Arc::new(format!("{}/rest/v1", s.api_url));
    let tokens: Arc<Vec<String>> =
        Arc::new((1..=200).map(|n| user_token(&bench_user(n))).collect());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..connections)
        .map(|t| {
            let (api_url, tokens) = (api_url.clone(), tokens.clone());
            let (anon, service) = (s.anon_key.clone(), s.service_role_key.clone());
            std::thread::spawn(move || {
                // one keep-alive connection per client, as a pooled app server would hold
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(30))
                    .max_idle_connections_per_host(1)
                    .build();
                let (mut latencies_us, mut errors, mut first_error) = (Vec::new(), 0u64, None);
                let mut i = t;
                while Instant::now() < deadline {
                    let n = 1 + (t * 7 + i) % 200;
                    let phone = format!("+1555000{:04}", 1 + (t + i) % 8);
                    let (method, path, body, backend) = request(i, &bench_user(n), &phone);
                    let (apikey, bearer) = if backend {
                        (&service, &service)
                    } else {
                        (&anon, &tokens[n - 1])
                    };
                    let req = agent
                        .request(method, &format!("{api_url}{path}"))
                        .set("apikey", apikey)
                        .set("Authorization", &format!("Bearer {bearer}"));
                    let began = Instant::now();
                    let result = match &body {
                        Some(b) => req
                            .set("Content-Type", "application/json")
                            .send_string(&b.to_string()),
                        None => req.call(),
                    };
                    let status = match result {
                        Ok(r) => {
                            let status = r.status();
                            let _ = r.into_string();
                            status
                        }
                        Err(ureq::Error::Status(code, r)) => {
                            first_error.get_or_insert_with(|| {
                                format!(
                                    "{method} {path}: {code} {}",
                                    r.into_string().unwrap_or_default()
                                )
                            });
                            code
                        }
                        Err(e) => {
                            first_error.get_or_insert_with(|| format!("{method} {path}: {e}"));
                            0
                        }
                    };
                    latencies_us.push(began.elapsed().as_micros() as u64);
                    if !(200..300).contains(&status) {
                        errors += 1;
                    }
                    i += connections;
                }
                (latencies_us, errors, first_error)
            })
        })
        .collect();
    let (mut all, mut errors, mut first_error) = (Vec::new(), 0, None);
    for h in handles {
        let (l, e, f) = h.join().expect("a load client failed");
        all.extend(l);
        errors += e;
        first_error = first_error.or(f);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)] as f64 / 1000.0;
    println!(
        "load: {} requests, {errors} errors, {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({connections} connections, {elapsed:.0} s)",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        *all.last().unwrap_or(&0) as f64 / 1000.0
    );
    if let Some(e) = first_error {
        println!(
            "load: first error: {}",
            e.chars().take(300).collect::<String>()
        );
    }
}
