//! Isolation sweep, generated from the catalog: for every table and view in `public`, user A owns
//! rows (made over the database connection by following NOT NULL columns, defaults, CHECK
//! constraints and foreign keys); user B, anon, and a pending and a declined invitee of A's
//! mediated session then try every read (plain, filtered by A's keys and owner columns, every
//! embed the catalog gives the relation) and every write (insert claiming A, upsert on every unique
//! key targeting A's row, update of each column, delete) over HTTP through the gateway, and every
//! RPC with A's ids. Asserted: no answer carries a value of A's rows, and A's rows are unchanged
//! (a hash of them over the database connection, after every write).
//!
//! Also: a declined invitee cannot change their own invitation (declining is final until the host
//! invites again); an RPC answers A's id and an unknown id alike ("not yours" = "does not exist");
//! B inserting its own row with one of A's unique values answers like with a fresh value.
//!
//! A new table or view is covered without editing this file. A table for which no row can be
//! generated (and which has no recipe below) fails the sweep with the reason, so it is never
//! skipped silently. Each failure is one line starting with FAIL: who, the request, the answer.
//!
//! Run: STACK_ENV=.local/stack.env cargo test -p pg_convo_integration --test sweep_isolation
//!      -- --nocapture   (SWEEP_VERBOSE=1 also prints every request and its answer)

use pg_convo_integration::*;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

/// Tables every signed-in user may read in full by design (shared catalogs, not anyone's data).
const PUBLIC_CATALOGS: &[&str] = &["mentor_avatars", "session_type_templates"];

/// What a pending invitee may see of the inviter's data: the session they are invited to (so they
/// can decide). A declined invitee sees nothing of it.
const PENDING_INVITEE_MAY_READ: &[&str] = &["sessions"];

/// Values the generator cannot derive from the catalog (a regular-expression CHECK), or that make
/// A's rows more telling (a session in progress is one its members can post in). Keep this short:
/// everything else is generated.
fn recipe(table: &str, column: &str) -> Option<Value> {
    match (table, column) {
        ("user_sessions", "phone_number") => {
            let digits: String = uuid::Uuid::new_v4()
                .as_u128()
                .to_string()
                .chars()
                .take(10)
                .collect();
            Some(json!(format!("+1{digits}")))
        }
        ("sessions", "status") => Some(json!("in_progress")),
        // a snake_case name (session_type_templates_key_check)
        ("session_type_templates", "key") => {
            Some(json!(format!("t{}", uuid::Uuid::new_v4().simple())))
        }
        _ => None,
    }
}

// ---- The catalog -----------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Column {
    name: String,
    /// `format_type`, e.g. `timestamp with time zone`, `smallint[]`.
    type_name: String,
    /// The type's (or, for an array, its element's) `typname`: `text`, `int4`, `uuid` …
    base: String,
    is_array: bool,
    not_null: bool,
    has_default: bool,
    /// `a` (generated always), `d` (by default) or empty.
    identity: String,
    generated: bool,
    /// UPDATE privilege of anon / authenticated on the column.
    update_by: Vec<String>,
    /// INSERT privilege of anon / authenticated on the column.
    insert_by: Vec<String>,
}

#[derive(Debug, Clone)]
struct ForeignKey {
    name: String,
    cols: Vec<String>,
    ref_schema: String,
    ref_table: String,
    ref_cols: Vec<String>,
}

#[derive(Debug, Clone)]
struct Check {
    name: String,
    cols: Vec<String>,
    def: String,
}

#[derive(Debug, Clone)]
struct Relation {
    name: String,
    is_table: bool,
    cols: Vec<Column>,
    fks: Vec<ForeignKey>,
    /// Primary key first, then every unique constraint or full unique index (no predicate).
    uniques: Vec<Vec<String>>,
    pk: Vec<String>,
    checks: Vec<Check>,
    /// Computed relationships (functions taking this relation's row type): embeddable names.
    computed: Vec<String>,
}

impl Relation {
    fn col(&self, name: &str) -> Option<&Column> {
        self.cols.iter().find(|c| c.name == name)
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

const CATALOG_SQL: &str = r#"
select coalesce(jsonb_agg(r order by r->>'name'), '[]')::text from (
 select jsonb_build_object(
  'name', c.relname,
  'is_table', c.relkind in ('r', 'p'),
  'cols', coalesce((
    select jsonb_agg(jsonb_build_object(
      'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
      'base', case when t.typcategory = 'A' then et.typname else t.typname end,
      'array', t.typcategory = 'A', 'not_null', a.attnotnull, 'has_default', d.oid is not null,
      'identity', a.attidentity::text, 'generated', a.attgenerated <> '',
      'update_by', array(select r from unnest(array['anon', 'authenticated']) r
                         where has_column_privilege(r, c.oid, a.attnum, 'UPDATE')),
      'insert_by', array(select r from unnest(array['anon', 'authenticated']) r
                         where has_column_privilege(r, c.oid, a.attnum, 'INSERT'))) order by a.attnum)
    from pg_attribute a join pg_type t on t.oid = a.atttypid left join pg_type et on et.oid = t.typelem
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'),
  'fks', coalesce((
    select jsonb_agg(jsonb_build_object(
      'name', k.conname,
      'cols', (select jsonb_agg(a.attname order by u.o) from unnest(k.conkey) with ordinality u(n, o)
               join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n),
      'ref_schema', rn.nspname, 'ref_table', rc.relname,
      'ref_cols', (select jsonb_agg(a.attname order by u.o) from unnest(k.confkey) with ordinality u(n, o)
                   join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n)) order by k.conname)
    from pg_constraint k join pg_class rc on rc.oid = k.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
    where k.conrelid = c.oid and k.contype = 'f'), '[]'),
  'uniques', coalesce((
    select jsonb_agg((select jsonb_agg(a.attname order by u.o) from unnest(i.indkey::int2[]) with ordinality u(n, o)
                      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.n)
                     order by i.indisprimary desc, ic.relname)
    from pg_index i join pg_class ic on ic.oid = i.indexrelid
    where i.indrelid = c.oid and i.indisunique and i.indpred is null and i.indexprs is null), '[]'),
  'pk', coalesce((
    select jsonb_agg(a.attname order by u.o) from pg_index i
    cross join unnest(i.indkey::int2[]) with ordinality u(n, o)
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.n
    where i.indrelid = c.oid and i.indisprimary), '[]'),
  'checks', coalesce((
    select jsonb_agg(jsonb_build_object(
      'name', k.conname,
      'cols', (select jsonb_agg(a.attname) from unnest(k.conkey) u(n)
               join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n),
      'def', pg_get_constraintdef(k.oid)))
    from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'), '[]'),
  'computed', coalesce((
    select jsonb_agg(distinct p.proname) from pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.pronargs = 1 and p.proargtypes[0] = c.reltype
      and p.proretset), '[]')
 ) r
 from pg_class c
 where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
) s"#;

fn load_catalog() -> Vec<Relation> {
    let text: String = db().query_one(CATALOG_SQL, &[]).unwrap().get(0);
    let all: Value = serde_json::from_str(&text).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .map(|r| Relation {
            name: r["name"].as_str().unwrap().to_string(),
            is_table: r["is_table"].as_bool().unwrap(),
            cols: r["cols"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| Column {
                    name: c["name"].as_str().unwrap().to_string(),
                    type_name: c["type"].as_str().unwrap().to_string(),
                    base: c["base"].as_str().unwrap_or("").to_string(),
                    is_array: c["array"].as_bool().unwrap(),
                    not_null: c["not_null"].as_bool().unwrap(),
                    has_default: c["has_default"].as_bool().unwrap(),
                    identity: c["identity"].as_str().unwrap().to_string(),
                    generated: c["generated"].as_bool().unwrap(),
                    update_by: strings(&c["update_by"]),
                    insert_by: strings(&c["insert_by"]),
                })
                .collect(),
            fks: r["fks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| ForeignKey {
                    name: f["name"].as_str().unwrap().to_string(),
                    cols: strings(&f["cols"]),
                    ref_schema: f["ref_schema"].as_str().unwrap().to_string(),
                    ref_table: f["ref_table"].as_str().unwrap().to_string(),
                    ref_cols: strings(&f["ref_cols"]),
                })
                .collect(),
            uniques: r["uniques"]
                .as_array()
                .unwrap()
                .iter()
                .map(strings)
                .collect(),
            pk: strings(&r["pk"]),
            checks: r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| Check {
                    name: c["name"].as_str().unwrap().to_string(),
                    cols: strings(&c["cols"]),
                    def: c["def"].as_str().unwrap().to_string(),
                })
                .collect(),
            computed: strings(&r["computed"]),
        })
        .collect()
}

/// The catalog and what the sweep derives from it: who owns what.
struct Schema {
    rels: BTreeMap<String, Relation>,
    /// Tables whose primary key is a user id (a foreign key to auth.users): profiles.
    profile_tables: BTreeSet<String>,
}

impl Schema {
    fn rel(&self, name: &str) -> &Relation {
        &self.rels[name]
    }

    /// A single-column foreign key to a user: auth.users(id) or a profile table's key.
    fn is_owner_fk(&self, fk: &ForeignKey) -> bool {
        fk.cols.len() == 1
            && ((fk.ref_schema == "auth" && fk.ref_table == "users")
                || (fk.ref_schema == "public" && self.profile_tables.contains(&fk.ref_table)))
    }

    fn owner_cols(&self, rel: &Relation) -> Vec<String> {
        rel.fks
            .iter()
            .filter(|f| self.is_owner_fk(f))
            .map(|f| f.cols[0].clone())
            .collect()
    }

    /// Foreign keys to other tables of `public` (the rows a row hangs from).
    fn parent_fks<'a>(&self, rel: &'a Relation) -> Vec<&'a ForeignKey> {
        rel.fks
            .iter()
            .filter(|f| f.ref_schema == "public" && f.ref_table != rel.name && !self.is_owner_fk(f))
            .collect()
    }

    /// SQL condition "this row belongs to `uid`" over alias `t{depth}`: an owner column is the
    /// user, or a foreign key points at a row that belongs to them. None: nobody owns its rows.
    fn owned_by(&self, table: &str, uid: &str, depth: usize) -> Option<String> {
        if depth > 5 {
            return None;
        }
        let rel = self.rel(table);
        let alias = format!("t{depth}");
        let mut terms: Vec<String> = self
            .owner_cols(rel)
            .iter()
            .map(|c| format!("{alias}.{} = '{uid}'", ident(c)))
            .collect();
        for fk in self.parent_fks(rel) {
            if let Some(parent) = self.owned_by(&fk.ref_table, uid, depth + 1) {
                let inner = format!("t{}", depth + 1);
                terms.push(format!(
                    "({}) in (select {} from public.{} {inner} where {parent})",
                    list(fk.cols.iter().map(|c| format!("{alias}.{}", ident(c)))),
                    list(fk.ref_cols.iter().map(|c| format!("{inner}.{}", ident(c)))),
                    ident(&fk.ref_table),
                ));
            }
        }
        (!terms.is_empty()).then(|| format!("({})", terms.join(" or ")))
    }

    /// Tables in an order where every table comes after the tables its foreign keys point to.
    fn tables_in_fk_order(&self) -> Result<Vec<String>, String> {
        let mut done: Vec<String> = Vec::new();
        let mut left: Vec<&Relation> = self.rels.values().filter(|r| r.is_table).collect();
        while !left.is_empty() {
            let ready: Vec<String> = left
                .iter()
                .filter(|r| {
                    self.parent_fks(r)
                        .iter()
                        .all(|f| done.contains(&f.ref_table) || !self.rels[&f.ref_table].is_table)
                })
                .map(|r| r.name.clone())
                .collect();
            if ready.is_empty() {
                return Err(format!(
                    "foreign keys form a cycle among {:?}: add a recipe",
                    left.iter().map(|r| &r.name).collect::<Vec<_>>()
                ));
            }
            left.retain(|r| !ready.contains(&r.name));
            done.extend(ready);
        }
        Ok(done)
    }
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn load_schema() -> Schema {
    let rels: BTreeMap<String, Relation> = load_catalog()
        .into_iter()
        .map(|r| (r.name.clone(), r))
        .collect();
    let profile_tables = rels
        .values()
        .filter(|r| {
            r.pk.len() == 1
                && r.fks
                    .iter()
                    .any(|f| f.cols == r.pk && f.ref_schema == "auth" && f.ref_table == "users")
        })
        .map(|r| r.name.clone())
        .collect();
    Schema {
        rels,
        profile_tables,
    }
}

// ---- Generating A's rows ---------------------------------------------------------------------

/// A value for `col` that the catalog says could be valid, in order of preference: the literals
/// and numbers of its CHECK constraints, a type-generic value, and null where allowed.
fn candidates(rel: &Relation, col: &Column, marker: &str) -> Vec<Value> {
    let defs: Vec<&str> = rel
        .checks
        .iter()
        .filter(|c| c.cols.contains(&col.name))
        .map(|c| c.def.as_str())
        .collect();
    let literals: Vec<String> = defs
        .iter()
        .flat_map(|d| d.split('\'').skip(1).step_by(2).map(str::to_string))
        .filter(|l| !l.is_empty())
        .collect();
    let numbers: Vec<f64> = defs
        .iter()
        .flat_map(|d| {
            d.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|s| s.parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out: Vec<Value> = Vec::new();
    if col.is_array {
        out.push(json!([]));
    } else {
        match col.base.as_str() {
            "text" | "varchar" | "bpchar" | "citext" | "name" => {
                // an enumeration's literals first: any other text would fail its CHECK
                out.extend(literals.iter().map(|l| json!(l)));
                // the marker as it is, then in the shapes CHECKs commonly ask for
                let shapes = [
                    marker.to_string(),
                    format!("{marker}@example.test"),
                    format!("https://example.test/{marker}"),
                ];
                // the shape the column's name asks for first
                let first = if col.name.contains("email") {
                    1
                } else if col.name.contains("url") {
                    2
                } else {
                    0
                };
                out.push(json!(shapes[first]));
                out.extend((0..3).filter(|i| *i != first).map(|i| json!(shapes[i])));
            }
            "uuid" => out.push(json!(uuid::Uuid::new_v4().to_string())),
            "int2" | "int4" | "int8" => {
                out.push(json!(1));
                for n in &numbers {
                    out.push(json!(*n as i64));
                    out.push(json!(*n as i64 + 1));
                }
            }
            "numeric" | "float4" | "float8" => {
                out.push(json!(1));
                out.push(json!(0.5));
                out.extend(numbers.iter().map(|n| json!(n)));
            }
            "bool" => {
                out.push(json!(false));
                out.push(json!(true));
            }
            "json" | "jsonb" => {
                out.push(json!({ "sweep": marker }));
                out.push(json!([marker]));
            }
            "timestamptz" | "timestamp" => out.push(json!("2026-01-02T03:04:05Z")),
            "date" => out.push(json!("2026-01-02")),
            "time" | "timetz" => out.push(json!("12:00:00")),
            "interval" => out.push(json!("1 hour")),
            _ => {}
        }
    }
    if !col.not_null {
        out.push(Value::Null);
    }
    out
}

/// Optional columns are filled only where the value makes A's row recognisable (a marker text, a
/// uuid): other optional values would only meet more cross-column CHECKs.
fn carries_marker(c: &Column) -> bool {
    !c.is_array
        && matches!(
            c.base.as_str(),
            "text" | "varchar" | "bpchar" | "citext" | "json" | "jsonb" | "uuid"
        )
}

/// The database's error, with its SQLSTATE and constraint.
fn db_error(e: &postgres::Error) -> (String, Option<String>, String) {
    match e.as_db_error() {
        Some(d) => (
            d.code().code().to_string(),
            d.constraint().map(str::to_string),
            d.message().to_string(),
        ),
        None => ("?".into(), None, e.to_string()),
    }
}

/// Inserts `row` (column → JSON value) into `table` as postgres; returns the stored row.
fn insert_row(
    client: &mut postgres::Client,
    table: &str,
    row: &Map<String, Value>,
) -> Result<Value, postgres::Error> {
    let sql = if row.is_empty() {
        format!(
            "insert into public.{t} default values returning to_jsonb({t}.*)::text",
            t = ident(table)
        )
    } else {
        let cols = list(row.keys().map(|c| ident(c)));
        format!(
            "insert into public.{t} ({cols}) select {cols} from jsonb_populate_record(null::public.{t}, $1::text::jsonb) returning to_jsonb({t}.*)::text",
            t = ident(table)
        )
    };
    let params: Vec<&(dyn postgres::types::ToSql + Sync)> = Vec::new();
    let json = Value::Object(row.clone()).to_string();
    let result = if row.is_empty() {
        client.query_one(&sql, &params)
    } else {
        client.query_one(&sql, &[&json])
    };
    result.map(|r| serde_json::from_str(&r.get::<_, String>(0)).unwrap())
}

/// The sweep's run: its users, A's rows, and the failures found.
struct Sweep {
    schema: Schema,
    tag: String,
    a: String,
    /// A's row per table (made here or, e.g. profiles, by the database's own triggers).
    a_rows: BTreeMap<String, Value>,
    /// Tables nobody owns: the primary keys of the rows the sweep made there.
    made_unowned: BTreeMap<String, Vec<Value>>,
    /// Tables nobody owns where an existing row stood in for A's (a key from a short list, e.g. a
    /// plan): that row is the database's, so the clean-up leaves it alone.
    borrowed_unowned: BTreeSet<String>,
    failures: Vec<String>,
    requests: usize,
    /// Per table (in `schema.rels` order): the SQL that hashes A's rows.
    hash_sql: Vec<(String, String)>,
    hash: Vec<String>,
    /// One connection for all the checks (a new one per check costs more than the request).
    conn: postgres::Client,
    http_secs: f64,
    check_secs: f64,
}

impl Sweep {
    fn marker(&self, table: &str, col: &str) -> String {
        format!(
            "swp{}-{table}-{col}-{}",
            self.tag,
            &uuid::Uuid::new_v4().simple().to_string()[..6]
        )
    }

    /// `owner`'s row of `table` (A's, or B's for the unique-key check): an existing one (made by
    /// a trigger) or a generated one whose foreign keys point at `parents` (the owner's rows).
    fn make_row(
        &mut self,
        client: &mut postgres::Client,
        table: &str,
        owner: &str,
        parents: &BTreeMap<String, Value>,
    ) -> Result<Value, String> {
        let rel = self.schema.rel(table).clone();
        if let Some(pred) = self.schema.owned_by(table, owner, 0) {
            let q = format!(
                "select to_jsonb(t0)::text from public.{} t0 where {pred} limit 1",
                ident(table)
            );
            if let Some(r) = client.query_opt(&q, &[]).unwrap() {
                let row: Value = serde_json::from_str(&r.get::<_, String>(0)).unwrap();
                self.enrich(client, &rel, &row);
                return Ok(row);
            }
        }
        // Fixed values: owner columns are the owner, foreign keys point at the owner's parent rows.
        let mut fixed: Map<String, Value> = Map::new();
        for fk in &rel.fks {
            if self.schema.is_owner_fk(fk) {
                fixed.insert(fk.cols[0].clone(), json!(owner));
            } else if fk.ref_schema == "public" && fk.ref_table != table {
                let parent = parents.get(&fk.ref_table).ok_or_else(|| {
                    format!(
                        "no row of the owner in {} (its foreign key {})",
                        fk.ref_table, fk.name
                    )
                })?;
                for (c, rc) in fk.cols.iter().zip(&fk.ref_cols) {
                    fixed.insert(c.clone(), parent[rc].clone());
                }
            }
        }
        // Generated values: every other column without a default, tried in candidate order.
        let generated: Vec<&Column> = rel
            .cols
            .iter()
            .filter(|c| {
                !fixed.contains_key(&c.name)
                    && !c.generated
                    && c.identity.is_empty()
                    && (!c.has_default || recipe(table, &c.name).is_some())
                    && (c.not_null || carries_marker(c))
                    && !rel
                        .fks
                        .iter()
                        .any(|f| f.ref_table == table && f.cols.contains(&c.name))
            })
            .collect();
        let mut choice: HashMap<String, usize> = HashMap::new();
        let mut unique_taken = 0;
        let mut last_error = String::new();
        for _attempt in 0..60 {
            let mut row = fixed.clone();
            for c in &generated {
                let value = match recipe(table, &c.name) {
                    Some(v) => v,
                    None => {
                        let cands = candidates(&rel, c, &self.marker(table, &c.name));
                        if cands.is_empty() {
                            if c.not_null {
                                return Err(format!(
                                    "no value for the NOT NULL column {} of type {}: add a recipe for it in sweep_isolation.rs",
                                    c.name, c.type_name
                                ));
                            }
                            continue;
                        }
                        let i = *choice.get(&c.name).unwrap_or(&0);
                        cands[i.min(cands.len() - 1)].clone()
                    }
                };
                if !value.is_null() {
                    row.insert(c.name.clone(), value);
                }
            }
            // session_files.storage_path names the uploader's folder of the row's session
            // ('<uploader>/<session>/<file name>', issue 21): the generated value becomes the file name
            if let (Some(Value::String(u)), Some(Value::String(s)), Some(Value::String(p))) = (
                row.get("uploader_profile_id").cloned(),
                row.get("session_id").cloned(),
                row.get("storage_path").cloned(),
            ) {
                row.insert("storage_path".into(), json!(format!("{u}/{s}/{p}")));
            }
            match insert_row(client, table, &row) {
                Ok(stored) => return Ok(stored),
                Err(e) => {
                    let (code, constraint, message) = db_error(&e);
                    last_error = format!("{code} {message}");
                    // a unique value taken: the next attempt draws new markers and uuids; in a
                    // table nobody owns whose keys come from a short list (plans), any
                    // existing row will do as the row the others must not touch
                    if code == "23505" {
                        unique_taken += 1;
                        if unique_taken >= 5 && self.schema.owned_by(table, owner, 0).is_none() {
                            let q = format!(
                                "select to_jsonb(t0)::text from public.{} t0 limit 1",
                                ident(table)
                            );
                            if let Some(r) = client.query_opt(&q, &[]).unwrap() {
                                self.borrowed_unowned.insert(table.to_string());
                                return Ok(serde_json::from_str(&r.get::<_, String>(0)).unwrap());
                            }
                        }
                        continue;
                    }
                    // a CHECK constraint: the next candidate for one of its columns
                    let check_cols: Vec<String> = rel
                        .checks
                        .iter()
                        .find(|c| Some(&c.name) == constraint.as_ref())
                        .map(|c| c.cols.clone())
                        .unwrap_or_default();
                    let advanced = (code == "23514" || code == "23502")
                        && generated
                            .iter()
                            .filter(|c| check_cols.contains(&c.name) || code == "23502")
                            .any(|c| {
                                let n = candidates(&rel, c, "m").len();
                                let i = choice.entry(c.name.clone()).or_insert(0);
                                if *i + 1 < n {
                                    *i += 1;
                                    true
                                } else {
                                    false
                                }
                            });
                    // nullable foreign keys may be what the CHECK is about (one parent of two)
                    let nulled = !advanced
                        && code == "23514"
                        && check_cols.iter().any(|c| {
                            let nullable = rel.col(c).map(|c| !c.not_null).unwrap_or(false);
                            nullable && fixed.remove(c).is_some()
                        });
                    if !advanced && !nulled {
                        break;
                    }
                }
            }
        }
        Err(format!(
            "no generated row is accepted ({last_error}): add a recipe for it in sweep_isolation.rs"
        ))
    }

    /// A row the database made for A (a trigger's): give its empty optional columns values too,
    /// one by one (a refused value is simply left out), so that more of it is recognisable.
    fn enrich(&self, client: &mut postgres::Client, rel: &Relation, row: &Value) {
        if rel.pk.is_empty() {
            return;
        }
        let key = list(rel.pk.iter().map(|c| {
            format!(
                "{} = ({}::jsonb ->> '{}')::{}",
                ident(c),
                lit(&row.to_string()),
                c,
                rel.col(c).unwrap().type_name
            )
        }));
        for c in rel.cols.iter().filter(|c| {
            !c.not_null
                && !c.generated
                && c.identity.is_empty()
                && row[&c.name].is_null()
                && !rel.fks.iter().any(|f| f.cols.contains(&c.name))
        }) {
            if let Some(v) = candidates(rel, c, &self.marker(&rel.name, &c.name)).first() {
                let sql = format!(
                    "update public.{t} set {c} = (jsonb_populate_record(null::public.{t}, {v})).{c} where {key}",
                    t = ident(&rel.name),
                    c = ident(&c.name),
                    v = lit(&json!({ c.name.clone(): v }).to_string()) + "::jsonb",
                );
                let _ = client.batch_execute(&sql);
            }
        }
    }

    /// Hashes of A's rows per table (for tables nobody owns: their row count and the rows the sweep
    /// made), read as postgres.
    fn build_hash_sql(&mut self) {
        let mut parts = Vec::new();
        for rel in self.schema.rels.values().filter(|r| r.is_table) {
            let t = ident(&rel.name);
            let agg = "md5(coalesce(string_agg(x, '|' order by x), ''))";
            let part = match self.schema.owned_by(&rel.name, &self.a, 0) {
                Some(pred) => format!(
                    "(select {agg} from (select to_jsonb(t0)::text x from public.{t} t0 where {pred}) s)"
                ),
                None => {
                    let made = self.made_unowned.get(&rel.name).cloned().unwrap_or_default();
                    let filter = if made.is_empty() || rel.pk.is_empty() {
                        "true".to_string()
                    } else {
                        format!(
                            "to_jsonb(t0) @> any (array[{}]::jsonb[])",
                            list(made.iter().map(|k| lit(&k.to_string())))
                        )
                    };
                    format!(
                        "((select count(*) from public.{t})::text || ':' || (select {agg} from (select to_jsonb(t0)::text x from public.{t} t0 where {filter}) s))"
                    )
                }
            };
            parts.push((rel.name.clone(), part));
        }
        self.hash_sql = parts;
    }

    /// The hashes of all tables, or (cheaper, after a write to one table) of `only` that table,
    /// the others as last read.
    fn read_hash(&mut self, only: Option<&str>) -> Vec<String> {
        let t = Instant::now();
        let wanted: Vec<&(String, String)> = self
            .hash_sql
            .iter()
            .filter(|(table, _)| only.is_none_or(|o| o == table))
            .collect();
        let sql = format!(
            "select array[{}]::text[]",
            list(wanted.iter().map(|(_, s)| s.clone()))
        );
        let fresh: Vec<String> = self.conn.query_one(&sql, &[]).unwrap().get(0);
        let hash = match only {
            None => fresh,
            Some(o) => self
                .hash_sql
                .iter()
                .zip(&self.hash)
                .map(|((table, _), old)| {
                    if table == o {
                        fresh[0].clone()
                    } else {
                        old.clone()
                    }
                })
                .collect(),
        };
        self.check_secs += t.elapsed().as_secs_f64();
        hash
    }

    /// After a request that may write: A's rows must be as they were.
    /// Returns the tables whose rows of A changed since the last check, and records a failure
    /// (`what → status body: problems`) when a change or `returned` rows say a write went through.
    fn check_unchanged(
        &mut self,
        what: &str,
        status: u16,
        body: &str,
        returned: bool,
        only: Option<&str>,
    ) -> Vec<String> {
        let only = only.filter(|t| self.hash_sql.iter().any(|(n, _)| n == t));
        let now = self.read_hash(only);
        let tables: Vec<String> = self
            .schema
            .rels
            .values()
            .filter(|r| r.is_table)
            .map(|r| r.name.clone())
            .zip(now.iter().zip(&self.hash))
            .filter(|(_, (a, b))| a != b)
            .map(|(n, _)| n)
            .collect();
        self.hash = now;
        let mut problems = Vec::new();
        if returned && tables.is_empty() {
            problems.push("ALLOWED (rows returned; the server kept its values)".to_string());
        } else if returned {
            problems.push("WROTE (rows returned)".to_string());
        }
        if !tables.is_empty() {
            problems.push(format!("CHANGED A's rows in {tables:?}"));
        }
        if !problems.is_empty() {
            self.failures.push(format!(
                "{what} → {status} {}: {}",
                short(body),
                problems.join(", ")
            ));
        }
        tables
    }
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(300).collect();
    s.replace('\n', " ")
}

// ---- Who tries, and what they must not see ---------------------------------------------------

struct Actor {
    label: &'static str,
    who: As,
    id: Option<String>,
    role: &'static str,
    /// Values of A's rows this actor must never receive (uuids and the sweep's markers).
    forbidden: Vec<String>,
    /// Relations whose rows of A this actor may legitimately read.
    may_read: Vec<&'static str>,
}

/// `needle` in `hay` as a whole value: not the start of a longer marker (`swp…-a` in `swp…-agent…`).
fn contains_token(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        !hay[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// uuids and texts carrying the sweep's tag, anywhere inside a JSON value.
fn telling_values(v: &Value, tag: &str, out: &mut HashSet<String>) {
    match v {
        Value::String(s)
            if s.contains(tag) || (s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()) =>
        {
            out.insert(s.to_lowercase());
        }
        Value::Array(a) => a.iter().for_each(|x| telling_values(x, tag, out)),
        Value::Object(o) => o.values().for_each(|x| telling_values(x, tag, out)),
        _ => {}
    }
}

impl Sweep {
    /// A's values `actor` must not see: those of A's rows in relations the actor may not read,
    /// minus anything in the actor's own rows or in rows of A it may read.
    fn forbidden_for(&self, actor_id: Option<&str>, may_read: &[&str]) -> Vec<String> {
        let mut client = db();
        let mut bad = HashSet::new();
        let mut fine = HashSet::new();
        for rel in self.schema.rels.values().filter(|r| r.is_table) {
            let t = ident(&rel.name);
            let rows: Vec<(String, bool)> = match self.schema.owned_by(&rel.name, &self.a, 0) {
                Some(pred) => {
                    let mine = actor_id
                        .and_then(|id| self.schema.owned_by(&rel.name, id, 0))
                        .unwrap_or_else(|| "false".into());
                    client
                        .query(
                            &format!("select to_jsonb(t0)::text, coalesce({mine}, false) from public.{t} t0 where {pred}"),
                            &[],
                        )
                        .unwrap()
                        .iter()
                        .map(|r| (r.get(0), r.get(1)))
                        .collect()
                }
                None => self
                    .a_rows
                    .get(&rel.name)
                    .map(|r| vec![(r.to_string(), false)])
                    .unwrap_or_default(),
            };
            for (text, mine) in rows {
                let v: Value = serde_json::from_str(&text).unwrap();
                let target = if mine || may_read.contains(&rel.name.as_str()) {
                    &mut fine
                } else {
                    &mut bad
                };
                telling_values(&v, &self.tag, target);
            }
            if let Some(id) = actor_id {
                if let Some(own) = self.schema.owned_by(&rel.name, id, 0) {
                    for r in client
                        .query(
                            &format!("select to_jsonb(t0)::text from public.{t} t0 where {own}"),
                            &[],
                        )
                        .unwrap()
                    {
                        let v: Value = serde_json::from_str(&r.get::<_, String>(0)).unwrap();
                        telling_values(&v, &self.tag, &mut fine);
                    }
                }
            }
        }
        if let Some(id) = actor_id {
            fine.insert(id.to_string());
        }
        let mut out: Vec<String> = bad.difference(&fine).cloned().collect();
        out.sort();
        out
    }
}

// ---- The requests ------------------------------------------------------------------------------

impl Sweep {
    /// Sends one request; checks it is not a 5xx, a hang or an answer carrying A's values (those
    /// the request itself did not contain). Returns the answer when there is one.
    fn send(
        &mut self,
        actor: &Actor,
        method: &str,
        path: &str,
        body: Option<&Value>,
        prefer: Option<&str>,
    ) -> Option<RawResp> {
        self.requests += 1;
        let what = format!(
            "{} {method} {path}{}",
            actor.label,
            body.map(|b| format!(" {}", short(&b.to_string())))
                .unwrap_or_default()
        );
        let headers: Vec<(&str, &str)> = prefer.map(|p| vec![("Prefer", p)]).unwrap_or_default();
        let t = Instant::now();
        let result = try_api(method, path, &actor.who, body, &headers);
        self.http_secs += t.elapsed().as_secs_f64();
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                self.failures.push(format!("{what} → no answer: {e}"));
                return None;
            }
        };
        if std::env::var_os("SWEEP_VERBOSE").is_some() {
            println!("{what} → {} {}", r.status, short(&r.text));
        }
        if r.status >= 500 {
            self.failures
                .push(format!("{what} → {} {}", r.status, short(&r.text)));
        }
        let request_text =
            format!("{path} {}", body.map(|b| b.to_string()).unwrap_or_default()).to_lowercase();
        let answer = r.text.to_lowercase();
        let leaked: Vec<&String> = actor
            .forbidden
            .iter()
            .filter(|m| contains_token(&answer, m) && !contains_token(&request_text, m))
            .collect();
        if !leaked.is_empty() {
            self.failures.push(format!(
                "{what} → {} LEAKS {} of A's values, e.g. {:?}: {}",
                r.status,
                leaked.len(),
                &leaked[..leaked.len().min(3)],
                short(&r.text)
            ));
        }
        Some(r)
    }

    /// A read that names one of A's rows (key or owner column): nothing may come back.
    fn read_none(&mut self, actor: &Actor, path: &str) {
        let Some(r) = self.send(actor, "GET", path, None, Some("count=exact")) else {
            return;
        };
        if r.status < 300 {
            let rows = r.body.as_array().map(|a| a.len()).unwrap_or(1);
            let total = r
                .headers
                .iter()
                .find(|(k, _)| k == "content-range")
                .and_then(|(_, v)| v.rsplit('/').next().map(str::to_string))
                .unwrap_or_default();
            if rows != 0 || !(total == "0" || total == "*" || total.is_empty()) {
                self.failures.push(format!(
                    "{} GET {path} → {} (content-range total {total}): SEES A's rows: {}",
                    actor.label,
                    r.status,
                    short(&r.text)
                ));
            }
        }
    }

    /// A write aimed at A's rows: no row may come back changed, and A's rows stay the same.
    fn write(
        &mut self,
        actor: &Actor,
        method: &str,
        path: &str,
        body: Option<&Value>,
        prefer: &str,
    ) -> bool {
        let r = self.send(actor, method, path, body, Some(prefer));
        let (status, text) = r
            .as_ref()
            .map(|r| (r.status, r.text.clone()))
            .unwrap_or((0, String::new()));
        let returned = r
            .as_ref()
            .map(|r| r.status < 300 && r.body.as_array().map(|a| !a.is_empty()).unwrap_or(false))
            .unwrap_or(false);
        let what = format!(
            "{} {method} {path} {}",
            actor.label,
            body.map(|b| short(&b.to_string())).unwrap_or_default()
        );
        // the written table at once; side effects elsewhere at the end of the table's turn
        let table = path
            .trim_start_matches('/')
            .split('?')
            .next()
            .unwrap_or("")
            .to_string();
        !self
            .check_unchanged(&what, status, &text, returned, Some(&table))
            .is_empty()
            || returned
    }

    /// The filters naming A's row of `rel`: (query string, names A's row alone).
    fn filters(&self, rel: &Relation, row: &Value) -> Vec<(String, bool)> {
        let eq = |cols: &[String]| -> Option<String> {
            let parts: Option<Vec<String>> = cols
                .iter()
                .map(|c| match &row[c] {
                    Value::Null => None,
                    Value::String(s) => Some(format!("{c}=eq.{}", url_encode(s))),
                    v => Some(format!("{c}=eq.{}", url_encode(&v.to_string()))),
                })
                .collect();
            parts.map(|p| p.join("&"))
        };
        let mut out: Vec<(String, bool)> = Vec::new();
        let mut push = |q: Option<String>, strict: bool| {
            if let Some(q) = q {
                if !out.iter().any(|(x, _)| *x == q) {
                    out.push((q, strict));
                }
            }
        };
        if rel.is_table {
            for u in &rel.uniques {
                push(eq(u), true);
            }
            for c in self.schema.owner_cols(rel) {
                if row[&c] == json!(self.a) {
                    push(eq(&[c]), true);
                }
            }
            for fk in &rel.fks {
                push(eq(&fk.cols), false);
            }
        } else {
            for c in rel.cols.iter().filter(|c| c.base == "uuid") {
                push(Some(format!("{}=eq.{}", c.name, self.a)), true);
            }
        }
        out
    }

    /// Embeds of `rel`: each foreign key out of it and into it, and its computed relationships.
    fn embeds(&self, rel: &Relation) -> Vec<String> {
        let mut out: Vec<String> = rel
            .fks
            .iter()
            .filter(|f| f.ref_schema == "public")
            .map(|f| format!("{}!{}(*)", f.ref_table, f.name))
            .collect();
        for other in self.schema.rels.values() {
            for f in other
                .fks
                .iter()
                .filter(|f| f.ref_schema == "public" && f.ref_table == rel.name)
            {
                out.push(format!("{}!{}(*)", other.name, f.name));
            }
        }
        out.extend(rel.computed.iter().map(|c| format!("{c}(*)")));
        out
    }

    fn attack_reads(&mut self, actor: &Actor, rel: &Relation, row: &Value) {
        let may_read = actor.may_read.contains(&rel.name.as_str());
        let t = &rel.name;
        self.send(actor, "GET", &format!("/{t}?select=*"), None, None);
        let filters = self.filters(rel, row);
        for (q, strict) in &filters {
            if *strict && !may_read {
                self.read_none(actor, &format!("/{t}?select=*&{q}"));
            } else {
                self.send(actor, "GET", &format!("/{t}?select=*&{q}"), None, None);
            }
        }
        let first_strict = filters.iter().find(|(_, s)| *s).map(|(q, _)| q.clone());
        for e in self.embeds(rel) {
            self.send(actor, "GET", &format!("/{t}?select=*,{e}"), None, None);
            if let Some(q) = &first_strict {
                self.send(actor, "GET", &format!("/{t}?select=*,{e}&{q}"), None, None);
            }
        }
    }

    /// A value for `col` other than the current one (an owner column becomes the actor).
    fn tampered(
        &self,
        rel: &Relation,
        col: &Column,
        current: &Value,
        actor: &Actor,
    ) -> Option<Value> {
        self.tampered_values(rel, col, current, actor)
            .into_iter()
            .next()
    }

    /// Up to three values for `col` other than the current one (each literal of an enumeration,
    /// e.g. every other invitation_status); an owner column becomes the actor.
    fn tampered_values(
        &self,
        rel: &Relation,
        col: &Column,
        current: &Value,
        actor: &Actor,
    ) -> Vec<Value> {
        if self.schema.owner_cols(rel).contains(&col.name) {
            return vec![json!(actor
                .id
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))];
        }
        let mut out: Vec<Value> = Vec::new();
        for v in candidates(rel, col, &format!("swp{}-tampered", self.tag)) {
            if v != *current && !v.is_null() && !out.contains(&v) && out.len() < 3 {
                out.push(v);
            }
        }
        if out.is_empty() && !col.not_null && !current.is_null() {
            out.push(Value::Null);
        }
        out
    }

    /// An actor's own rows among A's data (a declined invitee's participant row): the actor may
    /// not change them either (declining is final until the host invites again).
    fn attack_own_rows_in_a_data(&mut self, actor: &Actor) {
        let Some(id) = actor.id.clone() else { return };
        let rels: Vec<Relation> = self
            .schema
            .rels
            .values()
            .filter(|r| r.is_table && !r.pk.is_empty())
            .cloned()
            .collect();
        for rel in rels {
            let (Some(of_a), Some(own)) = (
                self.schema.owned_by(&rel.name, &self.a, 0),
                self.schema.owned_by(&rel.name, &id, 0),
            ) else {
                continue;
            };
            let rows: Vec<Value> = self
                .conn
                .query(
                    &format!(
                        "select to_jsonb(t0)::text from public.{} t0 where {of_a} and {own}",
                        ident(&rel.name)
                    ),
                    &[],
                )
                .unwrap()
                .iter()
                .map(|r| serde_json::from_str(&r.get::<_, String>(0)).unwrap())
                .collect();
            for row in rows {
                let key = rel
                    .pk
                    .iter()
                    .map(|c| {
                        format!(
                            "{c}=eq.{}",
                            url_encode(
                                row[c]
                                    .as_str()
                                    .map(str::to_string)
                                    .unwrap_or_else(|| row[c].to_string())
                                    .as_str()
                            )
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("&");
                for c in rel
                    .cols
                    .iter()
                    .filter(|c| c.update_by.iter().any(|r| r == actor.role))
                {
                    for v in self.tampered_values(&rel, c, &row[&c.name], actor) {
                        let went_through = self.write(
                            actor,
                            "PATCH",
                            &format!("/{}?{key}", rel.name),
                            Some(&json!({ c.name.clone(): v })),
                            "return=representation",
                        );
                        if went_through {
                            // put the row back, so that what follows still tests the declined state
                            self.restore_row(&rel, &row);
                        }
                    }
                }
            }
        }
    }

    /// Writes `row` (a snapshot) back over the row with its primary key, as postgres.
    fn restore_row(&mut self, rel: &Relation, row: &Value) {
        let t = ident(&rel.name);
        let snap = format!("{}::jsonb", lit(&row.to_string()));
        let cols = list(
            rel.cols
                .iter()
                .filter(|c| !c.generated && c.identity != "a")
                .map(|c| ident(&c.name)),
        );
        let key = list(rel.pk.iter().map(|c| ident(c)));
        let sql = format!(
            "update public.{t} set ({cols}) = (select {cols} from jsonb_populate_record(null::public.{t}, {snap})) \
             where ({key}) = (select {key} from jsonb_populate_record(null::public.{t}, {snap}))"
        );
        self.conn.batch_execute(&sql).expect("restore a row");
        self.hash = self.read_hash(None);
    }

    /// `row` as a new row to insert as `role`: fresh values for its unique columns (but foreign
    /// keys), only the columns `role` may insert (all of them if it may insert none).
    fn fresh_copy(&self, rel: &Relation, row: &Value, role: &str) -> Value {
        let insertable = rel
            .cols
            .iter()
            .any(|c| c.insert_by.iter().any(|r| r == role));
        let mut copy = Map::new();
        for c in rel.cols.iter().filter(|c| {
            !c.generated
                && c.identity.is_empty()
                && (!insertable || c.insert_by.iter().any(|r| r == role))
        }) {
            let mut v = row[&c.name].clone();
            let in_unique = rel.uniques.iter().any(|u| u.contains(&c.name));
            let is_fk = rel.fks.iter().any(|f| f.cols.contains(&c.name));
            if in_unique && !is_fk {
                if let Some(fresh) = candidates(rel, c, &self.marker(&rel.name, &c.name))
                    .into_iter()
                    .next()
                {
                    v = fresh;
                }
            }
            copy.insert(c.name.clone(), v);
        }
        Value::Object(copy)
    }

    /// For a caller with rows of its own (B): inserting its own row with the values of A's row in
    /// one unique key must not answer differently (409 "already exists") from inserting it with
    /// fresh values, or the answer tells that A's value exists (e.g. a file's storage_path).
    fn attack_unique_keys(&mut self, actor: &Actor, own_rows: &BTreeMap<String, Value>) {
        let rels: Vec<Relation> = self
            .schema
            .rels
            .values()
            .filter(|r| r.is_table)
            .cloned()
            .collect();
        for rel in rels {
            let (Some(mine), Some(theirs)) =
                (own_rows.get(&rel.name), self.a_rows.get(&rel.name).cloned())
            else {
                continue;
            };
            let owner_cols = self.schema.owner_cols(&rel);
            for key in &rel.uniques {
                // keys a caller picks (not ids the server draws, e.g. a uuid primary key with
                // gen_random_uuid(): knowing such an id means having been shown it already)
                let claimable = key.iter().all(|c| {
                    !owner_cols.contains(c)
                        && !theirs[c].is_null()
                        && rel.col(c).is_some_and(|c| {
                            !c.generated
                                && c.identity.is_empty()
                                && !(c.has_default && c.base == "uuid")
                        })
                });
                if !claimable {
                    continue;
                }
                let path = format!("/{}", rel.name);
                let fresh = self.fresh_copy(&rel, mine, actor.role);
                let mut probe = self.fresh_copy(&rel, mine, actor.role);
                for c in key {
                    probe[c] = theirs[c].clone();
                }
                let mut answers = Vec::new();
                for body in [&fresh, &probe] {
                    let r = self.send(actor, "POST", &path, Some(body), Some("return=minimal"));
                    let (status, code, text) = r
                        .map(|r| {
                            (
                                r.status,
                                r.body["code"].as_str().unwrap_or("").to_string(),
                                r.text,
                            )
                        })
                        .unwrap_or_default();
                    self.check_unchanged(
                        &format!("{} POST {path} {}", actor.label, short(&body.to_string())),
                        status,
                        &text,
                        false,
                        Some(&rel.name),
                    );
                    answers.push((status, code, short(&text)));
                }
                if answers[1].1 == "23505" && answers[0].1 != "23505" {
                    self.failures.push(format!(
                        "{} POST {path}: EXISTENCE ORACLE on unique key ({}): its own row with A's values {:?} → {} {}; with fresh values → {} {}",
                        actor.label,
                        key.join(", "),
                        key.iter().map(|c| theirs[c].clone()).collect::<Vec<_>>(),
                        answers[1].0,
                        answers[1].2,
                        answers[0].0,
                        answers[0].2
                    ));
                }
            }
        }
    }

    fn attack_writes(&mut self, actor: &Actor, rel: &Relation, row: &Value) {
        let t = rel.name.clone();
        let rep = "return=representation";
        let writable: Vec<&Column> = rel
            .cols
            .iter()
            .filter(|c| !c.generated && c.identity != "a")
            .collect();
        // insert claiming A: A's row with fresh keys and markers
        let claim = self.fresh_copy(rel, row, actor.role);
        self.write(
            actor,
            "POST",
            &format!("/{t}"),
            Some(&claim),
            // minimal, as supabase-js' plain insert(): with representation, RETURNING would
            // also need the SELECT policy and so hide a permissive INSERT policy
            "return=minimal",
        );
        // upserts on every unique key, with A's key values: as A's row, then moved to the actor
        for key in rel.uniques.clone() {
            let mut body = Map::new();
            for c in &writable {
                let v = row[&c.name].clone();
                let keep =
                    key.contains(&c.name) || rel.fks.iter().any(|f| f.cols.contains(&c.name));
                let v = if keep {
                    v
                } else {
                    self.tampered(rel, c, &v, actor).unwrap_or(v)
                };
                body.insert(c.name.clone(), v);
            }
            let path = format!("/{t}?on_conflict={}", key.join(","));
            let prefer = "resolution=merge-duplicates,return=minimal";
            self.write(
                actor,
                "POST",
                &path,
                Some(&Value::Object(body.clone())),
                prefer,
            );
            let mut moved = body;
            for o in self.schema.owner_cols(rel) {
                if !key.contains(&o) {
                    moved.insert(
                        o,
                        json!(actor
                            .id
                            .clone()
                            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())),
                    );
                }
            }
            self.write(actor, "POST", &path, Some(&Value::Object(moved)), prefer);
        }
        // updates and deletes of A's row, named by each of its keys and owner columns
        let filters: Vec<String> = self
            .filters(rel, row)
            .into_iter()
            .filter(|(_, strict)| *strict)
            .map(|(q, _)| q)
            .collect();
        let Some(by_key) = filters.first().cloned() else {
            self.failures.push(format!(
                "{t}: no filter names A's row, so no update or delete was tried"
            ));
            return;
        };
        let mut all = Map::new();
        for c in &writable {
            let values = self.tampered_values(rel, c, &row[&c.name], actor);
            let Some(v) = values.first().cloned() else {
                continue;
            };
            all.insert(c.name.clone(), v);
            for v in values
                .into_iter()
                .filter(|_| c.update_by.iter().any(|r| r == actor.role))
            {
                self.write(
                    actor,
                    "PATCH",
                    &format!("/{t}?{by_key}"),
                    Some(&json!({ c.name.clone(): v })),
                    rep,
                );
            }
        }
        for q in &filters {
            self.write(
                actor,
                "PATCH",
                &format!("/{t}?{q}"),
                Some(&Value::Object(all.clone())),
                rep,
            );
            self.write(actor, "DELETE", &format!("/{t}?{q}"), None, rep);
        }
    }

    /// Views PostgREST can write through (simple views, into their base table): an insert of A's
    /// row, and an update of every column and a delete, named by A's id.
    fn attack_view_writes(&mut self, actor: &Actor, rel: &Relation, row: &Value) {
        let t = &rel.name;
        self.write(actor, "POST", &format!("/{t}"), Some(row), "return=minimal");
        let mut body = Map::new();
        for c in rel.cols.iter().filter(|c| c.base != "uuid") {
            if let Some(v) = self.tampered(rel, c, &row[&c.name], actor) {
                body.insert(c.name.clone(), v);
            }
        }
        let body = Value::Object(body);
        for (q, _) in self.filters(rel, row) {
            let rep = "return=representation";
            self.write(actor, "PATCH", &format!("/{t}?{q}"), Some(&body), rep);
            self.write(actor, "DELETE", &format!("/{t}?{q}"), None, rep);
        }
    }

    /// A's row as a view shows it (through the base tables' rows), or an empty object.
    fn view_row(&self, rel: &Relation) -> Value {
        let uuid_cols: Vec<String> = rel
            .cols
            .iter()
            .filter(|c| c.base == "uuid")
            .map(|c| format!("{} = '{}'", ident(&c.name), self.a))
            .collect();
        if uuid_cols.is_empty() {
            return json!({});
        }
        db().query_opt(
            &format!(
                "select to_jsonb(v)::text from public.{} v where {} limit 1",
                ident(&rel.name),
                uuid_cols.join(" or ")
            ),
            &[],
        )
        .unwrap()
        .map(|r| serde_json::from_str(&r.get::<_, String>(0)).unwrap())
        .unwrap_or_else(|| json!({}))
    }

    /// Every RPC the actor may call, with A's ids wherever an argument's name says it is an id.
    fn attack_rpcs(&mut self, actor: &Actor, functions: &[RpcFunction]) {
        // A's values per column name, and per table the ids of its rows
        let mut by_col: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (table, row) in &self.a_rows {
            if let Value::Object(o) = row {
                for (k, v) in o {
                    if let Some(s) = v
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| v.as_i64().map(|n| n.to_string()))
                    {
                        by_col.entry(k.clone()).or_default().insert(s.clone());
                        if k == "id" {
                            by_col.entry(format!("{table}.id")).or_default().insert(s);
                        }
                    }
                }
            }
        }
        for f in functions
            .iter()
            .filter(|f| f.roles.iter().any(|r| r == actor.role))
        {
            // arguments whose name says they name something of A's: …id, …email
            let ids_for = |arg: &RpcArg| -> Vec<String> {
                let name = arg.name.strip_prefix("p_").unwrap_or(&arg.name);
                if !(name.ends_with("id") || name.contains("email")) {
                    return Vec::new();
                }
                let mut vals: BTreeSet<String> = by_col.get(name).cloned().unwrap_or_default();
                if let Some(stem) = name.strip_suffix("_id") {
                    for (k, v) in &by_col {
                        if k.ends_with(&format!("{stem}s.id")) {
                            vals.extend(v.iter().cloned());
                        }
                    }
                }
                vals.into_iter().collect()
            };
            let base: Map<String, Value> = f
                .args
                .iter()
                .filter(|a| !a.has_default || !ids_for(a).is_empty())
                .map(|a| {
                    let v = ids_for(a)
                        .first()
                        .map(|s| json!(s))
                        .unwrap_or_else(|| plain_value(&a.type_name));
                    (a.name.clone(), v)
                })
                .collect();
            // all of A's ids at once, then each id alone (optional arguments left out), so that
            // one argument's refusal does not hide what another one reveals
            let required: Map<String, Value> = base
                .iter()
                .filter(|(k, _)| f.args.iter().any(|a| &a.name == *k && !a.has_default))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut calls = vec![base.clone()];
            for a in &f.args {
                for v in ids_for(a) {
                    let mut c = required.clone();
                    c.insert(a.name.clone(), json!(v));
                    if !calls.contains(&c) {
                        calls.push(c);
                    }
                }
            }
            for args in calls {
                let body = Value::Object(args.clone());
                let path = format!("/rpc/{}", f.name);
                let r = self.send(actor, "POST", &path, Some(&body), None);
                let answer = r.as_ref().map(|r| (r.status, r.body.clone()));
                let (status, text) = r.map(|r| (r.status, r.text)).unwrap_or((0, String::new()));
                self.check_unchanged(
                    &format!("{} POST {path} {body}", actor.label),
                    status,
                    &text,
                    false,
                    None,
                );
                // "not yours" and "does not exist" must be the same answer: the same call with
                // unknown ids in place of A's
                let mut twin = args.clone();
                let mut swapped: Vec<(String, String)> = Vec::new();
                for (k, v) in args.iter() {
                    let Some(s) = v.as_str() else { continue };
                    let is_id_arg = f
                        .args
                        .iter()
                        .any(|a| &a.name == k && !ids_for(a).is_empty());
                    if !is_id_arg
                        || !by_col.values().any(|set| set.contains(s))
                        || Some(s) == actor.id.as_deref()
                    {
                        continue;
                    }
                    let unknown = if uuid::Uuid::parse_str(s).is_ok() {
                        uuid::Uuid::new_v4().to_string()
                    } else if s.contains('@') {
                        format!(
                            "swp{}-unknown-{}@example.test",
                            self.tag,
                            &uuid::Uuid::new_v4().simple().to_string()[..6]
                        )
                    } else {
                        format!(
                            "swp{}-unknown-{}",
                            self.tag,
                            &uuid::Uuid::new_v4().simple().to_string()[..6]
                        )
                    };
                    twin.insert(k.clone(), json!(unknown));
                    swapped.push((s.to_string(), unknown));
                }
                if swapped.is_empty() {
                    continue;
                }
                let twin_body = Value::Object(twin);
                let unknown_answer = self
                    .send(actor, "POST", &path, Some(&twin_body), None)
                    .map(|r| (r.status, r.body.clone()));
                let normalise =
                    |a: &Option<(u16, Value)>, ids: &[String]| -> (u16, String, String) {
                        let Some((status, body)) = a else {
                            return (0, String::new(), String::new());
                        };
                        let mut message = body["message"].as_str().unwrap_or("").to_string();
                        for id in ids {
                            message = message.replace(id.as_str(), "<id>");
                        }
                        (
                            *status,
                            body["code"].as_str().unwrap_or("").to_string(),
                            message,
                        )
                    };
                let theirs = normalise(
                    &answer,
                    &swapped.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>(),
                );
                let unknown = normalise(
                    &unknown_answer,
                    &swapped.iter().map(|(_, u)| u.clone()).collect::<Vec<_>>(),
                );
                if theirs.0 < 300 && unknown.0 < 300 {
                    continue; // both answered: what they returned is checked for A's values above
                }
                if theirs != unknown {
                    self.failures.push(format!(
                        "{} POST {path}: EXISTENCE ORACLE: with A's ids {body} → {} {} {:?}; with unknown ids → {} {} {:?}",
                        actor.label, theirs.0, theirs.1, theirs.2, unknown.0, unknown.1, unknown.2
                    ));
                }
            }
        }
    }
}

/// An ordinary value of an argument type (for the arguments that are not ids).
fn plain_value(type_name: &str) -> Value {
    match type_name {
        "integer" | "smallint" | "bigint" => json!(10),
        "numeric" | "real" | "double precision" => json!(0.5),
        "boolean" => json!(true),
        "jsonb" | "json" => json!({}),
        "interval" => json!("1 hour"),
        "timestamp with time zone" | "timestamp without time zone" => json!("2026-01-02T03:04:05Z"),
        "date" => json!("2026-01-02"),
        "uuid" => json!(uuid::Uuid::new_v4().to_string()),
        _ => json!("sweep"),
    }
}

#[test]
fn no_user_reads_or_changes_another_users_rows() {
    let started = Instant::now();
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let schema = load_schema();
    let functions = rpc_functions();
    let a = create_user(&format!("swp{tag}-A"));
    let mut sweep = Sweep {
        schema,
        tag: tag.clone(),
        a: a.clone(),
        a_rows: BTreeMap::new(),
        made_unowned: BTreeMap::new(),
        borrowed_unowned: BTreeSet::new(),
        failures: Vec::new(),
        requests: 0,
        hash_sql: Vec::new(),
        hash: Vec::new(),
        conn: db(),
        http_secs: 0.0,
        check_secs: 0.0,
    };

    // A's rows, parents first
    let mut client = db();
    let order = match sweep.schema.tables_in_fk_order() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    for table in &order {
        let parents = sweep.a_rows.clone();
        match sweep.make_row(&mut client, table, &a, &parents) {
            Ok(row) => {
                if sweep.schema.owned_by(table, &a, 0).is_none()
                    && !sweep.borrowed_unowned.contains(table)
                {
                    let rel = sweep.schema.rel(table);
                    let key: Map<String, Value> =
                        rel.pk.iter().map(|c| (c.clone(), row[c].clone())).collect();
                    sweep
                        .made_unowned
                        .entry(table.clone())
                        .or_default()
                        .push(Value::Object(key));
                }
                sweep.a_rows.insert(table.clone(), row);
            }
            Err(e) => sweep.failures.push(format!("table {table}: {e}")),
        }
    }

    // mediation: a pending and a declined invitee of A's session
    let mut actors: Vec<Actor> = Vec::new();
    let (b, b_who) = new_user(&format!("swp{tag}-B"));
    // B's own rows (in the tables users own; shared catalogs are the sweep's), for the unique-key
    // check: B inserting its own row with one of A's unique values
    let mut b_rows: BTreeMap<String, Value> = sweep
        .a_rows
        .iter()
        .filter(|(t, _)| sweep.schema.owned_by(t, &a, 0).is_none())
        .map(|(t, r)| (t.clone(), r.clone()))
        .collect();
    for table in &order {
        if b_rows.contains_key(table) {
            continue;
        }
        let parents = b_rows.clone();
        if let Ok(row) = sweep.make_row(&mut client, table, &b, &parents) {
            b_rows.insert(table.clone(), row);
        }
    }
    actors.push(Actor {
        label: "B",
        who: b_who,
        id: Some(b),
        role: "authenticated",
        forbidden: vec![],
        may_read: PUBLIC_CATALOGS.to_vec(),
    });
    actors.push(Actor {
        label: "anon",
        who: As::Anon,
        id: None,
        role: "anon",
        forbidden: vec![],
        may_read: PUBLIC_CATALOGS.to_vec(),
    });
    let invitations = sweep
        .schema
        .rels
        .get("session_participants")
        .filter(|r| r.col("invitation_status").is_some())
        .is_some();
    match (invitations, sweep.a_rows.get("sessions").cloned()) {
        (true, Some(session)) => {
            for (label, status) in [
                ("pending invitee", "pending"),
                ("declined invitee", "declined"),
            ] {
                let (id, who) = new_user(&format!("swp{tag}-{status}"));
                client
                    .execute(
                        "insert into public.session_participants (session_id, profile_id, role, invitation_status)
                         values (($1::text)::uuid, ($2::text)::uuid, 'participant', $3)",
                        &[&session["id"].as_str().unwrap(), &id, &status],
                    )
                    .expect("invite");
                let mut may_read = PUBLIC_CATALOGS.to_vec();
                if status == "pending" {
                    may_read.extend(PENDING_INVITEE_MAY_READ);
                }
                actors.push(Actor {
                    label,
                    who,
                    id: Some(id),
                    role: "authenticated",
                    forbidden: vec![],
                    may_read,
                });
            }
        }
        _ => sweep
            .failures
            .push("no mediated session of A to invite into: the invitee part did not run".into()),
    }
    for actor in &mut actors {
        actor.forbidden = sweep.forbidden_for(actor.id.as_deref(), &actor.may_read);
        assert!(
            !actor.forbidden.is_empty(),
            "{}: no value of A's rows to look for",
            actor.label
        );
    }
    sweep.build_hash_sql();
    sweep.hash = sweep.read_hash(None);

    let relations: Vec<Relation> = sweep.schema.rels.values().cloned().collect();
    for actor in &actors {
        if actor.label == "declined invitee" {
            sweep.attack_own_rows_in_a_data(actor);
        }
        if actor.label == "B" {
            sweep.attack_unique_keys(actor, &b_rows);
        }
        for rel in &relations {
            let row = if rel.is_table {
                match sweep.a_rows.get(&rel.name) {
                    Some(r) => r.clone(),
                    None => continue, // already a failure above
                }
            } else {
                sweep.view_row(rel)
            };
            sweep.attack_reads(actor, rel, &row);
            if rel.is_table {
                sweep.attack_writes(actor, rel, &row);
            } else {
                sweep.attack_view_writes(actor, rel, &row);
            }
            // what the writes on this relation changed elsewhere (triggers, cascades)
            sweep.check_unchanged(
                &format!(
                    "{} writes on {} (a side effect in another table)",
                    actor.label, rel.name
                ),
                0,
                "",
                false,
                None,
            );
        }
        if actor.role == "authenticated" || actor.role == "anon" {
            sweep.attack_rpcs(actor, &functions);
        }
    }

    // leave nothing behind for the suites that run after this one: the users (their rows go
    // with them), then the rows made in tables nobody owns, children first
    let mut users: Vec<String> = actors.iter().filter_map(|a| a.id.clone()).collect();
    users.push(a.clone());
    let mut clean_up = vec![format!(
        "delete from auth.users where id::text = any (array[{}])",
        list(users.iter().map(|u| lit(u)))
    )];
    for table in order.iter().rev() {
        if let Some(keys) = sweep.made_unowned.get(table) {
            clean_up.push(format!(
                "delete from public.{} t0 where to_jsonb(t0) @> any (array[{}]::jsonb[])",
                ident(table),
                list(keys.iter().map(|k| lit(&k.to_string())))
            ));
        }
    }
    for sql in clean_up {
        if let Err(e) = sweep.conn.batch_execute(&sql) {
            println!("NOTE clean-up left rows behind: {sql}: {e}");
        }
    }

    let n_rel = relations.len();
    let n_rpc = functions.len();
    println!(
        "isolation sweep: {n_rel} tables/views ({} tables with a row of A), {n_rpc} RPCs, {} actors, {} requests, {} failures, {:.1} s (HTTP {:.1} s, hash checks {:.1} s)",
        sweep.a_rows.len(),
        actors.len(),
        sweep.requests,
        sweep.failures.len(),
        started.elapsed().as_secs_f64(),
        sweep.http_secs,
        sweep.check_secs
    );
    if !sweep.failures.is_empty() {
        for f in &sweep.failures {
            println!("FAIL {f}");
        }
        panic!(
            "isolation sweep: {} failures (listed above, one per line starting with FAIL)",
            sweep.failures.len()
        );
    }
}
