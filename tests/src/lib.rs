//! Harness for the integration tests: they talk to a running pg_convo stack (the throwaway one
//! that `make test` starts, or any other named by `STACK_ENV`) through the real PostgREST, with
//! real HS256 JWTs, exactly as supabase-js / supabase-py would.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The stack's URLs and keys, from its `stack.env` (as `supabase status -o env` prints them).
#[derive(Debug, Clone)]
pub struct Stack {
    pub api_url: String,
    pub rest_url: String,
    pub db_url: String,
    pub anon_key: String,
    pub service_role_key: String,
    pub jwt_secret: String,
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn stack() -> &'static Stack {
    static STACK: OnceLock<Stack> = OnceLock::new();
    STACK.get_or_init(|| {
        let path = std::env::var("STACK_ENV")
            .map(PathBuf::from)
            .unwrap_or_else(|_| repo_root().join(".local/test-stack/stack.env"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "no stack at {} ({e}): run `make test`, or set STACK_ENV",
                path.display()
            )
        });
        let vars: HashMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
        let get = |k: &str| {
            vars.get(k)
                .unwrap_or_else(|| panic!("{k} missing"))
                .to_string()
        };
        Stack {
            api_url: get("API_URL"),
            rest_url: get("REST_URL"),
            db_url: get("DB_URL"),
            anon_key: get("ANON_KEY"),
            service_role_key: get("SERVICE_ROLE_KEY"),
            jwt_secret: get("JWT_SECRET"),
        }
    })
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An HS256 JWT over `claims`, signed with `secret`.
pub fn mint(secret: &str, claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{sig}")
}

/// A signed-in user's access token, as GoTrue issues it.
pub fn user_token(uid: &str) -> String {
    let now = now_secs();
    mint(
        &stack().jwt_secret,
        &json!({"sub": uid, "role": "authenticated", "aud": "authenticated",
                "email": format!("{uid}@example.test"), "iat": now, "exp": now + 3600}),
    )
}

/// Who a request is made as.
#[derive(Debug, Clone)]
pub enum As {
    /// The anon key as `apikey`, no Authorization (a signed-out supabase-js client).
    Anon,
    /// The service_role key (a backend).
    Service,
    /// A signed-in user: anon key as `apikey`, the user's JWT as bearer.
    User(String),
    /// An arbitrary bearer token (bad, expired …), with the anon key as `apikey`.
    Bearer(String),
    /// No apikey and no Authorization at all.
    Nobody,
}

/// A response: status, JSON body (Null when empty or not JSON), headers by lower-case name.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub headers: HashMap<String, String>,
}

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .build()
    })
}

/// A request to the API gateway: `path` is below `/rest/v1` (e.g. `/rpc/convo_info`).
pub fn api(
    method: &str,
    path: &str,
    who: &As,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Resp {
    let url = format!("{}/rest/v1{}", stack().api_url, path);
    send(method, &url, who, body, headers)
}

/// The same, straight to PostgREST (no gateway): `who` must carry a token.
pub fn rest(
    method: &str,
    path: &str,
    who: &As,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Resp {
    let url = format!("{}{}", stack().rest_url, path);
    send(method, &url, who, body, headers)
}

fn send(method: &str, url: &str, who: &As, body: Option<&Value>, headers: &[(&str, &str)]) -> Resp {
    let s = stack();
    let mut req = agent().request(method, url);
    match who {
        As::Anon => req = req.set("apikey", &s.anon_key),
        As::Service => {
            req = req.set("apikey", &s.service_role_key);
            req = req.set("Authorization", &format!("Bearer {}", s.service_role_key));
        }
        As::User(token) | As::Bearer(token) => {
            req = req.set("apikey", &s.anon_key);
            req = req.set("Authorization", &format!("Bearer {token}"));
        }
        As::Nobody => {}
    }
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let result = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let status = resp.status();
    let headers = resp
        .headers_names()
        .into_iter()
        .filter_map(|n| resp.header(&n).map(|v| (n.to_lowercase(), v.to_string())))
        .collect();
    let text = resp.into_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        body,
        text,
        headers,
    }
}

/// POST /rpc/NAME with a JSON object of named arguments.
pub fn rpc(name: &str, who: &As, args: Value) -> Resp {
    api("POST", &format!("/rpc/{name}"), who, Some(&args), &[])
}

/// A superuser connection to the stack's database (for set-up and for checking what was written).
pub fn db() -> postgres::Client {
    postgres::Client::connect(&stack().db_url, postgres::NoTls)
        .expect("connect to the stack's database")
}

/// A new user, made by the test-helper library every suite shares (`tests.create_user`, from
/// sql/test_helpers.sql: a row in auth.users, and so a profile); returns the id.
pub fn create_user(label: &str) -> String {
    ensure_test_helpers();
    let email = format!("{label}-{}@example.test", uuid::Uuid::new_v4());
    let row = db()
        .query_one("select tests.create_user($1, $2)", &[&email, &label])
        .expect("create user");
    row.get::<_, uuid::Uuid>(0).to_string()
}

/// Loads sql/test_helpers.sql into the stack's database unless it is there already (the pgtap
/// suite loads it first in `make test`); once per process, under a lock, since test threads and
/// test binaries share the database.
fn ensure_test_helpers() {
    static LOADED: OnceLock<()> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut db = db();
        let mut tx = db.transaction().expect("begin");
        tx.batch_execute("select pg_advisory_xact_lock(hashtext('pg_convo test helpers'))")
            .expect("lock");
        let present: bool = tx
            .query_one(
                "select to_regprocedure('tests.create_user(text, text)') is not null",
                &[],
            )
            .expect("look for the test helpers")
            .get(0);
        if !present {
            tx.batch_execute(include_str!("../../sql/test_helpers.sql"))
                .expect("load sql/test_helpers.sql");
        }
        tx.commit().expect("commit");
    });
}

/// Tells PostgREST to reload its schema cache and waits until `ready` says the change is served.
pub fn reload_schema_until(ready: impl Fn() -> bool) {
    db().batch_execute("notify pgrst, 'reload schema'").unwrap();
    for _ in 0..100 {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("PostgREST did not pick up the schema change within 10 s");
}

/// A new user and a client signed in as them: (user id, `As::User(token)`).
pub fn new_user(label: &str) -> (String, As) {
    let id = create_user(label);
    let who = As::User(user_token(&id));
    (id, who)
}

/// A uuid the API returned (or a test made), for typed database queries.
pub fn uuid(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).expect("a uuid")
}

/// A PATCH or DELETE that RLS filters to nothing: PostgREST answers 200 with no row changed.
pub fn assert_changes_nothing(method: &str, path: &str, who: &As, body: Option<&Value>) {
    let r = api(
        method,
        path,
        who,
        body,
        &[("Prefer", "return=representation")],
    );
    assert_eq!(
        (r.status, r.body.clone()),
        (200, json!([])),
        "{method} {path}: {}",
        r.text
    );
}

// ---- For the catalog-generated sweeps (sweep_isolation, sweep_bad_input) ------------------------

/// How long a sweep waits for one answer: longer means a hang.
pub const SWEEP_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// An answer as the sweeps look at it: besides status and body, the status line's reason phrase
/// and every header name as received, where text injected from a request would show.
#[derive(Debug)]
pub struct RawResp {
    pub status: u16,
    pub reason: String,
    pub text: String,
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

/// Like `api` (same `who` headers, through the gateway), but a transport failure (timeout after
/// SWEEP_REQUEST_TIMEOUT, an answer that is not valid HTTP) is returned as Err, not a panic.
pub fn try_api(
    method: &str,
    path: &str,
    who: &As,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<RawResp, String> {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    let agent = AGENT.get_or_init(|| {
        ureq::AgentBuilder::new()
            .timeout(SWEEP_REQUEST_TIMEOUT)
            .build()
    });
    let s = stack();
    let url = format!("{}/rest/v1{}", s.api_url, path);
    let mut req = agent.request(method, &url);
    let bearer = |t: &str| format!("Bearer {t}");
    match who {
        As::Anon => req = req.set("apikey", &s.anon_key),
        As::Service => {
            req = req
                .set("apikey", &s.service_role_key)
                .set("Authorization", &bearer(&s.service_role_key))
        }
        As::User(t) | As::Bearer(t) => {
            req = req
                .set("apikey", &s.anon_key)
                .set("Authorization", &bearer(t))
        }
        As::Nobody => {}
    }
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let result = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let resp = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(e.to_string()),
    };
    let status = resp.status();
    let reason = resp.status_text().to_string();
    let headers = resp
        .headers_names()
        .into_iter()
        .filter_map(|n| resp.header(&n).map(|v| (n.to_lowercase(), v.to_string())))
        .collect();
    let text = resp.into_string().map_err(|e| e.to_string())?;
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(RawResp {
        status,
        reason,
        text,
        body,
        headers,
    })
}

/// Percent-encodes a value for a query string (everything but RFC 3986's unreserved characters).
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One input argument of an RPC.
#[derive(Debug, Clone)]
pub struct RpcArg {
    pub name: String,
    /// `format_type` of the argument, e.g. `uuid`, `integer`, `timestamp with time zone`.
    pub type_name: String,
    pub has_default: bool,
}

/// A function PostgREST serves as `/rpc/NAME`, read from the catalog.
#[derive(Debug, Clone)]
pub struct RpcFunction {
    pub name: String,
    pub signature: String,
    pub args: Vec<RpcArg>,
    pub returns_set: bool,
    /// `format_type` of the result (`record` for OUT parameters, a table name for `setof table`).
    pub returns: String,
    /// `s`table or `i`mmutable functions are also callable with GET.
    pub volatility: char,
    /// Which of anon, authenticated, service_role may execute it.
    pub roles: Vec<String>,
}

/// Every function in `public` that PostgREST serves as an RPC: not trigger functions, not the
/// computed relationships (one argument of a table or view's row type), not procedures.
pub fn rpc_functions() -> Vec<RpcFunction> {
    let rows = db()
        .query(
            "select p.oid::regprocedure::text, p.proname::text,
                    coalesce((select array_agg(n order by o) from unnest(p.proargnames[1:p.pronargs]) with ordinality a(n, o)), '{}'),
                    coalesce((select array_agg(format_type(t, null) order by o) from unnest(p.proargtypes::oid[]) with ordinality a(t, o)), '{}'),
                    p.pronargdefaults::int4, p.proretset, format_type(p.prorettype, null), p.provolatile::text,
                    array(select r from unnest(array['anon', 'authenticated', 'service_role']) r
                          where has_function_privilege(r, p.oid, 'execute'))
             from pg_proc p
             where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
               and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
               and not (p.pronargs = 1 and exists (
                     select from pg_type t join pg_class c on c.oid = t.typrelid
                     where t.oid = p.proargtypes[0] and c.relnamespace = 'public'::regnamespace))
               -- the argument names of proargnames[1:pronargs] are the input ones only when there are no OUT arguments before them
               and (p.proargmodes is null or p.proargmodes[1:p.pronargs] <@ array['i', 'b', 'v']::\"char\"[])
             order by 1",
            &[],
        )
        .expect("read the RPCs from the catalog");
    rows.iter()
        .map(|r| {
            let names: Vec<String> = r.get(2);
            let types: Vec<String> = r.get(3);
            let n_defaults = r.get::<_, i32>(4) as usize;
            let first_default = names.len().saturating_sub(n_defaults);
            RpcFunction {
                signature: r.get(0),
                name: r.get(1),
                args: names
                    .into_iter()
                    .zip(types)
                    .enumerate()
                    .map(|(i, (name, type_name))| RpcArg {
                        name,
                        type_name,
                        has_default: i >= first_default,
                    })
                    .collect(),
                returns_set: r.get(5),
                returns: r.get(6),
                volatility: r.get::<_, String>(7).chars().next().unwrap(),
                roles: r.get(8),
            }
        })
        .collect()
}

/// The caller for one of the API roles (`authenticated` signs in as `user`).
pub fn as_role(role: &str, user: &str) -> As {
    match role {
        "anon" => As::Anon,
        "service_role" => As::Service,
        "authenticated" => As::User(user_token(user)),
        other => panic!("not an API role: {other}"),
    }
}
