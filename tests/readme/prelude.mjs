// The inputs the README's ```js and ```ts examples take for granted, against a real stack.
//
//   node --import ./prelude.mjs block.mjs        (scripts/check_readme_examples.sh does this)
//
// A README example is a fragment of an app: it uses names the app has defined elsewhere (its keys,
// the signed-in user, an embedding from OpenAI). This module defines them as globals before the
// example runs, so the example's own lines (its import, its createClient(...)) are the ones that
// run. It provides inputs only, never results: every row an example reads was written through the
// API by the example itself.
//
//   API_URL, SUPABASE_URL                      the stack's gateway (createClient's first argument)
//   ANON_KEY, SUPABASE_ANON_KEY                the anon key
//   SERVICE_ROLE_KEY, SUPABASE_SERVICE_ROLE_KEY  the service-role key
//   user, session                              a fresh signed-up user ({id, email, …}) and their
//                                              supabase-js Session (access_token: an HS256 JWT signed
//                                              with the stack's JWT_SECRET, as Supabase Auth issues)
//   invitee, inviteeSession                    a second fresh user, for examples with two people
//   supabase                                   createClient(API_URL, ANON_KEY) signed in as `user`
//   backend                                    createClient(API_URL, SERVICE_ROLE_KEY)
//   embedding                                  a number[1536] (what OpenAI's text-embedding-3-small returns)
//   userInput, avatar_url                      a chat message typed by the user; a profile picture URL
//
// Users are rows inserted into auth.users through DB_URL (as sign-up writes them; a trigger creates
// their profile), with unique emails, so every run and every example has users of its own.
//
// Failures are made visible: supabase-js answers `{ data, error }` instead of throwing, so every
// response with HTTP status >= 400 (and every request that fails outright) is recorded, and the
// process exits 1 listing them. `readmeCheck({ name: value })` (appended to an example by the
// runner) fails it when a `data` it destructured is null or an `error` is not.
//
// Needs STACK_ENV (a stack.env file). Packages (@supabase/supabase-js, pg) resolve from the folder
// this file is copied into (the runner links clients/js/node_modules there).
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';

const env = {};
for (const line of readFileSync(process.env.STACK_ENV, 'utf8').split('\n')) {
  const m = line.match(/^([A-Z_]+)=(.*)$/);
  if (m) env[m[1]] = m[2];
}
for (const key of ['API_URL', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'JWT_SECRET', 'DB_URL']) {
  if (!env[key]) throw new Error(`${process.env.STACK_ENV} has no ${key}=`);
}

// A user's access token as Supabase Auth issues it: HS256, role and aud authenticated, 1 hour.
function accessToken(sub, now) {
  const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', env.JWT_SECRET).update(body).digest('base64url')}`;
}

// A signed-up user and their session, in supabase-js's shapes (User, Session).
const db = new pg.Client({ connectionString: env.DB_URL });
await db.connect();
async function signUp(fullName) {
  const id = randomUUID();
  const { rows: [row] } = await db.query(
    `insert into auth.users (id, aud, role, email, raw_user_meta_data, email_confirmed_at)
     values ($1, 'authenticated', 'authenticated', $2, jsonb_build_object('full_name', $3::text), now())
     returning id, aud, role, email, created_at`,
    [id, `readme-${id}@example.test`, fullName]);
  const user = { ...row, created_at: row.created_at.toISOString(), app_metadata: {},
    user_metadata: { full_name: fullName } };
  const now = Math.floor(Date.now() / 1000);
  const session = { access_token: accessToken(id, now), token_type: 'bearer', expires_in: 3600,
    expires_at: now + 3600, refresh_token: '', user };
  return { user, session };
}
const host = await signUp('Hana Host');
const guest = await signUp('Gil Guest');
await db.end();

// Requests the example sends (and supabase-js's answers to them): every failure is recorded.
const failures = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const what = `${init?.method ?? input?.method ?? 'GET'} ${String(input?.url ?? input).replace(env.API_URL, '')}`;
  let res;
  try {
    res = await realFetch(input, init);
  } catch (e) {
    failures.push(`${what}: ${e?.cause?.message ?? e?.message ?? e}`);
    throw e;
  }
  if (res.status >= 400) failures.push(`${what}: HTTP ${res.status} ${(await res.clone().text()).slice(0, 500)}`);
  return res;
};

// The runner appends readmeCheck({ data, s, … }, { error }) to an example: what it destructured.
const problems = [];
function readmeCheck(values, errors = {}) {
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) problems.push(`${name} is ${value}: the call returned no data`);
  }
  for (const [name, value] of Object.entries(errors)) {
    if (value !== null) problems.push(`${name} is not null: ${JSON.stringify(value)}`);
  }
}

// When the example is done: its problems and failed requests, on stderr, and exit status 1.
process.on('exit', () => {
  for (const p of problems) console.error(p);
  if (failures.length > 0) console.error(`${failures.length} request(s) failed:`);
  for (const f of failures) console.error(`  ${f}`);
  if (problems.length + failures.length > 0) process.exitCode = 1;
});

const signedIn = (session) => createClient(env.API_URL, env.ANON_KEY,
  { global: { headers: { Authorization: `Bearer ${session.access_token}` } } });

// A deterministic unit vector, so a run is reproducible.
const embedding = Array.from({ length: 1536 }, (_, i) => Math.sin(i + 1));
const norm = Math.hypot(...embedding);

Object.assign(globalThis, {
  API_URL: env.API_URL,
  SUPABASE_URL: env.API_URL,
  ANON_KEY: env.ANON_KEY,
  SUPABASE_ANON_KEY: env.ANON_KEY,
  SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
  SUPABASE_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
  user: host.user,
  session: host.session,
  invitee: guest.user,
  inviteeSession: guest.session,
  supabase: signedIn(host.session),
  backend: createClient(env.API_URL, env.SERVICE_ROLE_KEY),
  embedding: embedding.map((x) => x / norm),
  userInput: 'Any idea for dinner tonight?',
  avatar_url: 'https://cdn.example/hana.png',
  readmeCheck,
});
