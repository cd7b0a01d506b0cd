//! The migration runner (scripts/migrate.sh) against scratch databases in the test cluster:
//! a fresh apply, a no-op re-apply, an out-of-order file refused, a broken file rolled back.

use pg_convo_integration::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch database (dropped at the end) and its URL.
struct ScratchDb {
    name: String,
    url: String,
}

impl ScratchDb {
    fn new(tag: &str) -> Self {
        let name = format!("mig_{tag}_{}", uuid::Uuid::new_v4().simple());
        db().batch_execute(&format!("create database {name}"))
            .unwrap();
        let url = stack().db_url.rsplit_once('/').unwrap().0.to_string() + "/" + &name;
        ScratchDb { name, url }
    }
    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
    fn versions(&self) -> Vec<String> {
        self.client()
            .query(
                "select version from supabase_migrations.schema_migrations order by version",
                &[],
            )
            .map(|rows| rows.iter().map(|r| r.get(0)).collect())
            .unwrap_or_default()
    }
    fn table_exists(&self, name: &str) -> bool {
        self.client()
            .query_one("select to_regclass($1) is not null", &[&name])
            .unwrap()
            .get(0)
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let _ = db().batch_execute(&format!(
            "drop database if exists {} with (force)",
            self.name
        ));
    }
}

fn migrate(db: &ScratchDb, dir: &Path) -> Output {
    let out = Command::new(repo_root().join("scripts/migrate.sh"))
        .env("DATABASE_URL", &db.url)
        .env("MIGRATIONS_DIR", dir)
        .output()
        .unwrap();
    eprintln!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn temp_dir(files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("convo-mig-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, sql) in files {
        std::fs::write(dir.join(name), sql).unwrap();
    }
    dir
}

#[test]
fn the_real_migrations_apply_to_a_fresh_database_and_reapply_as_a_no_op() {
    let scratch = ScratchDb::new("real");
    // a fresh Supabase-like database: the compatibility bootstrap first (roles are cluster-wide)
    scratch
        .client()
        .batch_execute(
            &std::fs::read_to_string(repo_root().join("sql/supabase_bootstrap.sql")).unwrap(),
        )
        .unwrap();
    let dir = repo_root().join("migrations");
    let out = migrate(&scratch, &dir);
    assert!(out.status.success(), "{}", stderr(&out));

    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy()[..14].to_string())
        .collect();
    on_disk.sort();
    assert_eq!(scratch.versions(), on_disk);
    let has_info: bool = scratch
        .client()
        .query_one(
            "select to_regprocedure('public.convo_info()') is not null",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(has_info);

    // the history row carries the file's text, as the Supabase CLI stores it
    let first = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let stored: Vec<String> = scratch
        .client()
        .query_one(
            "select statements from supabase_migrations.schema_migrations order by version limit 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        stored.join("\n").trim(),
        std::fs::read_to_string(first).unwrap().trim()
    );

    let again = migrate(&scratch, &dir);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 migration(s) applied"));
    assert_eq!(scratch.versions(), on_disk);
}

#[test]
fn a_file_older_than_the_newest_applied_is_refused_and_nothing_applied() {
    let scratch = ScratchDb::new("order");
    let dir = temp_dir(&[(
        "20300101000000_second.sql",
        "create table t_second (id int);",
    )]);
    assert!(migrate(&scratch, &dir).status.success());

    std::fs::write(
        dir.join("20290101000000_backdated.sql"),
        "create table t_backdated (id int);",
    )
    .unwrap();
    std::fs::write(
        dir.join("20310101000000_later.sql"),
        "create table t_later (id int);",
    )
    .unwrap();
    let out = migrate(&scratch, &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("refusing 20290101000000_backdated.sql"),
        "{}",
        stderr(&out)
    );
    // refused before anything ran: not even the well-ordered later file
    assert!(!scratch.table_exists("t_backdated") && !scratch.table_exists("t_later"));
    assert_eq!(scratch.versions(), vec!["20300101000000"]);
}

#[test]
fn a_failing_file_leaves_nothing_behind() {
    let scratch = ScratchDb::new("broken");
    let dir = temp_dir(&[
        ("20300101000000_good.sql", "create table t_good (id int);"),
        (
            "20300102000000_broken.sql",
            "create table t_half (id int);\ninsert into t_half values (1);\nselect 1/0;",
        ),
        ("20300103000000_after.sql", "create table t_after (id int);"),
    ]);
    let out = migrate(&scratch, &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("20300102000000_broken.sql failed and was rolled back"),
        "{}",
        stderr(&out)
    );
    assert!(
        scratch.table_exists("t_good"),
        "the good file before it stays applied"
    );
    assert!(
        !scratch.table_exists("t_half"),
        "no half of the broken file"
    );
    assert!(!scratch.table_exists("t_after"), "nothing after it runs");
    assert_eq!(scratch.versions(), vec!["20300101000000"]);

    // fixed under a new name, the run continues where it stopped
    std::fs::remove_file(dir.join("20300102000000_broken.sql")).unwrap();
    std::fs::write(
        dir.join("20300102000000_fixed.sql"),
        "create table t_half (id int);",
    )
    .unwrap();
    assert!(migrate(&scratch, &dir).status.success());
    assert_eq!(
        scratch.versions(),
        vec!["20300101000000", "20300102000000", "20300103000000"]
    );
}

#[test]
fn badly_named_files_are_refused() {
    let scratch = ScratchDb::new("names");
    let dir = temp_dir(&[("2030_short.sql", "select 1;")]);
    let out = migrate(&scratch, &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("<YYYYMMDDHHMMSS>_<name>.sql"),
        "{}",
        stderr(&out)
    );
    assert!(scratch.versions().is_empty());
}

#[test]
fn concurrent_runners_apply_each_file_once() {
    let scratch = ScratchDb::new("race");
    let dir = temp_dir(&[
        (
            "20300101000000_a.sql",
            "create table t_a (id int); select pg_sleep(0.2);",
        ),
        ("20300102000000_b.sql", "create table t_b (id int);"),
    ]);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (url, dir) = (scratch.url.clone(), dir.clone());
            std::thread::spawn(move || {
                Command::new(repo_root().join("scripts/migrate.sh"))
                    .env("DATABASE_URL", url)
                    .env("MIGRATIONS_DIR", dir)
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(scratch.versions(), vec!["20300101000000", "20300102000000"]);
}
