#!/usr/bin/env bash
# Token counts are exact: for every message of a generated corpus (realistic chat plus the edge
# cases where tokenizers differ if they differ at all), convo.count_tokens in the database equals
# OpenAI's reference Python `tiktoken` (encode_ordinary), in o200k_base AND cl100k_base. Then the
# stored token_count columns of chat_messages and messages, written by plain inserts, equal it too
# (inside a transaction that is rolled back: nothing is left in the database).
#
#   STACK_ENV=.local/test-stack/stack.env scripts/test_tokens.sh     (or DB_URL=postgresql://…)
#
# tiktoken comes from PyPI into .tools/tiktoken-venv (pinned, once); its BPE files are the
# tiktoken-rs crate's copies, checked by tiktoken against the hashes it pins
# (tests/tokens/tiktoken_env.sh, tests/tokens/reference.py). When tiktoken cannot be set up, the
# test FAILS and says why. Ends with one line `tokens: N passed, M failed`; exit 1 on any mismatch.
# Knobs: TOKENS_TEST_MESSAGES (default 3000, plus ~400 edge cases), TOKENS_TEST_SEED.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MESSAGES=${TOKENS_TEST_MESSAGES:-3000}
SEED=${TOKENS_TEST_SEED:-20261123}

say()  { printf '\033[1m[tokens]\033[0m %s\n' "$*"; }
fail() { printf '[tokens] FAILED: %s\n' "$*" >&2; echo "tokens: 0 passed, 1 failed"; exit 1; }

if [ -z "${DB_URL:-}" ]; then
  env_file=${STACK_ENV:-$ROOT/.local/test-stack/stack.env}
  [ -f "$env_file" ] || fail "no database: set STACK_ENV (a stack.env file) or DB_URL"
  DB_URL=$(sed -n 's/^DB_URL=//p' "$env_file")
fi
# shellcheck source=tests/tokens/tiktoken_env.sh
source tests/tokens/tiktoken_env.sh
ensure_tiktoken || fail "the reference tokenizer (tiktoken) could not be set up (see above)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg_convo-tokens.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"   # psql's \copy runs as us, but keep the folder readable for a non-root reviewer

start=$(date +%s)
say "corpus: $("$TIKTOKEN_PY" tests/tokens/corpus.py --messages "$MESSAGES" --seed "$SEED" --edge-cases --out "$WORK")"

uid=$(cat /proc/sys/kernel/random/uuid); sid=$(cat /proc/sys/kernel/random/uuid)
# One session: the corpus into a temporary table, both encodings counted for every message, and
# the stored columns read back from rows written by plain INSERTs (rolled back).
PGCLIENTENCODING=UTF8 psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" >"$WORK/psql.log" 2>&1 <<SQL || { cat "$WORK/psql.log" >&2; fail "the database side failed (see above)"; }
create temp table corpus (id integer primary key, t text not null);
\copy corpus from '$WORK/corpus.copy'
\copy (select id, md5(t), convo.count_tokens(t), convo.count_tokens(t, 'cl100k_base') from corpus order by id) to '$WORK/counted.tsv'
begin;
insert into auth.users (id, email) values ('$uid', 'tokens-test-$uid@example.test');
insert into public.chat_messages (user_id, message_text, sender_type)
  select '$uid', t, 'user' from corpus where char_length(t) <= 20000;
insert into public.user_sessions (id, phone_number, assigned_persona)
  values ('$sid', '+1999' || lpad((random() * 1e9)::bigint::text, 9, '0'), 'tokens-test');
insert into public.messages (session_id, role, content)
  select '$sid', 'user', t from corpus where char_length(t) <= 20000;
\copy (select distinct on (c.id) c.id, m.token_count from corpus c join public.chat_messages m on m.message_text = c.t and m.user_id = '$uid' order by c.id) to '$WORK/stored_chat.tsv'
\copy (select distinct on (c.id) c.id, m.token_count from corpus c join public.messages m on m.content = c.t and m.session_id = '$sid' order by c.id) to '$WORK/stored_sms.tsv'
rollback;
SQL

passed=0; failed=0
# run_check LABEL reference.py-ARGS...: shows the reference's output, adds up its counts.
run_check() {
  local label=$1 out rc=0; shift
  out=$("$TIKTOKEN_PY" tests/tokens/reference.py "$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | sed 's/^/  /'
  local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n1)
  if [ -z "$line" ]; then
    say "$label: the reference script failed (exit $rc)"; failed=$((failed + 1)); return
  fi
  passed=$((passed + $(cut -d' ' -f1 <<<"$line"))); failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
  say "$label: $line"
}
run_check "convo.count_tokens vs tiktoken (o200k_base, cl100k_base), every message" check "$WORK/corpus.jsonl" "$WORK/counted.tsv"
run_check "chat_messages.token_count vs tiktoken (o200k_base)" stored "$WORK/corpus.jsonl" "$WORK/stored_chat.tsv"
run_check "messages.token_count vs tiktoken (o200k_base)" stored "$WORK/corpus.jsonl" "$WORK/stored_sms.tsv"
say "$(("$(date +%s)" - start)) s; reference: tiktoken $TIKTOKEN_VERSION, BPE files from ${TIKTOKEN_RS_ASSETS%/assets}"
echo "tokens: $passed passed, $failed failed"
[ "$failed" = 0 ]
