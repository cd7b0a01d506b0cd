#!/usr/bin/env bash
# The daily retention job through pg_cron itself, once: the job the retention migration
# registered (pg_convo_retention) is there, and its command, run by pg_cron's scheduler, removes
# what is past its window and keeps the rest.
#
#   STACK_ENV=.local/stack.env scripts/test_retention_job.sh
#
# pg_cron's schedules have minute resolution, so the job's command is scheduled once more under a
# name of its own, every minute, until the scheduler has run it once (at most ~70 s), then
# unscheduled. Without pg_cron in the stack's database the suite says so and fails: the stacks
# preload it (scripts/stack.sh) and scripts/bootstrap.sh installs it.
# Ends with `cron: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
STACK_ENV=${STACK_ENV:-.local/stack.env}
DB_URL=$(sed -n 's/^DB_URL=//p' "$STACK_ENV")
[ -n "$DB_URL" ] || { echo "cron: no DB_URL in $STACK_ENV"; echo "cron: 0 passed, 1 failed"; exit 2; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB_URL" "$@"; }

passed=0 failed=0
check() { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then echo "ok - $what"; passed=$((passed + 1)); else echo "not ok - $what"; failed=$((failed + 1)); fi
}
finish() { echo "cron: $passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }
cleanup() {
  q -c "select cron.unschedule(jobid) from cron.job where jobname = 'pg_convo_retention_test_run'" >/dev/null 2>&1
  q -c "delete from public.user_sessions where phone_number = '+15550009902'" >/dev/null 2>&1
}
trap cleanup EXIT

if [ "$(q -c "select count(*) from pg_extension where extname = 'pg_cron'")" != 1 ]; then
  echo "not ok - pg_cron is installed in the stack's database (it is not: is postgresql-15-cron installed and the stack preloading it?)"
  failed=1; finish
fi
command=$(q -c "select command from cron.job where jobname = 'pg_convo_retention'")
check "the retention migration registered pg_convo_retention" [ "$command" = "call convo.run_retention()" ]

cleanup
q <<'SQL'
insert into public.user_sessions (id, phone_number, assigned_persona)
values ('4e700000-0000-4000-8000-0000000000c1', '+15550009902', 'samantha');
insert into public.messages (session_id, role, content, created_at)
select '4e700000-0000-4000-8000-0000000000c1', 'user', 'old ' || i, now() - interval '400 days'
from generate_series(1, 2500) i;   -- more than one batch (1000)
insert into public.messages (session_id, role, content)
values ('4e700000-0000-4000-8000-0000000000c1', 'user', 'new');
SQL
job=$(q -c "select cron.schedule('pg_convo_retention_test_run', '* * * * *', \$\$$command\$\$)")
status=""
for _ in $(seq 1 150); do
  status=$(q -c "select status from cron.job_run_details where jobid = $job and status in ('succeeded', 'failed') limit 1")
  [ -n "$status" ] && break
  sleep 0.5
done
q -c "select cron.unschedule($job)" >/dev/null
check "pg_cron ran the job's command once (status: ${status:-none after 75 s})" [ "$status" = succeeded ]
[ "$status" = failed ] && q -c "select return_message from cron.job_run_details where jobid = $job" | sed 's/^/#   /'
left=$(q -c "select string_agg(content, ',') from public.messages where session_id = '4e700000-0000-4000-8000-0000000000c1'")
check "the job removed the SMS messages past their window, in batches, and kept the new one (left: $left)" [ "$left" = new ]
finish
