// Seed 000, Understand.me (Expo app + Edge Functions, supabase-js): its Part 3 calls as written,
// then what the app does next: a host creates a session, invites by email, the invitee accepts,
// both post, and the transcript is read with the profiles(...) embed.
import { test, before } from 'node:test';
import {
  assert, replaySeed, createUser, uniqueEmail, sql, ok, refused, randomUUID,
} from './helpers.ts';
import type { Client, User } from './helpers.ts';
import type { TablesInsert } from '../../types/database.ts';

const seed = replaySeed('000', 'Understand.me');
let host: User, guest: User, stranger: User;          // users
let hostDb: Client, guestDb: Client, strangerDb: Client;    // their apps' clients
let sessionId: string;                                  // the session the flow runs in

// Part 3.3, as written.
async function getProfile(supabase: Client, userId: string) {
  const { data, error } = await supabase.from('profiles').select('*').eq('id', userId).single();
  if (error) throw error;
  return data;
}
async function createSession(supabase: Client, sessionData: TablesInsert<'sessions'>) {
  return supabase.from('sessions').insert(sessionData).select().single();
}
async function getSessionMessages(supabase: Client, sessionId: string) {
  return supabase
    .from('session_messages')
    .select(`
      id,
      timestamp,
      content,
      message_type,
      profiles (id, full_name, avatar_url)
    `)
    .eq('session_id', sessionId)
    .order('timestamp', { ascending: true });
}
const myParticipantRow = (db: Client, sid: string, uid: string) =>
  db.from('session_participants').select('*').eq('session_id', sid).eq('profile_id', uid).maybeSingle();

before(async () => {
  host = await createUser({ fullName: 'Hana Host' });
  guest = await createUser({ email: uniqueEmail('guest'), fullName: 'Gil Guest' });
  stranger = await createUser({ fullName: 'Sam Stranger' });
  hostDb = seed.asUser(host.id);
  guestDb = seed.asUser(guest.id);
  strangerDb = seed.asUser(stranger.id);
});

test('getProfile: .select(*).eq(id).single() returns the signed-in user\'s own profile', async () => {
  const profile = await getProfile(hostDb, host.id);
  assert.equal(profile.id, host.id);
  assert.equal(profile.full_name, 'Hana Host');
  assert.equal(profile.email, host.email);
  assert.equal(profile.onboarding_completed, false);
  // someone else's profile: no row, so .single() answers PGRST116 (406)
  refused(await strangerDb.from('profiles').select('*').eq('id', host.id).single(),
    { status: 406, code: 'PGRST116' });
});

test('issue 10 #1: a user upserts their own profile {id, full_name, avatar_url, updated_at}', async () => {
  const sent = { id: host.id, full_name: 'Hana H.', avatar_url: 'https://cdn.example/hana.png',
    updated_at: '2000-01-01T00:00:00Z' };
  const row = ok(await hostDb.from('profiles').upsert(sent).select().single(), 'profiles upsert');
  assert.equal(row.full_name, 'Hana H.');
  assert.equal(row.avatar_url, 'https://cdn.example/hana.png');
  // updated_at is the server's: the client's stale value is ignored
  assert.ok(new Date(row.updated_at).getFullYear() > 2020, `updated_at ${row.updated_at}`);
  const back = await getProfile(hostDb, host.id);
  assert.equal(back.full_name, 'Hana H.');
  assert.equal(back.email, host.email, 'email untouched');
});

test('issue 10 #1: profiles.id defaults to the caller; an upsert without id updates their own row', async () => {
  const [col] = await sql(`select column_default from information_schema.columns
                           where table_schema = 'public' and table_name = 'profiles' and column_name = 'id'`);
  assert.match(col.column_default ?? '', /auth\.uid\(\)/);
  const row = ok(await hostDb.from('profiles').upsert({ full_name: 'Hana Host' }).select().single(),
    'profiles upsert without id');
  assert.equal(row.id, host.id);
  assert.equal((await getProfile(hostDb, host.id)).full_name, 'Hana Host');
});

test('issue 10 #1: upserting another user\'s profile or the email column is refused (42501)', async () => {
  refused(await strangerDb.from('profiles').upsert({ id: host.id, full_name: 'Hijacked' }),
    { status: 403, code: '42501' });
  refused(await strangerDb.from('profiles').upsert({ id: randomUUID(), full_name: 'Nobody' }),
    { status: 403, code: '42501' });
  refused(await hostDb.from('profiles').upsert({ id: host.id, email: 'taken@example.test' }),
    { status: 403, code: '42501' });
  refused(await hostDb.from('profiles').update({ email: 'taken@example.test' }).eq('id', host.id),
    { status: 403, code: '42501' });
  const [row] = await sql('select full_name, email from public.profiles where id = $1', [host.id]);
  assert.deepEqual(row, { full_name: 'Hana Host', email: host.email });
});

test('profiles: an oversized full_name is a 400 and changes nothing', async () => {
  refused(await hostDb.from('profiles').upsert({ id: host.id, full_name: 'x'.repeat(100_000) }),
    { status: 400 });
  assert.equal((await getProfile(hostDb, host.id)).full_name, 'Hana Host');
});

test('createSession: .insert(sessionData).select().single(); the host is its first participant', async () => {
  const session = ok(await createSession(hostDb, {
    host_id: host.id,
    title: 'Kitchen rota',
    description_context: 'Who does the dishes',
    session_type: 'mediated_discussion',
  }), 'createSession');
  sessionId = session.id;
  assert.equal(session.host_id, host.id);
  assert.equal(session.status, 'scheduled');
  const me = ok(await myParticipantRow(hostDb, sessionId, host.id));
  assert.equal(me.role, 'host');
  assert.equal(me.invitation_status, 'accepted');
  // a session hosted by someone else cannot be created
  refused(await createSession(strangerDb, { host_id: host.id, title: 'Not mine' }),
    { status: 403, code: '42501' });
});

test('the host adds a participant they know; the invitee sees the pending row and accepts it', async () => {
  ok(await hostDb.from('session_participants').insert({ session_id: sessionId, profile_id: guest.id, role: 'participant' }));
  const pending = ok(await guestDb.from('session_participants').select('*')
    .eq('profile_id', guest.id).eq('invitation_status', 'pending'));
  assert.deepEqual(pending.map((r) => r.session_id), [sessionId]);
  const session = ok(await guestDb.from('sessions').select('*').eq('id', sessionId).single());
  assert.equal(session.title, 'Kitchen rota');
  // the invitee does not see the host's profile before accepting, nor anyone's email
  assert.deepEqual(ok(await guestDb.from('profiles').select('*').eq('id', host.id)), []);
  // the seed's own accept: update their participant row
  const accepted = ok(await guestDb.from('session_participants')
    .update({ invitation_status: 'accepted' })
    .eq('session_id', sessionId).eq('profile_id', guest.id)
    .select().single(), 'accept');
  assert.equal(accepted.invitation_status, 'accepted');
  assert.ok(accepted.joined_at, 'joined_at is set by the server');
});

test('the host starts the session (update … .eq(id))', async () => {
  const s = ok(await hostDb.from('sessions')
    .update({ status: 'in_progress', actual_start_time: new Date().toISOString() })
    .eq('id', sessionId).select().single());
  assert.equal(s.status, 'in_progress');
  // only the host updates the session: nothing changes for anyone else
  assert.deepEqual(ok(await guestDb.from('sessions').update({ title: 'Mine now' }).eq('id', sessionId).select()), []);
});

test('participants post with their participant row (the form every pg_convo version accepts)', async () => {
  const rowOf = async (db: Client, uid: string) => ok(await myParticipantRow(db, sessionId, uid)).id;
  const post = async (db: Client, uid: string, content: string, message_type: string) =>
    ok(await db.from('session_messages').insert({
      session_id: sessionId, session_participant_id: await rowOf(db, uid), profile_id: uid, content, message_type,
    }).select().single(), 'post');
  await post(guestDb, guest.id, 'I did them twice last week.', 'user_typed_message');
  await post(guestDb, guest.id, 'And I am tired.', 'speech_transcript');
  const m = await post(hostDb, host.id, 'Let us find a rota.', 'user_typed_message');
  assert.equal(m.is_edited, false);
});

test('getSessionMessages: the embed profiles (id, full_name, avatar_url), oldest first', async () => {
  const rows = ok(await getSessionMessages(guestDb, sessionId), 'getSessionMessages');
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.content),
    ['I did them twice last week.', 'And I am tired.', 'Let us find a rota.']);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].timestamp <= rows[i].timestamp);
  assert.deepEqual(rows[0].profiles, { id: guest.id, full_name: 'Gil Guest', avatar_url: null });
  assert.equal(rows[2].profiles?.id, host.id);
  assert.deepEqual(Object.keys(rows[0]).sort(), ['content', 'id', 'message_type', 'profiles', 'timestamp']);
  // a stranger reads nothing of it
  assert.deepEqual(ok(await getSessionMessages(strangerDb, sessionId)), []);
});

test('pagination with .range(): the second page of the transcript', async () => {
  const page = ok(await guestDb.from('session_messages').select('content')
    .eq('session_id', sessionId).order('timestamp', { ascending: true }).range(1, 2));
  assert.deepEqual(page.map((r) => r.content), ['And I am tired.', 'Let us find a rota.']);
});

let invitationForInvitee: string, invitationForNewcomer: string, newcomerEmail: string;
let invitee: User, inviteSessionId: string;

test('issue 10 #6 setup: a second session to invite into', async () => {
  invitee = await createUser({ email: uniqueEmail('invitee'), fullName: 'Ivo Invitee' });
  inviteSessionId = ok(await createSession(hostDb, { host_id: host.id, title: 'Budget talk' })).id;
});

test('issue 10 #6: the host invites by email; same answer whether or not the address has an account', async () => {
  const visibleBefore = ok(await hostDb.from('session_participants').select('id').eq('session_id', inviteSessionId));
  newcomerEmail = uniqueEmail('newcomer');
  const a = await hostDb.rpc('invite_to_session',
    { p_session_id: inviteSessionId, p_email: invitee.email, p_role: 'participant' });
  const b = await hostDb.rpc('invite_to_session',
    { p_session_id: inviteSessionId, p_email: newcomerEmail, p_role: 'participant' });
  invitationForInvitee = ok(a, 'invite an existing account');
  invitationForNewcomer = ok(b, 'invite an address without an account');
  assert.ok(invitationForInvitee, 'returns the invitation id');
  assert.equal(a.status, b.status);
  assert.equal(typeof invitationForInvitee, typeof invitationForNewcomer);
  assert.notDeepEqual(invitationForInvitee, invitationForNewcomer);
  // the host's view of the participants does not change (it would tell that the address has an account)
  const visibleAfter = ok(await hostDb.from('session_participants').select('id').eq('session_id', inviteSessionId));
  assert.equal(visibleAfter.length, visibleBefore.length);
});

test('issue 10 #6: an Edge Function (service key) invites for the host it names', async () => {
  const admin = seed.asService();
  const id = ok(await admin.rpc('invite_to_session',
    { p_session_id: inviteSessionId, p_email: uniqueEmail('viaBackend'), p_role: 'observer', p_user_id: host.id }));
  const [row] = ok(await hostDb.from('session_invitations').select('role, status').eq('id', id));
  assert.deepEqual(row, { role: 'observer', status: 'pending' });
  refused(await admin.rpc('invite_to_session',
    { p_session_id: inviteSessionId, p_email: uniqueEmail('noUser'), p_role: 'participant' }), { status: 400, code: '22023' });
  refused(await admin.rpc('invite_to_session',
    { p_session_id: inviteSessionId, p_email: uniqueEmail('notHost'), p_role: 'participant', p_user_id: stranger.id }),
  { status: 403, code: '42501' });
});

test('issue 10 #6: the host reads the invitations of their session by email and status', async () => {
  const forInvitee = ok(await hostDb.from('session_invitations').select('*')
    .eq('session_id', inviteSessionId).eq('email', invitee.email).eq('status', 'pending'));
  const forNewcomer = ok(await hostDb.from('session_invitations').select('*')
    .eq('session_id', inviteSessionId).eq('email', newcomerEmail).eq('status', 'pending'));
  assert.equal(forInvitee.length, 1);
  assert.equal(forNewcomer.length, 1);
  // the two rows differ only in their own identity, never in anything that tells "has an account"
  const own = new Set(['id', 'email', 'created_at', 'updated_at', 'invited_at', 'expires_at', 'token']);
  assert.deepEqual(Object.keys(forInvitee[0]).sort(), Object.keys(forNewcomer[0]).sort());
  type Column = keyof typeof forInvitee[0];
  for (const k of (Object.keys(forInvitee[0]) as Column[]).filter((k) => !own.has(k))) {
    assert.deepEqual(forInvitee[0][k], forNewcomer[0][k], `session_invitations.${k} differs`);
  }
  // a stranger sees no invitation of that session
  assert.deepEqual(ok(await strangerDb.from('session_invitations').select('*').eq('session_id', inviteSessionId)), []);
});

test('issue 10 #6: invite_to_session refuses bad input with a 4xx and writes nothing', async () => {
  const count = async () => (await sql(
    'select count(*)::int as n from public.session_invitations where session_id = $1', [inviteSessionId]))[0].n;
  const before = await count();
  const invite = (args: { p_email: string; p_role?: string }) =>
    hostDb.rpc('invite_to_session', { p_session_id: inviteSessionId, p_role: 'participant', ...args });
  refused(await invite({ p_email: '' }), { status: 400, code: '22023' });
  refused(await invite({ p_email: '   ' }), { status: 400, code: '22023' });
  refused(await invite({ p_email: 'not-an-email' }), { status: 400, code: '22023' });
  refused(await invite({ p_email: `${'a'.repeat(400)}@example.test` }), { status: 400, code: '22023' });
  refused(await invite({ p_email: uniqueEmail('r'), p_role: 'host' }), { status: 400, code: '22023' });
  refused(await hostDb.rpc('invite_to_session', { p_session_id: 'not-a-uuid', p_email: uniqueEmail('m'), p_role: 'participant' }),
    { status: 400 });
  assert.equal(await count(), before);
  // not the host, or no such session: the same refusal, which reveals nothing
  const notHost = refused(await strangerDb.rpc('invite_to_session',
    { p_session_id: inviteSessionId, p_email: uniqueEmail('s'), p_role: 'participant' }));
  const noSession = refused(await strangerDb.rpc('invite_to_session',
    { p_session_id: randomUUID(), p_email: uniqueEmail('s'), p_role: 'participant' }));
  assert.equal(notHost.code, noSession.code);
  assert.equal(notHost.message, noSession.message);
  assert.ok(!JSON.stringify(notHost).includes(inviteSessionId), JSON.stringify(notHost));
  assert.equal(await count(), before);
});

test('issue 10 #6: the invitee with an account sees the pending invitation and the session, and accepts', async () => {
  const inviteeDb = seed.asUser(invitee.id);
  const pending = ok(await inviteeDb.from('session_participants').select('*')
    .eq('profile_id', invitee.id).eq('invitation_status', 'pending'));
  assert.equal(pending.length, 1);
  assert.equal(pending[0].session_id, inviteSessionId);
  const session = ok(await inviteeDb.from('sessions').select('*').eq('id', inviteSessionId).single());
  assert.equal(session.title, 'Budget talk');
  // the invitee does not see the host's profile before accepting, nor anyone's email
  assert.deepEqual(ok(await inviteeDb.from('profiles').select('*').eq('id', host.id)), []);
  // the seed's own accept: update their participant row
  const accepted = ok(await inviteeDb.from('session_participants')
    .update({ invitation_status: 'accepted' })
    .eq('session_id', inviteSessionId).eq('profile_id', invitee.id)
    .select().single(), 'accept');
  assert.equal(accepted.invitation_status, 'accepted');
  assert.ok(accepted.joined_at, 'joined_at is set by the server');
  const inv = ok(await hostDb.from('session_invitations').select('status')
    .eq('session_id', inviteSessionId).eq('email', invitee.email));
  assert.equal(inv.length, 1);
  assert.notEqual(inv[0].status, 'pending', 'the invitation is no longer pending');
});

test('issue 10 #6: an address without an account gets the invitation when it signs up', async () => {
  const newcomer = await createUser({ email: newcomerEmail, fullName: 'Nia Newcomer' });
  const db = seed.asUser(newcomer.id);
  const pending = ok(await db.from('session_participants').select('*')
    .eq('profile_id', newcomer.id).eq('invitation_status', 'pending'));
  assert.equal(pending.length, 1);
  assert.equal(pending[0].session_id, inviteSessionId);
  const row = ok(await db.from('session_participants').update({ invitation_status: 'accepted' })
    .eq('session_id', inviteSessionId).eq('profile_id', newcomer.id).select().single());
  assert.equal(row.invitation_status, 'accepted');
  // nobody else's profile became readable
  assert.deepEqual(ok(await hostDb.from('profiles').select('*').eq('email', newcomerEmail)), []);
  assert.deepEqual(ok(await strangerDb.from('profiles').select('id').in('id', [host.id, invitee.id, newcomer.id])), []);
  assert.deepEqual(ok(await hostDb.from('profiles').select('id').in('id', [invitee.id, newcomer.id])), []);
});

test('issue 10 #6: the invitee who accepted by invitation posts in the session once it runs', async () => {
  ok(await hostDb.from('sessions').update({ status: 'in_progress' }).eq('id', inviteSessionId));
  const msg = ok(await seed.asUser(invitee.id).from('session_messages')
    .insert({ session_id: inviteSessionId, content: 'Thanks for the invite.', message_type: 'user_typed_message' })
    .select().single(), 'post');
  assert.equal(msg.profile_id, invitee.id);
  const rows = ok(await getSessionMessages(hostDb, inviteSessionId));
  assert.deepEqual(rows.map((r) => [r.content, r.profiles?.full_name]), [['Thanks for the invite.', 'Ivo Invitee']]);
});

test('issue 10 #2: a participant posts {session_id, content, message_type}; the server fills in who', async () => {
  const [me] = ok(await guestDb.from('session_participants').select('id')
    .eq('session_id', sessionId).eq('profile_id', guest.id));
  const msg = ok(await guestDb.from('session_messages')
    .insert({ session_id: sessionId, content: 'Can we swap Tuesdays?', message_type: 'user_typed_message' })
    .select().single(), 'post');
  assert.equal(msg.profile_id, guest.id);
  assert.equal(msg.session_participant_id, me.id);
  const withSelf = await guestDb.from('session_messages')
    .insert({ session_id: sessionId, profile_id: guest.id, content: 'Fridays are hard for me.', message_type: 'speech_transcript' })
    .select().single();
  assert.equal(withSelf.status, 201);
  assert.equal(ok(withSelf).session_participant_id, me.id);
  const hostMsg = ok(await hostDb.from('session_messages')
    .insert({ session_id: sessionId, content: 'Swap agreed.', message_type: 'user_typed_message' })
    .select().single());
  assert.equal(hostMsg.profile_id, host.id);
  const transcript = ok(await getSessionMessages(hostDb, sessionId));
  assert.deepEqual(transcript.slice(-3).map((r) => [r.content, r.profiles?.id]),
    [['Can we swap Tuesdays?', guest.id], ['Fridays are hard for me.', guest.id], ['Swap agreed.', host.id]]);
});

test('issue 10 #2: a spoofed profile_id or someone else\'s participant id is refused (403)', async () => {
  const count = async () => (await sql(
    'select count(*)::int as n from public.session_messages where session_id = $1', [sessionId]))[0].n;
  const before = await count();
  const [hostRow] = ok(await hostDb.from('session_participants').select('id')
    .eq('session_id', sessionId).eq('profile_id', host.id));
  refused(await guestDb.from('session_messages')
    .insert({ session_id: sessionId, profile_id: host.id, content: 'spoof', message_type: 'user_typed_message' }),
    { status: 403, code: '42501' });
  refused(await guestDb.from('session_messages')
    .insert({ session_id: sessionId, session_participant_id: hostRow.id, content: 'spoof', message_type: 'user_typed_message' }),
    { status: 403, code: '42501' });
  // Alex's guidance comes from the backend, not from a participant
  refused(await guestDb.from('session_messages')
    .insert({ session_id: sessionId, content: 'I am Alex', message_type: 'alex_guidance' }),
    { status: 403, code: '42501' });
  // a non-participant cannot post at all
  refused(await strangerDb.from('session_messages')
    .insert({ session_id: sessionId, content: 'hello?', message_type: 'user_typed_message' }),
    { status: 403, code: '42501' });
  refused(await guestDb.from('session_messages')
    .insert({ session_id: sessionId, content: 'y'.repeat(1_000_000), message_type: 'user_typed_message' }),
    { status: 400 });
  assert.equal(await count(), before);
});

test('Edge Function pin-summary-to-ipfs: supabaseAdmin updates session_files.ipfs_cid by storage_path', async () => {
  const filePath = `${host.id}/${sessionId}/${Date.now()}_summary.pdf`;
  ok(await hostDb.from('session_files').insert({
    session_id: sessionId, uploader_profile_id: host.id, file_name: 'summary.pdf',
    storage_path: filePath, file_type: 'application/pdf', file_size: 1234,
  }), 'host uploads a file record');
  const supabaseAdmin = seed.asService();
  const cid = `bafy${randomUUID().replaceAll('-', '')}`;
  const { error: updateError } = await supabaseAdmin
    .from('session_files')
    .update({ ipfs_cid: cid })
    .eq('storage_path', filePath);
  assert.equal(updateError, null);
  const files = ok(await guestDb.from('session_files').select('file_name, ipfs_cid').eq('session_id', sessionId));
  assert.deepEqual(files, [{ file_name: 'summary.pdf', ipfs_cid: cid }]);
});

test('Edge Function get-cached-session-types: from(session_type_templates).select(*) returns the session types', async () => {
  // the guide's Edge Function, as written ("assuming such a table exists": it does now)
  const { data: templates, error } = await hostDb.from('session_type_templates').select('*');
  assert.equal(error, null);
  assert.deepEqual(templates!.map((t) => t.key).sort(), ['mediated_discussion', 'problem_solving']);
  for (const t of templates!) {
    assert.ok(Array.isArray(t.default_goals) && t.default_goals.length > 0, `${t.key} has goals`);
    assert.ok(Array.isArray(t.default_rules) && t.default_rules.length > 0, `${t.key} has rules`);
    assert.equal(t.is_active, true);
  }
  // users read, they do not write; without signing in there is nothing
  refused(await hostDb.from('session_type_templates').insert({ key: 'mine', title: 'Mine' }),
    { status: 403, code: '42501' });
  refused(await seed.anon().from('session_type_templates').select('*'), { status: 401, code: '42501' });
});

test('Storage upload, then the session_files insert: the row names the object in the uploader\'s folder of the session', async () => {
  // The app: supabase.storage.from('session-files').upload(`${user.id}/${sessionId}/${Date.now()}_${file.name}`, file),
  // then records it. (The Storage server does not run here: its policies are tested in
  // pgrx-tests/80_storage.sql; this is the database call that follows the upload.)
  const uploadedPath = `${guest.id}/${sessionId}/${Date.now()}_perspective.pdf`;   // uploadResult.data.path
  const row = ok(await guestDb.from('session_files').insert({
    session_id: sessionId, uploader_profile_id: guest.id, file_name: 'perspective.pdf',
    storage_path: uploadedPath, file_type: 'application/pdf', file_size: 2048, description: 'my side',
  }).select().single(), 'session_files insert after upload');
  assert.equal(row.storage_path, uploadedPath);
  // the host reads it (and signs it: storage.from('session-files').createSignedUrl(row.storage_path, 60))
  const seen = ok(await hostDb.from('session_files').select('file_name, storage_path').eq('storage_path', uploadedPath));
  assert.deepEqual(seen, [{ file_name: 'perspective.pdf', storage_path: uploadedPath }]);
  // a row naming someone else's object (here: the host's folder), or another session's: 400
  for (const path of [`${host.id}/${sessionId}/${Date.now()}_agenda.pdf`, `${guest.id}/${randomUUID()}/x.pdf`]) {
    refused(await guestDb.from('session_files').insert({
      session_id: sessionId, uploader_profile_id: guest.id, file_name: 'x.pdf', storage_path: path,
    }), { status: 400, code: '22023' });
  }
  // a stranger cannot record a file into the session at all
  refused(await strangerDb.from('session_files').insert({
    session_id: sessionId, uploader_profile_id: stranger.id, file_name: 'x.pdf',
    storage_path: `${stranger.id}/${sessionId}/x.pdf`,
  }), { status: 403, code: '42501' });
});

test('after the session: sign-off, evaluation, the host\'s anonymised feedback summary', async () => {
  const signed = ok(await guestDb.from('session_participants').update({ signed_off_summary: true })
    .eq('session_id', sessionId).eq('profile_id', guest.id).select().single());
  assert.ok(signed.sign_off_timestamp);
  ok(await guestDb.from('session_evaluations').insert({
    session_id: sessionId, evaluator_profile_id: guest.id, rating_overall_satisfaction: 4,
    feedback_worked_well: 'Clear turns', share_with_host: true,
  }), 'evaluate');
  // jsonb (Json in the generated types): the app names the fields it reads
  const summary = ok(await hostDb.rpc('session_feedback_summary', { p_session_id: sessionId })) as
    { shared_count: number; revealed: boolean; avg_overall_satisfaction: number | null };
  assert.equal(summary.shared_count, 1);
  assert.equal(summary.revealed, false);
  assert.equal(summary.avg_overall_satisfaction, null);
  refused(await guestDb.rpc('session_feedback_summary', { p_session_id: sessionId }), { status: 403, code: '42501' });
});

test('growth insights and achievements: written by the backend, read and marked viewed by their owner', async () => {
  const admin = seed.asService();
  ok(await admin.from('growth_insights').insert({
    profile_id: guest.id, session_id: sessionId, insight_type: 'clarity_score', insight_data: { score: 4.5, trend: 'up' },
  }));
  ok(await admin.from('achievements').insert({ profile_id: guest.id, badge_id: 'active_listener_bronze' }));
  const insights = ok(await guestDb.from('growth_insights').select('*').eq('profile_id', guest.id));
  assert.equal(insights.length, 1);
  assert.deepEqual(insights[0].insight_data, { score: 4.5, trend: 'up' });
  const viewed = ok(await guestDb.from('growth_insights').update({ viewed_at: new Date().toISOString() })
    .eq('id', insights[0].id).select().single());
  assert.ok(viewed.viewed_at);
  assert.equal(ok(await guestDb.from('achievements').select('badge_id').eq('profile_id', guest.id))[0].badge_id,
    'active_listener_bronze');
  assert.deepEqual(ok(await hostDb.from('growth_insights').select('*').eq('profile_id', guest.id)), []);
});
