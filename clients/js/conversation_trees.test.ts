// Conversation trees (domain 11) through supabase-js as a chat app calls it, signed in as the user:
// store turns, regenerate a reply ("try again"), edit and resend a message, flip between versions
// (switch_branch, "< 2 / 3 >"), read the current leaf (chat_sessions.current_leaf_id), build the
// prompt along the current branch with a rolling summary (get_chat_context + chat_summaries),
// rate replies (message_feedback) and read the daily aggregate as the backend
// (message_feedback_daily). Each refusal with its HTTP status and SQLSTATE.
//
// Not a seed's replay: these clients are made here, so the per-seed call counts stay the seeds'
// own. Spec: migrations/20261206120000_trees_branches.sql … 20261206120300_trees_summaries.sql.
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
type Db = ReturnType<typeof asUser>;

interface ContextMessage {
  id: string; role: 'user' | 'assistant'; content: string; token_count: number;
  parent_id: string | null; sibling_index: number; sibling_count: number;
}
interface ChatContext {
  memories: unknown[];
  summary: { id: string; content: string; token_count: number; through_message_id: string } | null;
  messages: ContextMessage[];
  memory_tokens: number; summary_tokens: number; message_tokens: number; total_tokens: number; max_tokens: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The session's current branch as get_chat_history gives it (newest first).
async function history(db: Db, sessionId: string) {
  return ok(await db.rpc('get_chat_history', { p_session_id: sessionId }), 'get_chat_history');
}
async function currentLeaf(db: Db, sessionId: string): Promise<string | null> {
  const row = ok(await db.from('chat_sessions').select('id, current_leaf_id').eq('id', sessionId).single(), 'current_leaf_id');
  assert.equal(row.id, sessionId);
  return row.current_leaf_id;
}
async function context(db: Db, args: { p_max_tokens: number; p_session_id: string; p_summary_tokens?: number }) {
  return ok(await db.rpc('get_chat_context', args), 'get_chat_context') as unknown as ChatContext;
}
// Stores the turns in a new session; their (user message, AI reply) ids, oldest first.
async function storeTurns(db: Db, sessionId: string, turns: [string, string][]) {
  const ids: { user: string; ai: string }[] = [];
  for (const [q, a] of turns) {
    const ai = ok(await db.rpc('store_chat_pair', { p_user_message: q, p_ai_response: a, p_session_id: sessionId }), 'store_chat_pair');
    const row = ok(await db.from('chat_messages').select('reply_to').eq('id', ai).single());
    ids.push({ user: row.reply_to!, ai });
  }
  return ids;
}

test('store_chat_pair as a signed-in user without p_user_id (was 404 PGRST202)', async () => {
  const alice = await createUser();
  const db = asUser(alice.id);
  const reply = ok(await db.rpc('store_chat_pair', { p_user_message: 'Hello there', p_ai_response: 'Hi, Alice' }), 'store_chat_pair');
  assert.match(reply, UUID);
  const rows = ok(await db.from('chat_messages').select('id, user_id, sender_type, message_text, reply_to, session_id')
    .eq('user_id', alice.id).order('timestamp'));
  assert.deepEqual(rows.map((r) => [r.sender_type, r.message_text, r.user_id]),
    [['user', 'Hello there', alice.id], ['ai', 'Hi, Alice', alice.id]], 'the pair is hers');
  assert.equal(rows[1].id, reply, 'it returns the AI reply id');
  assert.equal(rows[1].reply_to, rows[0].id);
  // and for another user's id it is still refused
  const bob = await createUser();
  refused(await db.rpc('store_chat_pair', { p_user_message: 'x', p_ai_response: 'y', p_user_id: bob.id }), { status: 403, code: '42501' });
  // a missing text is refused as blank, not a 404 for a missing function
  refused(await db.rpc('store_chat_pair', { p_user_message: 'only half' }), { status: 400, code: '22023' });
});

test('regenerate, edit, switch_branch: history follows the current branch; current_leaf_id', async () => {
  const alice = await createUser();
  const db = asUser(alice.id);
  const session = randomUUID();
  const [t1, t2, t3] = await storeTurns(db, session, [
    ['I want to learn the guitar', 'Great! Acoustic or electric?'],
    ['Acoustic, I think', 'Start with three chords: G, C and D.'],
    ['How long should I practise?', 'Fifteen minutes a day is plenty.'],
  ]);

  let h = await history(db, session);
  assert.deepEqual(h.map((r) => [r.user_message_id, r.ai_message_id]),
    [[t3.user, t3.ai], [t2.user, t2.ai], [t1.user, t1.ai]], 'three turns, newest first');
  assert.ok(h.every((r) => r.user_sibling_index === 1 && r.user_sibling_count === 1
    && r.ai_sibling_index === 1 && r.ai_sibling_count === 1), 'a linear session has no siblings');
  assert.equal(await currentLeaf(db, session), t3.ai);

  // regenerate the last reply: a second child of the same user message, now current
  const again = ok(await db.rpc('regenerate_reply', { p_user_message_id: t3.user, p_ai_response: 'Twenty minutes, most days.',
    p_model: 'gpt-test', p_prompt_tokens: 40, p_completion_tokens: 8 }), 'regenerate_reply');
  assert.match(again, UUID);
  assert.notEqual(again, t3.ai);
  const row = ok(await db.from('chat_messages').select('user_id, sender_type, reply_to, parent_id, model, session_id').eq('id', again).single());
  assert.deepEqual(row, { user_id: alice.id, sender_type: 'ai', reply_to: t3.user, parent_id: t3.user, model: 'gpt-test', session_id: session });
  h = await history(db, session);
  assert.equal(h.length, 3, 'still three turns: the regenerated reply replaces the old one on the branch');
  assert.deepEqual([h[0].user_message_id, h[0].ai_message_id, h[0].ai_response], [t3.user, again, 'Twenty minutes, most days.']);
  assert.deepEqual([h[0].ai_sibling_index, h[0].ai_sibling_count], [2, 2]);
  assert.deepEqual([h[0].user_sibling_index, h[0].user_sibling_count], [1, 1]);
  assert.equal(await currentLeaf(db, session), again);

  // edit the second message: a sibling of it with its own reply; the old continuation leaves the history
  const edited = ok(await db.rpc('edit_user_message', { p_message_id: t2.user, p_user_message: 'Electric, actually', p_ai_response: 'Then start with power chords.' }), 'edit_user_message');
  const editedReply = ok(await db.from('chat_messages').select('reply_to, sender_type').eq('id', edited).single());
  assert.equal(editedReply.sender_type, 'ai');
  const newUser = editedReply.reply_to!;
  const newUserRow = ok(await db.from('chat_messages').select('message_text, sender_type, previous_id, parent_id').eq('id', newUser).single());
  assert.deepEqual(newUserRow, { message_text: 'Electric, actually', sender_type: 'user', previous_id: t1.ai, parent_id: t1.ai },
    'the new version follows the same message as the edited one');
  h = await history(db, session);
  assert.deepEqual(h.map((r) => [r.user_message_id, r.ai_message_id]), [[newUser, edited], [t1.user, t1.ai]],
    'the edited branch: turn 1 and the new version, nothing after the old message');
  assert.deepEqual([h[0].user_message, h[0].ai_response], ['Electric, actually', 'Then start with power chords.']);
  assert.deepEqual([h[0].user_sibling_index, h[0].user_sibling_count], [2, 2]);
  assert.deepEqual([h[0].ai_sibling_index, h[0].ai_sibling_count], [1, 1]);
  assert.ok(!h.some((r) => r.user_message_id === t3.user || r.user_message_id === t2.user));
  assert.equal(await currentLeaf(db, session), edited);

  // switch back to the first version: the newest leaf under it (the regenerated reply) is current
  const leaf = ok(await db.rpc('switch_branch', { p_message_id: t2.user }), 'switch_branch');
  assert.equal(leaf, again);
  h = await history(db, session);
  assert.deepEqual(h.map((r) => [r.user_message_id, r.ai_message_id]), [[t3.user, again], [t2.user, t2.ai], [t1.user, t1.ai]]);
  assert.deepEqual([h[1].user_sibling_index, h[1].user_sibling_count], [1, 2], 'the old version is 1 of 2');
  assert.deepEqual([h[0].ai_sibling_index, h[0].ai_sibling_count], [2, 2]);
  assert.equal(await currentLeaf(db, session), again);
  const picked = ok(await db.from('chat_sessions').select('selected_leaf_id').eq('id', session).single());
  assert.equal(picked.selected_leaf_id, again, 'the server records the picked leaf');

  // switch to the first reply of turn 3: a leaf is its own newest leaf
  assert.equal(ok(await db.rpc('switch_branch', { p_message_id: t3.ai })), t3.ai);
  h = await history(db, session);
  assert.deepEqual([h[0].ai_message_id, h[0].ai_sibling_index, h[0].ai_sibling_count], [t3.ai, 1, 2]);
  assert.equal(await currentLeaf(db, session), t3.ai);

  // a new turn continues the picked branch and becomes current
  const [t4] = await storeTurns(db, session, [['Thanks!', 'Have fun playing.']]);
  const t4Row = ok(await db.from('chat_messages').select('previous_id').eq('id', t4.user).single());
  assert.equal(t4Row.previous_id, t3.ai, 'the next turn follows the picked reply');
  assert.equal(await currentLeaf(db, session), t4.ai);
  // selected_leaf_id is the server's: a client's value is ignored
  ok(await db.from('chat_sessions').update({ selected_leaf_id: t1.ai, title: 'Guitar' }).eq('id', session));
  const kept = ok(await db.from('chat_sessions').select('title, selected_leaf_id').eq('id', session).single());
  assert.deepEqual(kept, { title: 'Guitar', selected_leaf_id: t3.ai });
  assert.equal(await currentLeaf(db, session), t4.ai);
});

test('get_chat_context follows the branch; a summary that ends on it before the window is included', async () => {
  const alice = await createUser();
  const db = asUser(alice.id);
  const session = randomUUID();
  const [t1, t2, t3, t4] = await storeTurns(db, session, [
    ['My name is Rahim and I live in Sylhet', 'Nice to meet you, Rahim.'],
    ['I have a job interview on Friday', 'Good luck! What is the role?'],
    ['A junior data analyst position', 'Review SQL joins and window functions.'],
    ['Any tips for nerves?', 'Breathe slowly and prepare two stories.'],
  ]);
  const branchIds = (ts: { user: string; ai: string }[]) => ts.flatMap((t) => [t.user, t.ai]);

  const full = await context(db, { p_max_tokens: 4000, p_session_id: session });
  assert.deepEqual(full.messages.map((m) => m.id), branchIds([t1, t2, t3, t4]), 'the branch, oldest first');
  assert.deepEqual(full.messages.map((m) => m.parent_id), [null, t1.user, t1.ai, t2.user, t2.ai, t3.user, t3.ai, t4.user]);
  assert.ok(full.messages.every((m) => m.sibling_index === 1 && m.sibling_count === 1));
  assert.equal(full.summary, null);
  const tokens = new Map(full.messages.map((m) => [m.id, m.token_count]));
  const cost = (...ts: { user: string; ai: string }[]) => ts.reduce((s, t) => s + tokens.get(t.user)! + tokens.get(t.ai)!, 0);

  // the app's LLM summarised turns 1-2; the user's client stores it (token_count is the server's)
  const s2 = ok(await db.from('chat_summaries').insert({
    session_id: session, through_message_id: t2.ai, summary: 'Rahim from Sylhet has a job interview on Friday.', model: 'gpt-test',
  }).select('id, user_id, token_count').single(), 'chat_summaries insert');
  assert.equal(s2.user_id, alice.id);
  assert.ok(s2.token_count! > 0 && s2.token_count! < 50, `token_count ${s2.token_count}`);
  refused(await db.from('chat_summaries').insert({ session_id: session, through_message_id: t2.ai, summary: 'x', token_count: 1 } as never),
    { status: 400, code: '428C9' });

  const SUMMARY = 50;
  // the window holds turns 3-4: the summary (through turn 2) goes before them
  let ctx = await context(db, { p_max_tokens: cost(t3, t4) + SUMMARY, p_session_id: session, p_summary_tokens: SUMMARY });
  assert.deepEqual(ctx.messages.map((m) => m.id), branchIds([t3, t4]));
  assert.equal(ctx.summary?.id, s2.id);
  assert.equal(ctx.summary?.through_message_id, t2.ai);
  assert.equal(ctx.summary?.content, 'Rahim from Sylhet has a job interview on Friday.');
  assert.equal(ctx.summary_tokens, s2.token_count);
  assert.equal(ctx.total_tokens, ctx.message_tokens + ctx.summary_tokens);
  assert.equal(ctx.message_tokens, cost(t3, t4));
  // no summary asked for: none
  ctx = await context(db, { p_max_tokens: cost(t3, t4) + SUMMARY, p_session_id: session });
  assert.equal(ctx.summary, null);
  // every turn fits: the summary would repeat turns in the window, so it is left out
  ctx = await context(db, { p_max_tokens: 4000, p_session_id: session, p_summary_tokens: SUMMARY });
  assert.equal(ctx.messages.length, 8);
  assert.equal(ctx.summary, null);
  assert.equal(ctx.summary_tokens, 0);

  // edit turn 2: the new branch (turn 1, turn 2') does not contain the summary's message
  const e2 = ok(await db.rpc('edit_user_message', { p_message_id: t2.user, p_user_message: 'I have an exam on Friday', p_ai_response: 'Which subject?' }));
  const e2User = ok(await db.from('chat_messages').select('reply_to').eq('id', e2).single()).reply_to!;
  const edited = { user: e2User, ai: e2 };
  ctx = await context(db, { p_max_tokens: 4000, p_session_id: session });
  assert.deepEqual(ctx.messages.map((m) => m.id), branchIds([t1, edited]), 'the edited branch only');
  assert.deepEqual(ctx.messages.map((m) => [m.sibling_index, m.sibling_count]), [[1, 1], [1, 1], [2, 2], [1, 1]]);

  // back to the first version: the summary is on the branch again
  assert.equal(ok(await db.rpc('switch_branch', { p_message_id: t2.user })), t4.ai);
  ctx = await context(db, { p_max_tokens: cost(t3, t4) + SUMMARY, p_session_id: session, p_summary_tokens: SUMMARY });
  assert.deepEqual(ctx.messages.map((m) => m.id), branchIds([t3, t4]));
  assert.equal(ctx.summary?.id, s2.id);

  // and to the edited one: the window holds turn 2' only, whose message is newer than the summary's,
  // yet the summary is not on this branch, so it is left out
  assert.equal(ok(await db.rpc('switch_branch', { p_message_id: e2User })), e2);
  const editedFull = await context(db, { p_max_tokens: 4000, p_session_id: session });
  const editedCost = editedFull.messages.slice(2).reduce((s, m) => s + m.token_count, 0);
  ctx = await context(db, { p_max_tokens: editedCost + SUMMARY, p_session_id: session, p_summary_tokens: SUMMARY });
  assert.deepEqual(ctx.messages.map((m) => m.id), branchIds([edited]));
  assert.equal(ctx.summary, null, 'a summary whose through_message_id is not on the current branch is never used');
  assert.equal(ctx.summary_tokens, 0);

  // a summary through turn 1 is on both branches: on this one it is the one used
  const s1 = ok(await db.from('chat_summaries').insert({ session_id: session, through_message_id: t1.ai, summary: 'Rahim lives in Sylhet.' })
    .select('id').single());
  ctx = await context(db, { p_max_tokens: editedCost + SUMMARY, p_session_id: session, p_summary_tokens: SUMMARY });
  assert.equal(ctx.summary?.id, s1.id);
  assert.deepEqual(ctx.messages.map((m) => m.id), branchIds([edited]));

  // someone else's message or session cannot be summarised
  const bob = await createUser();
  refused(await asUser(bob.id).from('chat_summaries').insert({ session_id: session, through_message_id: t1.ai, summary: 'mine now' }),
    { status: 409, code: '23503' });
  refused(await db.rpc('get_chat_context', { p_max_tokens: 100, p_summary_tokens: 10 }), { status: 400, code: '22023' });
});

test('feedback: rate, change (upsert), delete; refusals; the daily aggregate for the backend only', async () => {
  const alice = await createUser();
  const bob = await createUser();
  const db = asUser(alice.id);
  const model = `model-${randomUUID()}`;   // this test's own rows in the aggregate
  const usage = { p_model: model, p_prompt_tokens: 120, p_completion_tokens: 30 };
  const a1 = ok(await db.rpc('store_chat_pair', { p_user_message: 'Tell me a joke', p_ai_response: 'Why did the chicken…', ...usage }));
  const a2 = ok(await db.rpc('store_chat_pair', { p_user_message: 'Another one', p_ai_response: 'Knock knock.', ...usage }));
  const a1Row = ok(await db.from('chat_messages').select('model, reply_to').eq('id', a1).single());
  assert.equal(a1Row.model, model, 'store_chat_pair keeps p_model on the reply');
  const usageDays = ok(await db.rpc('get_my_usage', {}));
  assert.equal(usageDays[0].total_tokens, 300, 'and meters the usage');

  // rate: user_id defaults to the signed-in user
  const first = ok(await db.from('message_feedback').insert({ message_id: a1, rating: 1, reason: 'helpful' })
    .select('id, user_id, message_id, rating, reason, comment').single(), 'feedback insert');
  assert.deepEqual({ ...first, id: undefined }, { id: undefined, user_id: alice.id, message_id: a1, rating: 1, reason: 'helpful', comment: null });

  // change it: upsert on (user_id, message_id) updates the same row
  const changed = ok(await db.from('message_feedback')
    .upsert({ user_id: alice.id, message_id: a1, rating: -1, reason: 'inaccurate', comment: 'Not funny.' }, { onConflict: 'user_id,message_id' })
    .select('id, rating, reason, comment').single(), 'feedback upsert');
  assert.deepEqual(changed, { id: first.id, rating: -1, reason: 'inaccurate', comment: 'Not funny.' });
  const mine = ok(await db.from('message_feedback').select('id, rating').eq('message_id', a1));
  assert.deepEqual(mine, [{ id: first.id, rating: -1 }], 'one rating per user and reply');
  ok(await db.from('message_feedback').insert({ message_id: a2, rating: 1, reason: 'creative' }));

  // refusals
  refused(await db.from('message_feedback').insert({ message_id: a2, rating: 2 }), { status: 400, code: '23514' });
  refused(await db.from('message_feedback').update({ rating: 0 }).eq('message_id', a1), { status: 400, code: '23514' });
  refused(await db.from('message_feedback').insert({ message_id: a2, rating: 1, reason: 'meh' }), { status: 400, code: '23514' });
  refused(await db.from('message_feedback').insert({ message_id: a2, rating: 1, comment: 'x'.repeat(1001) }), { status: 400, code: '23514' });
  const bobReply = ok(await asUser(bob.id).rpc('store_chat_pair', { p_user_message: 'hi', p_ai_response: 'hello Bob' }));
  refused(await db.from('message_feedback').insert({ message_id: bobReply, rating: -1 }), { status: 409, code: '23503' });
  refused(await db.from('message_feedback').insert({ message_id: a1Row.reply_to!, rating: 1 }), { status: 400, code: '22023' });
  // rating as bob: the reply is not one of "her own" replies she can see (the check runs before RLS's)
  refused(await db.from('message_feedback').insert({ user_id: bob.id, message_id: bobReply, rating: -1 }), { status: 409, code: '23503' });
  refused(await db.from('message_feedback').insert({ user_id: bob.id, message_id: a2, rating: -1 }), { status: 409, code: '23503' });
  refused(await anon.from('message_feedback').insert({ message_id: a1, rating: 1 }), { status: 401, code: '42501' });
  assert.deepEqual(ok(await asUser(bob.id).from('message_feedback').select('id')), [], 'bob sees none of hers');

  // the backend's daily aggregate, per model
  const day = (await sql<{ day: string }>("select (now() at time zone 'UTC')::date::text as day"))[0].day;
  let daily = ok(await backend.from('message_feedback_daily').select('model, day, up, down, up_reasons, down_reasons').eq('model', model));
  assert.deepEqual(daily, [{ model, day, up: 1, down: 1, up_reasons: { creative: 1 }, down_reasons: { inaccurate: 1 } }]);
  refused(await db.from('message_feedback_daily').select('model'), { status: 403, code: '42501' });
  refused(await anon.from('message_feedback_daily').select('model'), { status: 401, code: '42501' });

  // delete a rating: it leaves the aggregate
  const gone = ok(await db.from('message_feedback').delete().eq('message_id', a2).select('id'));
  assert.equal(gone.length, 1);
  assert.deepEqual(ok(await asUser(bob.id).from('message_feedback').delete().eq('message_id', a1).select('id')), [], 'not someone else\'s');
  daily = ok(await backend.from('message_feedback_daily').select('model, day, up, down, up_reasons, down_reasons').eq('model', model));
  assert.deepEqual(daily, [{ model, day, up: 0, down: 1, up_reasons: {}, down_reasons: { inaccurate: 1 } }]);
});

test('refusals of the branch RPCs, and the service role acting for a user', async () => {
  const alice = await createUser();
  const bob = await createUser();
  const db = asUser(alice.id);
  const bobDb = asUser(bob.id);
  const session = randomUUID();
  const [t1] = await storeTurns(db, session, [['What is a haiku?', 'A short poem in three lines.']]);
  const [b1] = await storeTurns(bobDb, randomUUID(), [['Bob asks', 'Bob is answered']]);
  const loose = ok(await db.rpc('store_chat_pair', { p_user_message: 'no session', p_ai_response: 'none' }));
  const looseUser = ok(await db.from('chat_messages').select('reply_to').eq('id', loose).single()).reply_to!;

  refused(await db.rpc('regenerate_reply', { p_user_message_id: t1.ai, p_ai_response: 'again' }), { status: 400, code: '22023' });
  refused(await db.rpc('regenerate_reply', { p_user_message_id: b1.user, p_ai_response: 'again' }), { status: 404, code: 'PT404' });
  refused(await db.rpc('regenerate_reply', { p_user_message_id: randomUUID(), p_ai_response: 'again' }), { status: 404, code: 'PT404' });
  refused(await db.rpc('regenerate_reply', { p_user_message_id: t1.user, p_ai_response: '   ' }), { status: 400, code: '22023' });
  refused(await db.rpc('regenerate_reply', { p_user_message_id: looseUser, p_ai_response: 'again' }), { status: 400, code: '22023' });
  refused(await anon.rpc('regenerate_reply', { p_user_message_id: t1.user, p_ai_response: 'again' }), { status: 401, code: '42501' });
  refused(await db.rpc('edit_user_message', { p_message_id: t1.ai, p_user_message: 'x', p_ai_response: 'y' }), { status: 400, code: '22023' });
  refused(await db.rpc('edit_user_message', { p_message_id: b1.user, p_user_message: 'x', p_ai_response: 'y' }), { status: 404, code: 'PT404' });
  refused(await anon.rpc('edit_user_message', { p_message_id: t1.user, p_user_message: 'x', p_ai_response: 'y' }), { status: 401, code: '42501' });
  refused(await db.rpc('switch_branch', { p_message_id: b1.user }), { status: 404, code: 'PT404' });
  refused(await db.rpc('switch_branch', { p_message_id: looseUser }), { status: 400, code: '22023' });
  refused(await anon.rpc('switch_branch', { p_message_id: t1.user }), { status: 401, code: '42501' });
  refused(await db.rpc('regenerate_reply', { p_user_message_id: t1.user, p_ai_response: 'again', p_user_id: bob.id }), { status: 403, code: '42501' });
  const h = await history(db, session);
  assert.deepEqual(h.map((r) => [r.ai_message_id, r.ai_sibling_count]), [[t1.ai, 1]], 'nothing was written by the refusals');

  // the backend (service key) regenerates for alice, naming her
  const viaBackend = ok(await backend.rpc('regenerate_reply', {
    p_user_message_id: t1.user, p_ai_response: 'Five, seven, five syllables.', p_user_id: alice.id,
  }), 'regenerate_reply (service role)');
  const row = ok(await db.from('chat_messages').select('user_id, reply_to, message_text').eq('id', viaBackend).single());
  assert.deepEqual(row, { user_id: alice.id, reply_to: t1.user, message_text: 'Five, seven, five syllables.' });
  const after = await history(db, session);
  assert.deepEqual(after.map((r) => [r.ai_message_id, r.ai_sibling_index, r.ai_sibling_count]), [[viaBackend, 2, 2]]);
  assert.equal(await currentLeaf(db, session), viaBackend);
  const forAlice = ok(await backend.rpc('get_chat_history', { p_session_id: session, p_user_id: alice.id }));
  assert.deepEqual(forAlice, after, 'the backend reads the same branch for her');
  refused(await backend.rpc('regenerate_reply', { p_user_message_id: t1.user, p_ai_response: 'again' }), { status: 400, code: '22023' });
  refused(await backend.rpc('regenerate_reply', { p_user_message_id: t1.user, p_ai_response: 'again', p_user_id: bob.id }), { status: 404, code: 'PT404' });
  assert.equal(ok(await backend.rpc('switch_branch', { p_message_id: t1.ai, p_user_id: alice.id })), t1.ai);
  assert.equal(await currentLeaf(db, session), t1.ai);
});

test('editing the first message of a session makes a second root; paging follows the branch', async () => {
  const alice = await createUser();
  const db = asUser(alice.id);
  const session = randomUUID();
  const [t1, t2] = await storeTurns(db, session, [['Hi', 'Hello! How can I help?'], ['Tell me about tea', 'Tea comes from Camellia sinensis.']]);
  const e1 = ok(await db.rpc('edit_user_message', { p_message_id: t1.user, p_user_message: 'Good morning', p_ai_response: 'Good morning to you!' }));
  const e1User = ok(await db.from('chat_messages').select('reply_to').eq('id', e1).single()).reply_to!;
  const root = ok(await db.from('chat_messages').select('previous_id, parent_id, session_id').eq('id', e1User).single());
  assert.deepEqual(root, { previous_id: null, parent_id: null, session_id: session }, 'a new first message');
  let h = await history(db, session);
  assert.deepEqual(h.map((r) => [r.user_message_id, r.user_sibling_index, r.user_sibling_count]), [[e1User, 2, 2]]);
  assert.equal(ok(await db.rpc('switch_branch', { p_message_id: t1.user })), t2.ai);
  h = ok(await db.rpc('get_chat_history', { p_session_id: session, p_limit: 1, p_offset: 1 }));
  assert.deepEqual(h.map((r) => [r.user_message_id, r.user_sibling_index, r.user_sibling_count]), [[t1.user, 1, 2]]);
  // a GET (STABLE) reads the same branch
  h = ok(await db.rpc('get_chat_history', { p_session_id: session }, { get: true }));
  assert.deepEqual(h.map((r) => r.ai_message_id), [t2.ai, t1.ai]);
});
