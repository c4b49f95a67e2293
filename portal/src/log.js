// The public transparency log, read and checked in the browser (docs/tlog.md): the
// signed checkpoint (Ed25519 note signature of the log key; witness cosignatures
// listed), the entry bundles (C2SP tlog-tiles), RFC 6962 leaf hashes and inclusion
// proofs. The public pages index the log's entries: everything public is in it.
import { api, $token, enc, dec, unb64, b64, concat, sha256 } from './util.js';

function tilePath(n) {
  const s = String(n);
  const groups = [];
  for (let end = s.length; end > 0; end -= 3) groups.unshift(s.slice(Math.max(0, end - 3), end).padStart(3, '0'));
  return groups.map((g, i) => (i < groups.length - 1 ? 'x' + g : g)).join('/');
}

// Parses and verifies a checkpoint note against the log's vkey.
export async function openCheckpoint(note, vkey) {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0) throw new Error('not a signed note');
  const text = note.slice(0, cut + 1);
  const [origin, size, root] = text.split('\n');
  // name+hex8(key id)+base64(type ‖ key); the base64 may itself contain '+'.
  const v = vkey.trim();
  const a = v.indexOf('+'), b = v.indexOf('+', a + 1);
  const name = v.slice(0, a), keyIdHex = v.slice(a + 1, b), keyB64 = v.slice(b + 1);
  const key = unb64(keyB64);
  if (key[0] !== 1 || key.length !== 33) throw new Error('unexpected vkey type');
  const pub = await crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']);
  let verified = false;
  const cosignatures = [];
  for (const line of note.slice(cut + 2).split('\n')) {
    const m = line.match(/^\u2014 (\S+) (\S+)$/);
    if (!m) continue;
    const sig = unb64(m[2]);
    const kid = [...sig.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (m[1] === name && kid === keyIdHex) {
      verified = await crypto.subtle.verify({ name: 'Ed25519' }, pub, sig.slice(4), enc.encode(text));
      if (!verified) throw new Error('the checkpoint signature does not verify');
    } else {
      let time = 0;
      if (sig.length === 76) for (let i = 4; i < 12; i++) time = time * 256 + sig[i];
      cosignatures.push({ name: m[1], keyId: kid, time: time ? new Date(time * 1000).toISOString() : '' });
    }
  }
  if (!verified) throw new Error('the checkpoint carries no signature of the log key');
  return { origin, size: Number(size), root, text, note, verified, cosignatures };
}

let cached = null;
// The checkpoint and every entry (parsed), once per page load (refresh: force).
export async function loadLog(force = false) {
  if (cached && !force) return cached;
  cached = (async () => {
    const [note, vkey] = await Promise.all([
      api('/log/checkpoint', { as: 'text' }),
      api('/log/vkey', { as: 'text' }),
    ]);
    const checkpoint = await openCheckpoint(note, vkey);
    const entries = [];
    const full = Math.floor(checkpoint.size / 256);
    const rest = checkpoint.size % 256;
    const paths = [];
    for (let n = 0; n < full; n++) paths.push(tilePath(n));
    if (rest) paths.push(tilePath(full) + '.p/' + rest);
    const bundles = await Promise.all(paths.map((p) => api('/log/tile/entries/' + p, { as: 'bytes' })));
    for (const b of bundles) {
      for (let i = 0; i + 2 <= b.length; ) {
        const len = (b[i] << 8) | b[i + 1];
        const bytes = b.slice(i + 2, i + 2 + len);
        i += 2 + len;
        let json = null;
        try { json = JSON.parse(dec.decode(bytes)); } catch (e) { /* not JSON */ }
        entries.push({ index: entries.length, bytes, json });
      }
    }
    const index = buildIndex(entries);
    await resolveNames(index);
    return { checkpoint, vkey: vkey.trim(), entries, index };
  })();
  cached.catch(() => { cached = null; });
  return cached;
}

export async function leafHash(bytes) {
  return sha256(concat(new Uint8Array([0]), bytes));
}
async function node(l, r) {
  return sha256(concat(new Uint8Array([1]), l, r));
}

// RFC 9162 §2.1.3.2: the root from a leaf hash and its inclusion path.
export async function rootFromInclusion(index, size, leaf, path) {
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) throw new Error('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = await node(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = await node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('proof too short');
  return r;
}

// Fetches the inclusion proof of entry `e` in the checkpoint's tree and checks it
// against the checkpoint's (verified) root. Returns {ok, leaf, hashes}.
export async function verifyInclusion(log, e) {
  const leaf = await leafHash(e.bytes);
  const size = log.checkpoint.size;
  const proof = await api(`/v1/log/proof/inclusion?index=${e.index}&size=${size}`);
  const hashes = (proof.hashes || proof.path || []).map(unb64);
  const root = await rootFromInclusion(e.index, size, leaf, hashes);
  return { ok: b64(root) === log.checkpoint.root, leaf: b64(leaf), hashes: proof.hashes || [] };
}

// Indexes the public facts: organizations, members, characters with their cards,
// works with their derivations, agreements, runs and content credentials.
function buildIndex(entries) {
  const ix = { orgs: {}, members: {}, characters: {}, works: {}, edges: [], runs: [], statements: [], content: [], agreements: {} };
  for (const e of entries) {
    const j = e.json;
    if (!j || !j.type) continue;
    const p = j.payload || {};
    const s = j.subject || {};
    switch (j.type) {
      case 'org.registered': ix.orgs[p.id] = { ...p, entries: [e.index] }; break;
      case 'member.added': ix.members[p.id] = { ...p, entries: [e.index] }; break;
      case 'character.registered':
      case 'character.updated': {
        const id = p.id || s.character;
        const prev = ix.characters[id] || { cards: [], entries: [] };
        ix.characters[id] = { ...prev, ...p, id, owner_org: p.owner_org || s.org, entries: [...prev.entries, e.index] };
        break;
      }
      case 'character.retired': {
        const c = ix.characters[s.character];
        if (c) { c.status = 'retired'; c.retired_at = p.retired_at || j.time; c.entries.push(e.index); }
        break;
      }
      case 'card.issued': {
        const c = ix.characters[s.character || p.character];
        if (!c) break;
        c.cards.unshift({ ...p, status: 'good', log_index: e.index });
        if (p.supersedes) {
          const old = c.cards.find((k) => k.serial === p.supersedes);
          if (old) old.superseded_by = p.serial;
        }
        c.entries.push(e.index);
        break;
      }
      case 'card.revoked': {
        const c = ix.characters[s.character];
        const k = c && c.cards.find((x) => x.serial === p.serial);
        if (k) { k.status = 'revoked'; k.reason = p.reason; k.revoked_at = p.revoked_at || j.time; c.entries.push(e.index); }
        break;
      }
      case 'work.registered': ix.works[p.id || s.work] = { ...p, id: p.id || s.work, org_id: p.org_id || s.org, log_index: e.index }; break;
      case 'work.derivation_added': ix.edges.push({ work: s.work, used: p.used_work, role: p.role, log_index: e.index }); break;
      case 'agreement.created': ix.agreements[s.agreement] = { id: s.agreement, org: s.org, ...p, log_index: e.index, status: 'pending' }; break;
      case 'agreement.in_force': if (ix.agreements[s.agreement]) ix.agreements[s.agreement].status = 'in_force'; break;
      case 'settlement.run': ix.runs.push({ id: s.run, org: s.org, ...p, log_index: e.index, time: j.time }); break;
      case 'statement.issued': ix.statements.push({ run: s.run, payee: s.payee, ...p, log_index: e.index }); break;
      case 'content.signed': ix.content.push({ ...p, character: s.character, org: s.org, log_index: e.index, time: j.time }); break;
      default: break;
    }
  }
  return ix;
}

// The public log carries a commitment ("sha256:<hex>", docs/log-entries.md) in
// place of an organization's or a member's name; only the API, to a signed-in
// reader allowed to see it, gives the name.
const isCommitment = (v) => typeof v === 'string' && v.startsWith('sha256:');

// Signed in: fills the names the log only commits to, from the organizations and
// members the token may read (one request for the organizations, one per
// organization with members in the log; at most kMaxOrgs organizations).
const kMaxOrgs = 200;
async function resolveNames(ix) {
  if (!$token.get()) return;
  let orgs = [];
  try { orgs = (await api('/v1/orgs', { auth: true })).orgs || []; } catch (e) { return; }
  for (const o of orgs) if (ix.orgs[o.id] && o.name) ix.orgs[o.id].name = o.name;
  const wanted = new Set(Object.values(ix.members).filter((m) => isCommitment(m.name)).map((m) => m.org_id));
  const ids = orgs.map((o) => o.id).filter((id) => wanted.has(id)).slice(0, kMaxOrgs);
  await Promise.all(ids.map(async (id) => {
    try {
      for (const m of (await api(`/v1/orgs/${id}/members`, { auth: true })).members || [])
        if (ix.members[m.id] && m.name) ix.members[m.id].name = m.name;
    } catch (e) { /* not readable with this token */ }
  }));
}

// A party's display name: the name when known, else its id.
export function partyName(ix, id) {
  const known = ix.orgs[id] || ix.members[id];
  return known && known.name && !isCommitment(known.name) ? known.name : id;
}
