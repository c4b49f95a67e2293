import { useEffect, useState } from 'preact/hooks';
import { t, localName } from '../i18n.js';
import { loadLog, verifyInclusion, partyName } from '../log.js';
import { api, enc, unb64, b64url, derToPem, download, jcs, signWithPem, verifyEd25519Spki, readFile } from '../util.js';
import { html, useAsync, Loading, Field, Badge, day } from './common.js';

// Where a character's cards stand: {kind, text, current}.
export function cardStatus(c, now = new Date()) {
  if (c.status === 'retired') return { kind: 'bad', label: t('status_retired'), text: day(c.retired_at) };
  const cards = c.cards || [];
  const current = cards.find((k) => k.status === 'good' && !k.superseded_by && new Date(k.not_after) > now);
  if (current) return { kind: 'ok', label: t('status_valid'), text: t('valid_until', { date: day(current.not_after) }), current };
  if (!cards.length) return { kind: 'none', label: t('status_none'), text: '' };
  const k = cards[0];
  if (k.status === 'revoked') return { kind: 'bad', label: t('status_revoked'), text: t('revoked_because', { reason: k.reason, date: day(k.revoked_at) }) };
  if (k.superseded_by) return { kind: 'warn', label: t('status_superseded'), text: t('superseded_by', { serial: k.superseded_by }) };
  return { kind: 'bad', label: t('status_expired'), text: day(k.not_after) };
}

function cardState(k) {
  if (k.status === 'revoked') return html`<${Badge} kind="bad">${t('status_revoked')}<//> ${t('revoked_because', { reason: k.reason, date: day(k.revoked_at) })}`;
  if (k.superseded_by) return html`<${Badge} kind="warn">${t('status_superseded')}<//> ${t('superseded_by', { serial: k.superseded_by })}`;
  if (new Date(k.not_after) <= new Date()) return html`<${Badge} kind="bad">${t('status_expired')}<//>`;
  return html`<${Badge} kind="ok">${t('status_valid')}<//>`;
}

export function CharacterPage({ id }) {
  const log = useAsync(() => loadLog(), []);
  return html`<${Loading} state=${log}>${log.data && html`<${Character} log=${log.data} id=${id} />`}<//>`;
}

function findCharacter(ix, id) {
  const n = (s) => String(s || '').toUpperCase().replace(/^URN:VTRUST:CHAR:/, '').replace(/[^0-9A-Z]/g, '');
  return ix.characters[id] || Object.values(ix.characters).find((c) => n(c.id) === n(id));
}

function Character({ log, id }) {
  const ix = log.index;
  const c = findCharacter(ix, id);
  if (!c) return html`<h1>${id}</h1><p class="error" role="alert">${t('search_none')}</p>`;
  const st = cardStatus(c);
  const owner = partyName(ix, c.owner_org);
  const display = localName(c.names, c.name);
  useEffect(() => { document.title = display + ' · vtrust'; }, [display]);
  return html`
    <h1>${display}</h1>
    <div class="split">
      <${IdCard} c=${c} owner=${owner} st=${st} name=${display} />
      <dl class="facts">
        <dt>${t('registry_id')}</dt><dd><code>${c.id}</code></dd>
        <dt>${t('urn')}</dt><dd><code>${c.urn || 'urn:vtrust:char:' + c.id}</code></dd>
        <dt>${t('owner')}</dt><dd>${owner}</dd>
        <dt>${t('status')}</dt><dd id="status"><${Badge} kind=${st.kind}>${st.label}<//> ${st.text}</dd>
        <dt>${t('ai_driven')}</dt><dd>${c.ai_driven ? t('yes') : t('no')}</dd>
        <dt>${t('names')}</dt><dd><ul class="plain">${Object.entries(c.names || {}).map(([l, n]) => html`<li lang=${l}>${n} <small>(${l})</small></li>`)}</ul></dd>
        ${c.description && html`<dt>${t('description')}</dt><dd>${c.description}</dd>`}
      </dl>
    </div>
    <${Certificates} c=${c} />
    <${IAmMe} c=${c} st=${st} />
    <${Receipts} log=${log} c=${c} />`;
}

function IdCard({ c, owner, st, name }) {
  const k = st.current || (c.cards || [])[0];
  return html`
    <figure class="idcard" aria-label=${'ID card of ' + c.name}>
      <div class="band">vtrust · virtual character ID · 虚拟角色证</div>
      <div class="idname" lang="und">${c.name}</div>
      <div class="idnames">${Object.entries(c.names || {}).filter(([, n]) => n !== c.name).map(([l, n]) => html`<span lang=${l}>${n}</span>`)}</div>
      <div class="idno">${c.id}</div>
      <div class="idrow">${owner}</div>
      <div class="idrow">${k ? `${k.alg} · ${day(k.not_before)} – ${day(k.not_after)} · ${k.serial}` : t('status_none')}</div>
      <div class=${'idstatus ' + st.kind}>${st.label}</div>
    </figure>`;
}

function Certificates({ c }) {
  if (!(c.cards || []).length) return '';
  const save = (k, kind) => {
    const der = unb64(k.certificate);
    if (kind === 'pem') download(`card-${k.serial}.pem`, derToPem(der), 'application/x-pem-file');
    else download(`card-${k.serial}.der`, der, 'application/pkix-cert');
  };
  return html`
    <section aria-labelledby="h-certs"><h2 id="h-certs">${t('certificates')}</h2>
    <table><thead><tr><th scope="col">${t('serial')}</th><th scope="col">${t('algorithm')}</th><th scope="col">${t('validity')}</th><th scope="col">${t('state')}</th><th scope="col">${t('download')}</th></tr></thead>
    <tbody>${c.cards.map((k) => html`<tr>
      <td><code>${k.serial}</code></td><td>${k.alg}</td><td>${day(k.not_before)} – ${day(k.not_after)}</td><td>${cardState(k)}</td>
      <td>${k.certificate && html`<button type="button" class="link" onClick=${() => save(k, 'pem')} aria-label=${'PEM ' + k.serial}>${t('download_pem')}</button>
        <button type="button" class="link" onClick=${() => save(k, 'der')} aria-label=${'DER ' + k.serial}>${t('download_der')}</button>`}</td></tr>`)}</tbody></table></section>`;
}

function Receipts({ log, c }) {
  const [rows, setRows] = useState(null);
  useEffect(() => {
    let live = true;
    Promise.all(c.entries.map(async (i) => {
      const e = log.entries[i];
      try { const r = await verifyInclusion(log, e); return { i, type: e.json.type, ok: r.ok }; } catch (err) { return { i, type: e.json && e.json.type, ok: false, err: String(err.message || err) }; }
    })).then((r) => live && setRows(r));
    return () => { live = false; };
  }, [c.id]);
  return html`
    <section aria-labelledby="h-receipts"><h2 id="h-receipts">${t('receipts')}</h2>
      <p><${Badge} kind="ok">✓<//> ${t('checkpoint_ok', { key: log.vkey.split('+')[0], size: log.checkpoint.size })}</p>
      ${!rows ? html`<p aria-busy="true">${t('loading')}</p>` : html`<ul class="plain receipts">${rows.map((r) => html`
        <li><a href=${'#/log/' + r.i}>#${r.i}</a> <code>${r.type}</code> ${r.ok ? html`<${Badge} kind="ok">✓ ${t('receipt_ok')}<//>` : html`<${Badge} kind="bad">✗ ${t('receipt_bad')}<//> ${r.err || ''}`}</li>`)}</ul>`}
    </section>`;
}

function IAmMe({ c, st }) {
  const [challenge, setChallenge] = useState(null);
  const [proof, setProof] = useState('');
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const create = async () => {
    setErr(''); setResult(null); setProof('');
    try {
      setChallenge(await api(`/v1/characters/${encodeURIComponent(c.id)}/challenges`, { method: 'POST', body: { audience: location.origin } }));
    } catch (e) { setErr(e.message); }
  };
  const check = async (body) => {
    setBusy(true); setErr('');
    try {
      const text = await api(`/v1/challenges/${encodeURIComponent(body.challenge.id)}/verify`, { method: 'POST', body, as: 'text' });
      const verdict = JSON.parse(text);
      const key = await api('/v1/verdict-key');
      const { signature, ...rest } = verdict;
      const ok = await verifyEd25519Spki(key.public_key, unb64(signature), enc.encode('vtrust-verdict/v1\n' + jcs(rest)));
      setResult({ verdict, sigOk: ok });
    } catch (e) { setErr(e.message); }
    setBusy(false);
  };
  const withKey = async (file) => {
    if (!file || !challenge) return;
    try {
      const pem = await readFile(file, 'text');
      const sig = await signWithPem(pem, enc.encode('vtrust-challenge/v1\n' + jcs(challenge)));
      const body = { challenge, signature: b64url(sig), audience: location.origin };
      setProof(JSON.stringify(body, null, 1));
      await check(body);
    } catch (e) { setErr(e.message); }
  };
  const pasted = () => { try { check(JSON.parse(proof)); } catch (e) { setErr(e.message); } };
  return html`
    <section aria-labelledby="h-iamme" class="panel"><h2 id="h-iamme">${t('iamme')}</h2>
      <p>${t('iamme_intro')}</p>
      <button type="button" onClick=${create} disabled=${st.kind !== 'ok'}>${t('iamme_create')}</button>
      ${challenge && html`
        <pre class="code" aria-label="challenge">${JSON.stringify(challenge, null, 1)}</pre>
        <p class="muted"><code>vtrust card prove --challenge challenge.json --key holder.pem</code></p>
        <${Field} label=${t('iamme_key')} id="holder-key"><input id="holder-key" type="file" accept=".pem,.key,text/plain" onChange=${(e) => withKey(e.target.files[0])} /><//>
        <${Field} label=${t('iamme_or') + ' — ' + t('iamme_proof')} id="proof"><textarea id="proof" rows="4" value=${proof} onInput=${(e) => setProof(e.target.value)}></textarea><//>
        <button type="button" onClick=${pasted} disabled=${busy || !proof}>${t('iamme_check')}</button>`}
      ${err && html`<p class="error" role="alert">${err}</p>`}
      ${result && html`<div class="verdict" role="status" aria-live="polite">
        <p>${t('verdict')}: <${Badge} kind=${result.verdict.verdict === 'valid' ? 'ok' : 'bad'}><span id="verdict">${result.verdict.verdict === 'valid' ? t('valid') : t('invalid')}</span><//>
          ${result.verdict.reason ? ' — ' + result.verdict.reason : ''}</p>
        <p>${result.sigOk ? html`<${Badge} kind="ok">✓<//> ${t('verdict_sig_ok')}` : html`<${Badge} kind="bad">✗<//> ${t('verdict_sig_bad')}`}</p>
      </div>`}
    </section>`;
}
