# pg_convo — the two commands a newcomer needs are `make up` and `make test` (see README.md).
SHELL := /bin/bash
PG_CONFIG ?= /usr/bin/pg_config
export PATH := $(HOME)/.cargo/bin:$(PATH)

# What the installed extension is built from: a change to any of these reinstalls it.
EXT_SOURCES := Cargo.toml Cargo.lock pg_convo.control $(shell find src tokenizer/src -type f 2>/dev/null) tokenizer/build.rs tokenizer/Cargo.toml \
               $(wildcard sql/pg_convo--*.sql)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
INSTALL_STAMP := .tools/installed.stamp
# where `cargo pgrx package` lays the extension out as pg_config paths
PACKAGE_DIR := target/release/pg_convo-pg15

.PHONY: help bootstrap install up down status reset token migrate test bench psql fmt lint package types crash-test \
        cluster cluster-status cluster-down bench-cluster

help:
	@echo "make up       start the local stack (Postgres + pg_convo + PostgREST + gateway), migrated and seeded"
	@echo "make test     every suite, against a throwaway stack"
	@echo "make down     stop the local stack          make reset   recreate its database"
	@echo "make status   print URLs and keys           make token SUB=<uuid>   a signed user JWT"
	@echo "make install  build + install the extension make migrate [DATABASE_URL=...]"
	@echo "make bench    the benchmarks (BENCHMARKS.md)   make crash-test   crashes under load"
	@echo "make package  an installable archive in dist/  make types   regenerate types/"
	@echo "make cluster  a local HA pg_convo (pg_auto_failover: monitor, primary, 2 standbys; read pool)"
	@echo "make cluster-status   roles and lag     make cluster-down   stop it     make bench-cluster"

bootstrap:
	@scripts/bootstrap.sh

# Installs the release build into the Postgres that $(PG_CONFIG) names (needs root or sudo).
install: bootstrap $(INSTALL_STAMP)

$(INSTALL_STAMP): $(EXT_SOURCES)
	cargo pgrx package --pg-config $(PG_CONFIG)
	@# install(1) replaces each file (unlink, then write a new one) where cargo pgrx install would
	@# overwrite the library in place: Postgres backends that have the old one mapped keep it and
	@# do not crash; `make up` then restarts Postgres onto the new one.
	cd $(PACKAGE_DIR) && find . -type f | while read -r f; do \
	  $(SUDO) install -D -m $$(case "$$f" in *.so) echo 755;; *) echo 644;; esac) "$$f" "/$${f#./}"; done
	@# pgrx packages the current version's script and the upgrade scripts; the released
	@# versions' install scripts (sql/pg_convo--X.Y.Z.sql) are ours to keep available.
	$(SUDO) install -m 644 sql/pg_convo--*.sql "$$($(PG_CONFIG) --sharedir)/extension/"
	@mkdir -p .tools && touch $@

up: install
	@scripts/stack.sh up

down:
	@scripts/stack.sh down

status:
	@scripts/stack.sh status

reset: install
	@scripts/stack.sh reset

token:
	@test -n "$(SUB)" || { echo "usage: make token SUB=<user uuid>" >&2; exit 2; }
	@scripts/stack.sh token "$(SUB)"

migrate:
	@DATABASE_URL="$(DATABASE_URL)" scripts/migrate.sh

psql:
	@scripts/stack.sh psql

test: bootstrap
	@scripts/test.sh $(SUITE)

# every workload against its baseline, interleaved rounds (BENCHMARKS.md); then what a connection
# costs (first call, memory per backend, a mixed HTTP load: ~4 minutes); memory search last
# (it builds 100k embeddings and 1M messages on a stack of its own: ~8 minutes more)
bench: install
	@scripts/bench.sh
	@scripts/bench_connections.sh
	@scripts/bench_memory_search.sh

# dist/pg_convo-<version>-pg15-<arch>.tar.gz: installs into a Postgres 15 by unpacking, no Rust needed
package: bootstrap
	@scripts/package.sh

types: install
	@scripts/types.sh

crash-test: install
	@scripts/crash_test.sh

# Beyond one machine (README): pg_auto_failover, a primary and two standbys, PostgREST rw + read
# pool behind one gateway; .local/cluster/stack.env (CLUSTER_DIR, CLUSTER_PORT to move it)
cluster: install
	@scripts/cluster.sh up

cluster-status:
	@scripts/cluster.sh status

cluster-down:
	@scripts/cluster.sh down

# replication's write cost and the read pool's throughput (BENCHMARKS.md), on clusters of its own
bench-cluster: install
	@scripts/bench_cluster.sh

fmt:
	cargo fmt --all

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
