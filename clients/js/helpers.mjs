// Shared by every supabase-js replay file: the stack's keys, clients as an app holds them, users,
// and the per-seed count of calls replayed.
//
//   const seed = replaySeed('000', 'Understand.me');   // counts every request of its clients
//   const alice = await createUser();                  // a real auth.users row (+ its profile)
//   const db = seed.asUser(alice.id);                  // createClient(API_URL, ANON_KEY) + her JWT
//   const backend = seed.asService();                  // createClient(API_URL, SERVICE_ROLE_KEY)
//
// STACK_ENV names the stack.env file (API_URL, ANON_KEY, SERVICE_ROLE_KEY, JWT_SECRET, DB_URL);
// REPLAY_DIR is where each test file writes its count (scripts/clients.sh sums them).
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';

export { assert, randomUUID };

function readStackEnv(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z_]+)=(.*)$/);
    if (m) env[m[1]] = m[2];
  }
  for (const key of ['API_URL', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'JWT_SECRET', 'DB_URL']) {
    if (!env[key]) throw new Error(`${file} has no ${key}=`);
  }
  return env;
}

export const stack = readStackEnv(process.env.STACK_ENV ?? '.local/test-stack/stack.env');

// A user's access token, as Supabase Auth would issue it: HS256, role/aud authenticated, 1 hour.
export function mintUserJwt(sub) {
  const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', stack.JWT_SECRET).update(body).digest('base64url')}`;
}

// One connection pool per test file, for what only the auth server does (creating users).
let pool;
export async function sql(text, params = []) {
  pool ??= new pg.Pool({ connectionString: stack.DB_URL, max: 2 });
  return (await pool.query(text, params)).rows;
}
after(async () => { await pool?.end(); });

// A signed-up user: a row in auth.users, as sign-up writes it (the auth.users trigger creates the
// profile). Emails are unique per call so test files never share users.
export async function createUser({ email, fullName } = {}) {
  const id = randomUUID();
  email ??= `u-${id}@example.test`;
  await sql(
    `insert into auth.users (id, aud, role, email, raw_user_meta_data)
     values ($1, 'authenticated', 'authenticated', $2, jsonb_build_object('full_name', $3::text))`,
    [id, email, fullName ?? `User ${id.slice(0, 8)}`]);
  return { id, email };
}

export function uniqueEmail(tag = 'x') {
  return `${tag}-${randomUUID()}@example.test`;
}

// The count of requests a seed's file sent through supabase-js, written when the process ends
// (node --test runs each file in its own process).
export function replaySeed(seedId, seedName) {
  let calls = 0;
  const countingFetch = (input, init) => {
    calls += 1;
    return fetch(input, init);
  };
  const options = (extraHeaders = {}) => ({
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: countingFetch, headers: extraHeaders },
  });
  process.on('exit', () => {
    const dir = process.env.REPLAY_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/js-${seedId}-${process.pid}.json`,
      JSON.stringify({ seed: seedId, name: seedName, calls }));
  });
  return {
    get calls() { return calls; },
    anon: () => createClient(stack.API_URL, stack.ANON_KEY, options()),
    // A signed-in app: the anon key as apikey, the user's access token as Authorization.
    asUser: (userId) => createClient(stack.API_URL, stack.ANON_KEY,
      options({ Authorization: `Bearer ${mintUserJwt(userId)}` })),
    // A backend holding the service-role key (Edge Functions, server code).
    asService: () => createClient(stack.API_URL, stack.SERVICE_ROLE_KEY, options()),
  };
}

// Assertions on a supabase-js result ({data, error, status}).
export function ok(res, what = 'call') {
  assert.equal(res.error, null, `${what} failed: ${JSON.stringify(res.error)} (HTTP ${res.status})`);
  return res.data;
}

// A refusal: the HTTP status and SQLSTATE the project promises, and (optionally) a message check.
export function refused(res, { status, code, message } = {}) {
  assert.notEqual(res.error, null, `expected a refusal, got HTTP ${res.status} ${JSON.stringify(res.data)}`);
  if (status !== undefined) {
    const statuses = [].concat(status);
    assert.ok(statuses.includes(res.status),
      `expected HTTP ${statuses.join(' or ')}, got ${res.status}: ${JSON.stringify(res.error)}`);
  }
  if (code !== undefined) assert.equal(res.error.code, code, JSON.stringify(res.error));
  if (message !== undefined) assert.match(res.error.message, message, JSON.stringify(res.error));
  return res.error;
}
