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
//
// TypeScript, run by Node 22's type stripping and checked by `tsc --noEmit --strict`
// (scripts/test_types.sh): every client is createClient<Database>, with Database generated from
// the schema (types/database.ts, `make types`), so a call naming a table, column, RPC or RPC
// parameter the schema lacks does not compile.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import type { PostgrestError } from '@supabase/supabase-js';
import pg from 'pg';
import type { Database } from '../../types/database.ts';

export { assert, randomUUID };

type StackEnv = Record<'API_URL' | 'ANON_KEY' | 'SERVICE_ROLE_KEY' | 'JWT_SECRET' | 'DB_URL', string>;

function readStackEnv(file: string): StackEnv {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z_]+)=(.*)$/);
    if (m) env[m[1]] = m[2];
  }
  for (const key of ['API_URL', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'JWT_SECRET', 'DB_URL']) {
    if (!env[key]) throw new Error(`${file} has no ${key}=`);
  }
  return env as StackEnv;
}

export const stack = readStackEnv(process.env.STACK_ENV ?? '.local/test-stack/stack.env');

// A user's access token, as Supabase Auth would issue it: HS256, role/aud authenticated, 1 hour.
export function mintUserJwt(sub: string): string {
  const b64 = (obj: object) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', stack.JWT_SECRET).update(body).digest('base64url')}`;
}

// One connection pool per test file, for what only the auth server does (creating users).
// Rows come back untyped (node-postgres knows no schema): name the row type where it is read.
let pool: pg.Pool | undefined;
export async function sql<Row = Record<string, any>>(text: string, params: unknown[] = []): Promise<Row[]> {
  pool ??= new pg.Pool({ connectionString: stack.DB_URL, max: 2 });
  return (await pool.query(text, params)).rows as Row[];
}
after(async () => { await pool?.end(); });

// A signed-up user with a confirmed address: a row in auth.users, as sign-up writes it where email
// confirmation is off (the auth.users trigger creates the
// profile). Emails are unique per call so test files never share users.
export interface User { id: string; email: string }
export async function createUser({ email, fullName }: { email?: string; fullName?: string } = {}): Promise<User> {
  const id = randomUUID();
  email ??= `u-${id}@example.test`;
  await sql(
    `insert into auth.users (id, aud, role, email, raw_user_meta_data, email_confirmed_at)
     values ($1, 'authenticated', 'authenticated', $2, jsonb_build_object('full_name', $3::text), now())`,
    [id, email, fullName ?? `User ${id.slice(0, 8)}`]);
  return { id, email };
}

export function uniqueEmail(tag = 'x'): string {
  return `${tag}-${randomUUID()}@example.test`;
}

// A supabase-js client typed by the schema: what createClient<Database>(url, key) returns.
export type Client = ReturnType<typeof createClient<Database>>;

// The count of requests a seed's file sent through supabase-js, written when the process ends
// (node --test runs each file in its own process).
export function replaySeed(seedId: string, seedName: string) {
  let calls = 0;
  const countingFetch: typeof fetch = (input, init) => {
    calls += 1;
    return fetch(input, init);
  };
  const options = (extraHeaders: Record<string, string> = {}) => ({
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
    anon: () => createClient<Database>(stack.API_URL, stack.ANON_KEY, options()),
    // A signed-in app: the anon key as apikey, the user's access token as Authorization.
    asUser: (userId: string) => createClient<Database>(stack.API_URL, stack.ANON_KEY,
      options({ Authorization: `Bearer ${mintUserJwt(userId)}` })),
    // A backend holding the service-role key (Edge Functions, server code).
    asService: () => createClient<Database>(stack.API_URL, stack.SERVICE_ROLE_KEY, options()),
  };
}

// Assertions on a supabase-js result ({data, error, status}).
interface Result { data: unknown; error: PostgrestError | null; status: number }

// A select string naming a column or embed the schema lacks makes supabase-js type that field (or
// the whole row) as SelectQueryError (`{error: true} & "message"`). ok() does not compile for such
// a result, so a wrong select fails `tsc` even where the test never reads the missing field.
type SelectQueryError = { error: true } & string;
type HasSelectError<T, Depth extends unknown[] = []> =
  Depth['length'] extends 6 ? false              // rows, embeds and their arrays, two levels deep
  : T extends SelectQueryError ? true
  : T extends string | number | boolean ? false
  : T extends readonly (infer E)[] ? HasSelectError<E, [...Depth, 0]>
  : string extends keyof T ? false               // a Json object (jsonb): no columns in it
  : T extends object ? { [K in keyof T]-?: HasSelectError<NonNullable<T[K]>, [...Depth, 0]> }[keyof T]
  : false;
type CheckedResult<R extends Result> = true extends HasSelectError<NonNullable<R['data']>>
  ? { 'the select names a column or embed the schema does not have': R['data'] }
  : R;

// The data of a successful call (null only for writes without .select(), which nobody reads).
export function ok<R extends Result>(res: R & CheckedResult<R>, what = 'call'): NonNullable<R['data']> {
  assert.equal(res.error, null, `${what} failed: ${JSON.stringify(res.error)} (HTTP ${res.status})`);
  return res.data as NonNullable<R['data']>;
}

// A refusal: the HTTP status and SQLSTATE the project promises, and (optionally) a message check.
export function refused(res: Result,
  { status, code, message }: { status?: number | number[]; code?: string; message?: RegExp } = {}): PostgrestError {
  assert.ok(res.error !== null, `expected a refusal, got HTTP ${res.status} ${JSON.stringify(res.data)}`);
  if (status !== undefined) {
    const statuses = ([] as number[]).concat(status);
    assert.ok(statuses.includes(res.status),
      `expected HTTP ${statuses.join(' or ')}, got ${res.status}: ${JSON.stringify(res.error)}`);
  }
  if (code !== undefined) assert.equal(res.error.code, code, JSON.stringify(res.error));
  if (message !== undefined) assert.match(res.error.message, message, JSON.stringify(res.error));
  return res.error;
}
