import { useState } from 'preact/hooks';
import { t, localName } from '../i18n.js';
import { loadLog } from '../log.js';
import { api, enc, hex, sha256, unb64, b64, pemToDer, jcs, verifyEd25519Spki } from '../util.js';
import { html, Field, Badge } from './common.js';

const verdictKind = { trusted: 'ok', valid_untrusted: 'warn', invalid: 'bad', no_manifest: 'none' };

export function VerifyPage() {
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const [drag, setDrag] = useState(false);
  const verify = async (file) => {
    if (!file) return;
    setBusy(true); setErr(''); setResult(null);
    try {
      const r = await api('/v1/content/verify', { method: 'POST', body: new Uint8Array(await file.arrayBuffer()) });
      setResult({ name: file.name, r });
    } catch (e) { setErr(e.message); }
    setBusy(false);
  };
  return html`
    <h1>${t('verify_title')}</h1>
    <div class=${'drop' + (drag ? ' over' : '')}
      onDragOver=${(e) => { e.preventDefault(); setDrag(true); }}
      onDragLeave=${() => setDrag(false)}
      onDrop=${(e) => { e.preventDefault(); setDrag(false); verify(e.dataTransfer.files[0]); }}>
      <p>${t('verify_drop')}</p>
      <${Field} label=${t('verify_file')} id="media"><input id="media" type="file" accept="image/*,audio/*,video/*,.c2pa" onChange=${(e) => verify(e.target.files[0])} /><//>
    </div>
    ${busy && html`<p aria-busy="true">${t('loading')}</p>`}
    ${err && html`<p class="error" role="alert">${err}</p>`}
    ${result && html`<${MediaResult} name=${result.name} r=${result.r} />`}
    <${PasteCheck} />`;
}

function MediaResult({ name, r }) {
  const ch = r.character;
  return html`
    <section class="panel" role="status" aria-live="polite" aria-labelledby="h-result">
      <h2 id="h-result">${t('verify_result')}: ${name}</h2>
      <p><${Badge} kind=${verdictKind[r.verdict] || 'none'}><span id="content-verdict" data-verdict=${r.verdict}>${r.verdict}</span><//> ${t('verdict_' + r.verdict)}</p>
      <dl class="facts">
        ${ch && html`<dt>${t('character')}</dt><dd><a href=${'#/c/' + encodeURIComponent(ch.id)}>${ch.name || ch.id}</a> <code>${ch.id}</code>${ch.card ? html` · ${ch.card.serial} (${ch.card.status}${ch.card.reason ? ', ' + ch.card.reason : ''})` : ''}</dd>`}
        ${r.producer && html`<dt>${t('producer')}</dt><dd>${r.producer.name || r.producer.org_id} ${r.producer.signer_status ? html`<small>(${r.producer.signer_status})</small>` : ''}</dd>`}
        ${(r.works || []).length > 0 && html`<dt>${t('signed_works')}</dt><dd><ul class="plain">${r.works.map((w) => html`<li><a href=${'#/work/' + encodeURIComponent(w.id)}>${w.title || w.id}</a></li>`)}</ul></dd>`}
        ${r.log && html`<dt>${t('log_entry')}</dt><dd>${r.log.index !== undefined ? html`<a href=${'#/log/' + r.log.index}>#${r.log.index}</a>` : ''} ${r.log.included ? '✓' : ''}</dd>`}
        ${r.ai_label && html`<dt>AI</dt><dd>${r.ai_label}</dd>`}
      </dl>
      ${(r.statuses || []).filter((s) => !s.success).length > 0 && html`<ul class="plain">${r.statuses.filter((s) => !s.success).map((s) => html`<li><code>${s.code}</code> ${s.explanation || ''}</li>`)}</ul>`}
    </section>`;
}

async function checkPasted(text) {
  text = text.trim();
  if (text.startsWith('-----BEGIN')) {
    const der = b64(pemToDer(text));
    const log = await loadLog(true);
    for (const e of log.entries) {
      const j = e.json;
      if (!j || !(j.type === 'card.issued' || j.type === 'certificate.issued') || j.payload.certificate !== der) continue;
      const revoked = log.entries.find((x) => x.json && (x.json.type === 'card.revoked' || x.json.type === 'certificate.revoked') && x.json.payload.serial === j.payload.serial);
      const what = j.type === 'card.issued' ? `${t('character')} ${j.payload.character}, ${t('serial')} ${j.payload.serial}` : `${j.payload.profile} ${j.payload.serial}`;
      const status = revoked ? `${t('status_revoked')} (${revoked.json.payload.reason})` : t('status_valid');
      return { ok: !revoked, text: t('cert_found', { what, status }), link: j.type === 'card.issued' ? '#/c/' + j.payload.character : '#/log/' + e.index };
    }
    return { ok: false, text: t('cert_not_found') };
  }
  const env = JSON.parse(text);
  if (!env.statement || !env.signature) throw new Error('not a signed statement (vtrust-signed-statement/1)');
  const bytes = enc.encode(jcs(env.statement));
  const digest = hex(await sha256(bytes));
  if (digest !== env.sha256) return { ok: false, text: t('stmt_bad', { why: 'sha256' }) };
  const key = await api('/v1/statement-key');
  if (key.key_id !== env.signature.key_id) return { ok: false, text: t('stmt_bad', { why: 'key_id' }) };
  const ok = await verifyEd25519Spki(key.public_key_pem, unb64(env.signature.value), concatText(key.signature_context || 'vtrust statement signature v1\n', bytes));
  if (!ok) return { ok: false, text: t('stmt_bad', { why: 'signature' }) };
  const log = await loadLog(true);
  const s = log.index.statements.find((x) => x.statement_sha256 === digest);
  if (!s) return { ok: false, text: t('stmt_bad', { why: 'not in the log' }) };
  return { ok: true, text: t('stmt_ok', { index: s.log_index }), link: '#/log/' + s.log_index };
}
function concatText(prefix, bytes) {
  const p = enc.encode(prefix.endsWith('\n') ? prefix : prefix + '\n');
  const out = new Uint8Array(p.length + bytes.length);
  out.set(p); out.set(bytes, p.length);
  return out;
}

function PasteCheck() {
  const [text, setText] = useState('');
  const [res, setRes] = useState(null);
  const go = async (e) => {
    e.preventDefault();
    try { setRes(await checkPasted(text)); } catch (err) { setRes({ ok: false, text: String(err.message || err) }); }
  };
  return html`
    <section aria-labelledby="h-paste"><h2 id="h-paste">${t('paste_title')}</h2>
      <form onSubmit=${go}>
        <${Field} label=${t('paste_label')} id="pasted"><textarea id="pasted" rows="6" value=${text} onInput=${(e) => setText(e.target.value)}></textarea><//>
        <button type="submit" disabled=${!text.trim()}>${t('paste_check')}</button>
      </form>
      ${res && html`<p role="status"><${Badge} kind=${res.ok ? 'ok' : 'bad'}>${res.ok ? '✓' : '✗'}<//> ${res.text} ${res.link ? html`<a href=${res.link}>→</a>` : ''}</p>`}
    </section>`;
}
