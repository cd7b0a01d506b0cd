//! Bad-input sweep, generated from the catalog: every function PostgREST serves as `/rpc/…` is
//! called, as each API role that may execute it, with all-null, missing and unknown arguments,
//! wrong JSON types, empty and oversized strings, malformed uuids, timestamps and intervals,
//! negative and huge numbers, and control characters (CR LF, NUL). For every call:
//!   * never a 5xx, and an answer within SWEEP_REQUEST_TIMEOUT (else: a hang);
//!   * no response header and no status-line text made from the caller's text (PostgREST 12
//!     writes a PTxyz error's message into the status line);
//!   * no Rust backtrace in any answer;
//!   * nothing written on refusal: the row counts of all tables in `public` are the same before
//!     and after every 4xx.
//!
//! A role without EXECUTE is called once (all nulls): its refusal must be clean too.
//! A new RPC is covered without editing this file. The other arguments of a call keep ordinary
//! values chosen to get as deep into the function as possible (see `deepest_plain_args`), so a bad
//! value reaches the code behind the first validation. Each failure is one line starting with FAIL.
//!
//! Run: STACK_ENV=.local/stack.env cargo test -p pg_convo_integration --test sweep_bad_input
//!      -- --nocapture   (SWEEP_VERBOSE=1 also prints every call and its answer)

use pg_convo_integration::*;
use serde_json::{json, Map, Value};
use std::time::Instant;

/// The values every argument gets in turn, with a label for the report.
fn bad_values() -> Vec<(&'static str, Value)> {
    vec![
        ("null", Value::Null),
        ("a number", json!(12345)),
        ("a string", json!("not-a-value")),
        ("an object", json!({"a": 1})),
        ("an array", json!([1, 2])),
        ("a boolean", json!(true)),
        ("an empty string", json!("")),
        ("a blank string", json!("   ")),
        ("5 KB", json!("y".repeat(5_000))),
        ("1 MB", json!("x".repeat(1_000_000))), // under the gateway's 1 MB body limit: PostgREST gets it
        ("over 1 MB", json!("x".repeat(1 << 20))), // the gateway's 413
        (
            "a malformed uuid",
            json!("123e4567-e89b-12d3-a456-42661417400Z"),
        ),
        ("a malformed timestamp", json!("2026-13-45T99:99:99Z")),
        ("a malformed interval", json!("forever and a day")),
        ("a huge interval", json!("999999999 years")),
        ("-1", json!(-1)),
        ("2^31", json!(2_147_483_648_i64)),
        ("-2^31-1", json!(-2_147_483_649_i64)),
        ("2^63", json!(9_223_372_036_854_775_808_u64)),
        ("1e308", json!(1e308)),
        ("-1e308", json!(-1e308)),
        ("a fraction", json!(0.5)),
        ("CR LF header", json!("nope\r\nX-Injected: yes")),
        ("NUL", json!("a\u{0000}b")),
        ("an escape sequence", json!("\u{001b}[31mred\u{0007}")),
    ]
}

/// The same, as query-string text for GET (stable functions).
fn bad_query_values() -> Vec<(&'static str, String)> {
    vec![
        ("CR LF header", "nope\r\nX-Injected: yes".into()),
        ("NUL", "a\u{0000}b".into()),
        ("5 KB", "y".repeat(5_000)),
        ("a malformed uuid", "not-a-uuid".into()),
        ("an empty string", String::new()),
    ]
}

/// An ordinary value for an argument (the others keep it while one is made bad).
fn plain_value(arg: &RpcArg, user: &str) -> Value {
    match arg.type_name.as_str() {
        "uuid" if arg.name.contains("user") => json!(user),
        "uuid" => json!(uuid::Uuid::new_v4().to_string()),
        "integer" | "smallint" | "bigint" => json!(10),
        "numeric" | "real" | "double precision" => json!(0.5),
        "boolean" => json!(true),
        "jsonb" | "json" => json!({}),
        "interval" => json!("1 hour"),
        "timestamp with time zone" | "timestamp without time zone" => {
            json!("2026-01-02T03:04:05Z")
        }
        "date" => json!("2026-01-02"),
        _ => json!("sweep"),
    }
}

/// A request body or query for the report: long strings shortened, control characters escaped.
fn show(v: &Value) -> String {
    fn shorten(v: &Value) -> Value {
        match v {
            Value::String(s) if s.chars().count() > 40 => {
                json!(format!(
                    "<{} chars: {}…>",
                    s.chars().count(),
                    s.chars().take(12).collect::<String>()
                ))
            }
            Value::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.clone(), shorten(v))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(shorten).collect()),
            v => v.clone(),
        }
    }
    shorten(v).to_string()
}

/// The caller's strings (and numbers) that must never come back in the status line.
fn caller_texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            let s: String = s.chars().take(24).collect();
            if s.trim().chars().count() >= 4 {
                out.push(s);
            }
        }
        Value::Number(n) if n.to_string().len() >= 4 => out.push(n.to_string()),
        Value::Object(o) => o.values().for_each(|x| caller_texts(x, out)),
        Value::Array(a) => a.iter().for_each(|x| caller_texts(x, out)),
        _ => {}
    }
}

/// A Rust backtrace (what pg_convo's errors carried when the server ran with RUST_BACKTRACE).
fn looks_like_a_backtrace(text: &str) -> bool {
    [
        "stack backtrace",
        "panicked at",
        "rust_begin_unwind",
        "core::panicking",
    ]
    .iter()
    .any(|m| text.contains(m))
}

struct Sweep {
    conn: postgres::Client,
    count_sql: String,
    tables: Vec<String>,
    counts: Vec<i64>,
    calls: usize,
    failures: Vec<String>,
    /// Not failures, for the reader: 1 MB values a function accepted (2xx).
    notes: Vec<String>,
}

impl Sweep {
    fn read_counts(&mut self) -> Vec<i64> {
        self.conn.query_one(&self.count_sql, &[]).unwrap().get(0)
    }

    /// One call and every check on it. `args` is what the caller sent (for the report and the
    /// status-line check); `body` is None for a GET whose arguments are in `path`.
    fn call(
        &mut self,
        role: &str,
        who: &As,
        path: &str,
        body: Option<&Value>,
        args: &Value,
        what: &str,
    ) -> u16 {
        self.calls += 1;
        let method = if body.is_some() { "POST" } else { "GET" };
        let label = format!(
            "{role} {method} {} [{what}] {}",
            path.split('?').next().unwrap(),
            show(args)
        );
        let started = Instant::now();
        let r = match try_api(method, path, who, body, &[]) {
            Ok(r) => r,
            Err(e) => {
                self.failures.push(format!(
                    "{label} → no answer after {:.1} s (a hang, or not valid HTTP): {e}",
                    started.elapsed().as_secs_f64()
                ));
                self.counts = self.read_counts();
                return 0;
            }
        };
        let body_text: String = r.text.chars().take(300).collect();
        if std::env::var_os("SWEEP_VERBOSE").is_some() {
            println!("{label} → {} {body_text}", r.status);
        }
        if r.status >= 500 {
            self.failures
                .push(format!("{label} → {} {body_text}", r.status));
        }
        if what.ends_with("= 1 MB") && r.status < 300 {
            self.notes
                .push(format!("{label} → {} (a 1 MB value accepted)", r.status));
        }
        if looks_like_a_backtrace(&r.text) {
            self.failures.push(format!(
                "{label} → {}: A BACKTRACE IN THE ANSWER {body_text}",
                r.status
            ));
        }
        let injected: Vec<&(String, String)> = r
            .headers
            .iter()
            .filter(|(k, v)| k.contains("injected") || v.to_lowercase().contains("injected"))
            .collect();
        if !injected.is_empty() {
            self.failures.push(format!(
                "{label} → {}: HEADER FROM CALLER TEXT {injected:?}",
                r.status
            ));
        }
        let mut texts = Vec::new();
        caller_texts(args, &mut texts);
        let in_status_line: Vec<&String> = texts
            .iter()
            .filter(|t| r.reason.contains(t.as_str()))
            .collect();
        if !in_status_line.is_empty() || r.reason.to_lowercase().contains("injected") {
            self.failures.push(format!(
                "{label} → {} {:?}: STATUS LINE CARRIES CALLER TEXT {in_status_line:?}",
                r.status, r.reason
            ));
        }
        let now = self.read_counts();
        if (400..500).contains(&r.status) && now != self.counts {
            let changed: Vec<String> = self
                .tables
                .iter()
                .zip(now.iter().zip(&self.counts))
                .filter(|(_, (a, b))| a != b)
                .map(|(t, (a, b))| format!("{t}: {b} → {a}"))
                .collect();
            self.failures.push(format!(
                "{label} → {} {body_text}: REFUSED BUT WROTE {changed:?}",
                r.status
            ));
        }
        self.counts = now;
        r.status
    }

    /// Ordinary arguments that get as far into the function as possible: each argument in turn
    /// tries its candidates (the others fixed) and keeps the one with the deepest answer
    /// (2xx, then 404/409, then 403 …, a 400 being the shallowest), so that a bad value later
    /// reaches the code behind the first validation (e.g. a valid event type, then a bad id).
    fn deepest_plain_args(
        &mut self,
        role: &str,
        who: &As,
        f: &RpcFunction,
        candidates: &[Vec<Value>],
    ) -> Map<String, Value> {
        let depth = |status: u16| match status {
            200..=299 => 4,
            404 | 409 => 3,
            403 => 2,
            401 => 1,
            _ => 0,
        };
        let path = format!("/rpc/{}", f.name);
        let mut best: Map<String, Value> = f
            .args
            .iter()
            .zip(candidates)
            .map(|(a, c)| (a.name.clone(), c[0].clone()))
            .collect();
        let first = Value::Object(best.clone());
        let mut best_depth =
            depth(self.call(role, who, &path, Some(&first), &first, "ordinary arguments"));
        for (a, cands) in f.args.iter().zip(candidates) {
            for c in cands.iter().skip(1) {
                let mut m = best.clone();
                m.insert(a.name.clone(), c.clone());
                let args = Value::Object(m.clone());
                let d =
                    depth(self.call(role, who, &path, Some(&args), &args, "ordinary arguments"));
                if d > best_depth {
                    best = m;
                    best_depth = d;
                }
            }
        }
        best
    }
}

/// Candidate ordinary values of each argument: string literals of the function's source (and
/// of the convo function of the same name it wraps) for texts, an existing value of a column of
/// the same name (or, for `p_x_id`, an id of a table named `…xs`) for ids, and a plain value.
fn arg_candidates(conn: &mut postgres::Client, f: &RpcFunction, user: &str) -> Vec<Vec<Value>> {
    let source: String = conn
        .query_one(
            "select coalesce(string_agg(p.prosrc, ' '), '') from pg_proc p
             where p.proname = $1 and p.pronamespace in ('public'::regnamespace, 'convo'::regnamespace)",
            &[&f.name],
        )
        .unwrap()
        .get(0);
    let literals: Vec<String> = source
        .split('\'')
        .skip(1)
        .step_by(2)
        .filter(|l| {
            (3..=40).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
        .map(str::to_string)
        .collect();
    f.args
        .iter()
        .map(|a| {
            let mut out: Vec<Value> = Vec::new();
            let name = a.name.strip_prefix("p_").unwrap_or(&a.name);
            if a.type_name == "uuid" || a.type_name == "text" {
                let stem = name.strip_suffix("_id").unwrap_or(name);
                let existing: Option<String> = conn
                    .query_opt(
                        "select format('select %I::text from public.%I where %I is not null limit 1', c.column_name, c.table_name, c.column_name)
                         from information_schema.columns c
                         where c.table_schema = 'public' and (c.column_name = $1 or (c.column_name = 'id' and c.table_name like '%' || $2 || 's'))
                           and c.data_type = $3
                         order by c.column_name = $1 desc, c.table_name limit 1",
                        &[&name, &stem, &a.type_name],
                    )
                    .unwrap()
                    .and_then(|r| conn.query_opt(&r.get::<_, String>(0), &[]).ok().flatten())
                    .map(|r| r.get(0));
                if let Some(v) = existing {
                    out.push(json!(v));
                }
            }
            if a.type_name == "text" {
                out.extend(literals.iter().take(8).map(|l| json!(l)));
            }
            out.push(plain_value(a, user));
            let mut unique: Vec<Value> = Vec::new();
            for v in out {
                if !unique.contains(&v) {
                    unique.push(v);
                }
            }
            unique
        })
        .collect()
}

#[test]
fn no_rpc_answers_bad_input_with_a_5xx_a_hang_an_injected_header_or_a_half_write() {
    let started = Instant::now();
    let functions = rpc_functions();
    assert!(!functions.is_empty(), "no RPC found in public");
    let user = create_user("bad-input sweep");
    let mut conn = db();
    let tables: Vec<String> = conn
        .query(
            "select c.relname::text from pg_class c
             where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let count_sql = format!(
        "select array[{}]::int8[]",
        tables
            .iter()
            .map(|t| format!("(select count(*) from public.\"{t}\")"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut sweep = Sweep {
        conn,
        count_sql,
        tables,
        counts: Vec::new(),
        calls: 0,
        failures: Vec::new(),
        notes: Vec::new(),
    };
    sweep.counts = sweep.read_counts();

    for f in &functions {
        let path = format!("/rpc/{}", f.name);
        for role in ["anon", "authenticated", "service_role"] {
            let who = as_role(role, &user);
            let nulls: Value = Value::Object(
                f.args
                    .iter()
                    .map(|a| (a.name.clone(), Value::Null))
                    .collect(),
            );
            if !f.roles.iter().any(|r| r == role) {
                sweep.call(
                    role,
                    &who,
                    &path,
                    Some(&nulls),
                    &nulls,
                    "no EXECUTE, all null",
                );
                continue;
            }
            let candidates = arg_candidates(&mut sweep.conn, f, &user);
            let plain = sweep.deepest_plain_args(role, &who, f, &candidates);
            let mut cases: Vec<(String, Value)> = vec![
                ("all null".into(), nulls.clone()),
                ("no arguments".into(), json!({})),
            ];
            for a in f.args.iter().filter(|a| !a.has_default) {
                let mut m = plain.clone();
                m.remove(&a.name);
                cases.push((format!("{} missing", a.name), Value::Object(m)));
            }
            let mut extra = plain.clone();
            extra.insert("p_sweep_unknown".into(), json!("x"));
            cases.push(("an unknown argument".into(), Value::Object(extra)));
            for a in &f.args {
                for (label, v) in bad_values() {
                    let mut m = plain.clone();
                    m.insert(a.name.clone(), v);
                    cases.push((format!("{} = {label}", a.name), Value::Object(m)));
                }
            }
            for (what, args) in &cases {
                sweep.call(role, &who, &path, Some(args), args, what);
            }
            // stable functions answer GET too: the arguments then arrive as query-string text
            if matches!(f.volatility, 's' | 'i') {
                for a in &f.args {
                    for (label, v) in bad_query_values() {
                        let query: Vec<String> = f
                            .args
                            .iter()
                            .map(|b| {
                                let text = if b.name == a.name {
                                    v.clone()
                                } else {
                                    match plain.get(&b.name) {
                                        Some(Value::String(s)) => s.clone(),
                                        Some(other) => other.to_string(),
                                        None => String::new(),
                                    }
                                };
                                format!("{}={}", b.name, url_encode(&text))
                            })
                            .collect();
                        let args = json!({ a.name.clone(): v });
                        sweep.call(
                            role,
                            &who,
                            &format!("{path}?{}", query.join("&")),
                            None,
                            &args,
                            &format!("GET {} = {label}", a.name),
                        );
                    }
                }
            }
        }
    }

    println!(
        "bad-input sweep: {} RPCs, {} calls, {} failures, {:.1} s",
        functions.len(),
        sweep.calls,
        sweep.failures.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "RPCs covered: {}",
        functions
            .iter()
            .map(|f| format!("{} ({})", f.signature, f.roles.join("/")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // the sweep's user and what the calls made for them go; other rows calls made stay
    if let Err(e) = sweep
        .conn
        .execute("delete from auth.users where id = $1::text::uuid", &[&user])
    {
        println!("NOTE clean-up: {e}");
    }
    for n in &sweep.notes {
        println!("NOTE {n}");
    }
    if !sweep.failures.is_empty() {
        for f in &sweep.failures {
            println!("FAIL {f}");
        }
        panic!(
            "bad-input sweep: {} failures (listed above, one per line starting with FAIL)",
            sweep.failures.len()
        );
    }
}
