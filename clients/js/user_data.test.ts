// Users' data (issue 23) through supabase-js as an app calls it: a user exports their data and
// deletes their account; the backend (service key) does both for a named user, drains the Storage
// queue, reads and sets retention windows, and dry-runs retention. Each refusal with its status.
//
// Not a seed's replay: these clients are made here, so the per-seed call counts stay the seeds'
// own. Retention is only dry-run here (other test files share the stack and its old rows); the
// pgTAP suite A1 and the cron suite apply it.
import { test } from 'node:test';
import { createClient } from '@supabase/supabase-js';
import { assert, stack, mintUserJwt, createUser, sql, ok, refused, randomUUID } from './helpers.ts';
import type { Database } from '../../types/database.ts';

const options = (headers: Record<string, string> = {}) => ({
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  global: { headers },
});
const asUser = (id: string) =>
  createClient<Database>(stack.API_URL, stack.ANON_KEY, options({ Authorization: `Bearer ${mintUserJwt(id)}` }));
const anon = createClient<Database>(stack.API_URL, stack.ANON_KEY, options());
const backend = createClient<Database>(stack.API_URL, stack.SERVICE_ROLE_KEY, options());

type Doc = Record<string, any>;

test('export_my_data: one document with the user\'s rows; the backend names the user; refusals', async () => {
  const alice = await createUser();
  const bob = await createUser();
  const db = asUser(alice.id);
  ok(await db.rpc('store_chat_pair', { p_user_id: alice.id, p_user_message: 'Hello', p_ai_response: 'Hi Alice' }), 'store_chat_pair');
  ok(await db.from('user_memories').insert({ user_id: alice.id, memory_key: 'city', memory_value: 'Lisbon' }));
  ok(await asUser(bob.id).from('user_memories').insert({ user_id: bob.id, memory_key: 'city', memory_value: 'Porto' }));

  const doc = ok(await db.rpc('export_my_data')) as Doc;
  assert.equal(doc.format, 'pg_convo.export.v1');
  assert.equal(doc.user.id, alice.id);
  assert.equal(doc.profile.email, alice.email);
  assert.deepEqual(doc.chat_messages.map((m: Doc) => m.message_text), ['Hello', 'Hi Alice']);
  assert.deepEqual(doc.user_memories.map((m: Doc) => m.memory_value), ['Lisbon'], 'hers only');

  // STABLE: a GET works too (a download link in an app)
  const viaGet = ok(await db.rpc('export_my_data', {}, { get: true })) as Doc;
  assert.deepEqual(viaGet.chat_messages, doc.chat_messages);

  const forAlice = ok(await backend.rpc('export_my_data', { p_user_id: alice.id })) as Doc;
  assert.deepEqual(forAlice.user_memories, doc.user_memories, 'the backend gets the same rows');

  refused(await db.rpc('export_my_data', { p_user_id: bob.id }), { status: 403, code: '42501' });
  refused(await anon.rpc('export_my_data'), { status: 401, code: '42501' });
  refused(await backend.rpc('export_my_data'), { status: 400, code: '22023' });
  refused(await backend.rpc('export_my_data', { p_user_id: randomUUID() }), { status: 404, code: 'PT404' });
});

test('delete_my_account: the account and its rows go, the others\' transcript stays whole', async () => {
  const alice = await createUser();
  const bob = await createUser();
  const db = asUser(alice.id);
  const bobDb = asUser(bob.id);
  ok(await db.from('user_memories').insert({ user_id: alice.id, memory_key: 'pet', memory_value: 'a cat' }));
  // bob hosts a mediated session, alice takes part and speaks
  const session = ok(await bobDb.from('sessions').insert({ host_id: bob.id, title: 'Roommates', status: 'in_progress' }).select('id').single());
  ok(await bobDb.from('session_participants')
    .insert({ session_id: session.id, profile_id: alice.id, role: 'participant' }));
  ok(await db.from('session_participants').update({ invitation_status: 'accepted' })
    .eq('session_id', session.id).eq('profile_id', alice.id));
  ok(await bobDb.from('session_messages').insert({ session_id: session.id, content: 'Bob first' }));
  ok(await db.from('session_messages').insert({ session_id: session.id, content: 'Alice replies' }));
  ok(await bobDb.from('session_messages').insert({ session_id: session.id, content: 'Bob again' }));

  refused(await db.rpc('delete_my_account'), { status: 400, code: '22023', message: /p_confirm must be the text 'delete my account'/ });
  refused(await db.rpc('delete_my_account', { p_confirm: 'true' }), { status: 400, code: '22023' });
  refused(await db.rpc('delete_my_account', { p_confirm: 'delete my account', p_user_id: bob.id }), { status: 403, code: '42501' });
  refused(await anon.rpc('delete_my_account', { p_confirm: 'delete my account' }), { status: 401, code: '42501' });
  assert.equal((await sql('select count(*)::int as n from auth.users where id = $1', [alice.id]))[0].n, 1,
    'nothing changed by the refusals');

  // her avatar, as the Storage server records an upload (a row of storage.objects)
  await sql("insert into storage.objects (bucket_id, name, owner, owner_id) values ('avatars', $1, $2, $3)",
    [`${alice.id}/avatar.png`, alice.id, alice.id]);

  const summary = ok(await db.rpc('delete_my_account', { p_confirm: 'delete my account' })) as Doc;
  assert.equal(summary.user_id, alice.id);
  assert.equal(summary.messages_redacted, 1);

  assert.equal((await sql('select count(*)::int as n from auth.users where id = $1', [alice.id]))[0].n, 0, 'the auth user is gone');
  refused(await backend.rpc('export_my_data', { p_user_id: alice.id }), { status: 404, code: 'PT404' });
  const transcript = ok(await bobDb.from('session_messages').select('content, profile_id, is_edited')
    .eq('session_id', session.id).order('timestamp'));
  assert.deepEqual(transcript, [
    { content: 'Bob first', profile_id: bob.id, is_edited: false },
    { content: '', profile_id: null, is_edited: true },
    { content: 'Bob again', profile_id: bob.id, is_edited: false },
  ], 'bob\'s transcript: in order, her message without text or author');

  // the backend drains the Storage queue: remove through the Storage API, then delete the rows
  const queued = ok(await backend.from('storage_deletion_queue').select('id, bucket_id, object_name, is_prefix')
    .like('object_name', `${alice.id}/%`));
  assert.deepEqual(queued.map((q) => [q.bucket_id, q.object_name]), [['avatars', `${alice.id}/avatar.png`]],
    'her Storage objects are queued for the backend to remove');
  ok(await backend.from('storage_deletion_queue').delete().in('id', queued.map((q) => q.id)));
  refused(await bobDb.from('storage_deletion_queue').select('id'), { status: [401, 403], code: '42501' });

  // the service role deletes a named user; unknown: 404
  const carol = await createUser();
  ok(await backend.rpc('delete_my_account', { p_confirm: 'delete my account', p_user_id: carol.id }));
  refused(await backend.rpc('delete_my_account', { p_confirm: 'delete my account', p_user_id: carol.id }), { status: 404, code: 'PT404' });
});

test('retention: the backend reads and sets windows, dry-runs them; zero or negative windows are refused', async () => {
  const windows = ok(await backend.from('retention_windows').select('target, keep_days').order('target'));
  assert.ok(windows.some((w) => w.target === 'sms_messages'));
  const sms = windows.find((w) => w.target === 'sms_messages')!.keep_days;

  refused(await backend.from('retention_windows').update({ keep_days: 0 }).eq('target', 'sms_messages'),
    { status: 400, code: '23514' });
  refused(await backend.from('retention_windows').update({ keep_days: -7 }).eq('target', 'sms_messages'),
    { status: 400, code: '23514' });
  refused(await backend.from('plan_token_limits').update({ chat_history_days: 0 }).eq('plan', 'basic'),
    { status: 400, code: '23514' });
  const same = ok(await backend.from('retention_windows').update({ keep_days: sms }).eq('target', 'sms_messages')
    .select('keep_days').single());
  assert.equal(same.keep_days, sms);

  const report = ok(await backend.rpc('apply_retention', { p_dry_run: true })) as Doc;
  assert.equal(report.dry_run, true);
  assert.ok(report.windows.some((w: Doc) => w.target === 'sms_messages' && typeof w.would_expire === 'number'));

  const user = await createUser();
  refused(await asUser(user.id).rpc('apply_retention', { p_dry_run: true }), { status: 403, code: '42501' });
  refused(await asUser(user.id).from('retention_windows').select('target'), { status: [401, 403], code: '42501' });
  refused(await backend.rpc('apply_retention', { p_batch_size: 0 }), { status: 400, code: '22023' });
});
