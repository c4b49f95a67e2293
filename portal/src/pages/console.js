// The organization console: sign in with an API token (sessionStorage only), then
// characters and cards, works, agreements, revenue, settlements and statements.
import { useEffect, useState } from 'preact/hooks';
import { t, localName } from '../i18n.js';
import { loadLog, partyName } from '../log.js';
import { $token, api, b64, enc, hex, sha256, money, download, readFile, signWithPem } from '../util.js';
import { html, useAsync, Loading, Field, Badge, day } from './common.js';
import { explainTerms } from './explain.js';

const TABS = ['characters', 'works', 'agreements', 'revenue', 'settlements', 'statements'];

export function ConsolePage({ tab = 'characters', arg }) {
  const [token, setToken] = useState($token.get());
  const who = useAsync(() => (token ? api('/v1/whoami', { auth: true }) : Promise.resolve(null)), [token]);
  if (!token || who.error) return html`<${SignIn} onToken=${(tk) => { $token.set(tk); setToken(tk); }} error=${who.error} />`;
  return html`
    <h1>${t('console_title')}</h1>
    <${Loading} state=${who}>${who.data && html`
      <p class="row">${t('signed_in_as', { member: who.data.member_id, org: who.data.org_id })}
        <button type="button" class="secondary" onClick=${() => { $token.set(''); setToken(''); }}>${t('sign_out')}</button></p>
      <nav class="tabs" aria-label=${t('console_title')}>${TABS.map((k) => html`<a href=${'#/console/' + k} aria-current=${k === tab ? 'page' : undefined}>${t('tab_' + k)}</a>`)}</nav>
      <${Tab} tab=${tab} arg=${arg} who=${who.data} />`}<//>`;
}

function SignIn({ onToken, error }) {
  const [v, setV] = useState('');
  return html`
    <h1>${t('console_title')}</h1>
    <form class="panel" onSubmit=${(e) => { e.preventDefault(); onToken(v.trim()); }}>
      <${Field} label=${t('token_label')} id="token" hint=${t('token_note')}><input id="token" type="password" autocomplete="off" value=${v} onInput=${(e) => setV(e.target.value)} /><//>
      <button type="submit" disabled=${!v.trim()}>${t('sign_in')}</button>
      ${error && html`<p class="error" role="alert">${error.message}</p>`}
    </form>`;
}

function Tab({ tab, arg, who }) {
  switch (tab) {
    case 'works': return html`<${Works} />`;
    case 'agreements': return html`<${Agreements} arg=${arg} />`;
    case 'revenue': return html`<${Revenue} />`;
    case 'settlements': return html`<${Settlements} arg=${arg} who=${who} />`;
    case 'statements': return html`<${MyStatements} />`;
    default: return html`<${Characters} />`;
  }
}

// A form whose submit runs `action` and shows its error or its result.
function useAction() {
  const [state, setState] = useState({});
  const run = async (fn) => {
    setState({ busy: true });
    try { setState({ result: await fn() }); } catch (e) { setState({ error: e }); }
  };
  const view = state.error ? html`<p class="error" role="alert">${state.error.message}${state.error.problem && state.error.problem.field ? ` (${state.error.problem.field})` : ''}</p>`
    : state.busy ? html`<p aria-busy="true">${t('loading')}</p>` : '';
  return [run, view, state];
}

function Characters() {
  const list = useAsync(() => api('/v1/characters', { auth: true }), []);
  const [name, setName] = useState('');
  const [zh, setZh] = useState('');
  const [ai, setAi] = useState(true);
  const [run, view] = useAction();
  const register = (e) => {
    e.preventDefault();
    run(async () => {
      const body = { name, ai_driven: ai };
      if (zh) body.names = { en: name, 'zh-Hans': zh };
      const r = await api('/v1/characters', { method: 'POST', body, auth: true });
      setName(''); setZh(''); list.reload();
      return r;
    });
  };
  return html`
    <section class="panel" aria-labelledby="h-reg"><h2 id="h-reg">${t('register_character')}</h2>
      <form onSubmit=${register} class="grid">
        <${Field} label=${t('name')} id="c-name"><input id="c-name" required value=${name} onInput=${(e) => setName(e.target.value)} /><//>
        <${Field} label=${t('name_zh')} id="c-zh"><input id="c-zh" lang="zh-Hans" value=${zh} onInput=${(e) => setZh(e.target.value)} /><//>
        <div class="field"><label><input type="checkbox" checked=${ai} onChange=${(e) => setAi(e.target.checked)} /> ${t('ai_driven')}</label></div>
        <button type="submit">${t('register')}</button>
      </form>${view}
    </section>
    <${Loading} state=${list}>${list.data && html`<ul class="plain">${list.data.characters.map((c) => html`<li><${CharacterRow} c=${c} /></li>`)}</ul>`}<//>`;
}

function CharacterRow({ c }) {
  const cards = useAsync(() => api(`/v1/characters/${c.id}/cards`, { auth: true }), [c.id]);
  const [alg, setAlg] = useState('p256');
  const [reason, setReason] = useState('superseded');
  const [svg, setSvg] = useState('');
  const [run, view] = useAction();
  const issue = () => run(async () => { const r = await api(`/v1/characters/${c.id}/cards`, { method: 'POST', body: { alg }, auth: true }); cards.reload(); return r; });
  const renew = (s) => run(async () => { const r = await api(`/v1/cards/${s}/renew`, { method: 'POST', body: {}, auth: true }); cards.reload(); return r; });
  const revoke = (s) => run(async () => { const r = await api(`/v1/cards/${s}/revoke`, { method: 'POST', body: { reason }, auth: true }); cards.reload(); return r; });
  const showCard = async () => {
    const text = await api(`/v1/characters/${c.id}/card.svg`, { auth: true, as: 'text' });
    setSvg(URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' })));
  };
  useEffect(() => { if (cards.data && cards.data.cards.length) showCard(); }, [cards.data]);
  return html`
    <article class="panel character-row" data-character=${c.id}>
      <h3><a href=${'#/c/' + c.id}>${localName(c.names, c.name)}</a> <code>${c.id}</code></h3>
      ${svg && html`<img class="cardsvg" src=${svg} alt=${'ID card of ' + c.name} width="428" height="270" />`}
      <div class="row">
        <${Field} label=${t('algorithm')} id=${'alg-' + c.id}><select id=${'alg-' + c.id} value=${alg} onChange=${(e) => setAlg(e.target.value)}><option value="p256">P-256</option><option value="ed25519">Ed25519</option><option value="sm2">SM2</option></select><//>
        <button type="button" onClick=${issue}>${t('issue_card')}</button>
      </div>
      ${view}
      <${Loading} state=${cards}>${cards.data && cards.data.cards.length > 0 && html`
        <table><caption>${t('cards')}</caption><thead><tr><th scope="col">${t('serial')}</th><th scope="col">${t('algorithm')}</th><th scope="col">${t('validity')}</th><th scope="col">${t('state')}</th><th scope="col"></th></tr></thead>
        <tbody>${cards.data.cards.map((k) => html`<tr><td><code>${k.serial}</code></td><td>${k.alg}</td><td>${day(k.not_before)} – ${day(k.not_after)}</td>
          <td>${k.status === 'revoked' ? html`<${Badge} kind="bad">${t('status_revoked')}<//> ${k.reason}` : k.superseded_by ? html`<${Badge} kind="warn">${t('status_superseded')}<//>` : html`<${Badge} kind="ok">${t('status_valid')}<//>`}</td>
          <td>${k.status !== 'revoked' && !k.superseded_by && html`<button type="button" class="secondary" onClick=${() => renew(k.serial)}>${t('renew')}</button>
            <label class="sr-only" for=${'why-' + k.serial}>${t('reason')}</label>
            <select id=${'why-' + k.serial} value=${reason} onChange=${(e) => setReason(e.target.value)}>${['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'].map((r) => html`<option>${r}</option>`)}</select>
            <button type="button" class="danger" onClick=${() => revoke(k.serial)}>${t('revoke')}</button>`}</td></tr>`)}</tbody></table>`}<//>
    </article>`;
}

function Works() {
  const list = useAsync(() => api('/v1/works', { auth: true }), []);
  const [type, setType] = useState('song');
  const [title, setTitle] = useState('');
  const [digest, setDigest] = useState('');
  const [holder, setHolder] = useState('');
  const [run, view] = useAction();
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const r = await api('/v1/works', { method: 'POST', auth: true, body: { type, titles: { en: title }, digests: { sha256: digest }, rights: { copyright: [{ party: holder, share_bp: 10000 }] } } });
      list.reload();
      return r;
    });
  };
  return html`
    <section class="panel" aria-labelledby="h-work"><h2 id="h-work">${t('register_work')}</h2>
      <form onSubmit=${submit} class="grid">
        <${Field} label=${t('type')} id="w-type"><select id="w-type" value=${type} onChange=${(e) => setType(e.target.value)}>${['character_design', 'model_3d', 'voice_model', 'song', 'choreography', 'performance', 'episode', 'concert', 'recording'].map((x) => html`<option>${x}</option>`)}</select><//>
        <${Field} label=${t('title_en')} id="w-title"><input id="w-title" required value=${title} onInput=${(e) => setTitle(e.target.value)} /><//>
        <${Field} label=${t('file_for_digest')} id="w-file"><input id="w-file" type="file" onChange=${async (e) => setDigest(hex(await sha256(await readFile(e.target.files[0]))))} /><//>
        <${Field} label="SHA-256" id="w-sha"><input id="w-sha" required pattern="[0-9a-fA-F]{64}" value=${digest} onInput=${(e) => setDigest(e.target.value)} /><//>
        <${Field} label=${t('holder')} id="w-holder"><input id="w-holder" required value=${holder} onInput=${(e) => setHolder(e.target.value)} /><//>
        <button type="submit">${t('register')}</button>
      </form>${view}
    </section>
    <${Loading} state=${list}>${list.data && html`<ul class="plain">${list.data.works.map((w) => html`<li><a href=${'#/work/' + w.id}>${localName(w.titles, Object.values(w.titles)[0])}</a> <small>${w.type}</small> <code>${w.id}</code></li>`)}</ul>`}<//>`;
}

const TEMPLATE = {
  currency: 'CNY',
  parties: [{ id: 'org_…', name: 'Platform', role: 'platform' }, { id: 'mem_…', name: 'Performer', role: 'performer' }],
  tiers: [
    { id: 'platform-fee', kind: 'fee', label: 'platform fee', payee: 'org_…', rate: { bp: 1200 }, base: 'gross' },
    { id: 'profit', kind: 'shares', label: 'profit shares', unit: 'bp', shares: [{ payee: 'mem_…', weight: 10000 }] },
  ],
};

function Agreements({ arg }) {
  const log = useAsync(() => loadLog(true), []);
  const [work, setWork] = useState('');
  const [title, setTitle] = useState('');
  const [terms, setTerms] = useState(JSON.stringify(TEMPLATE, null, 2));
  const [run, view] = useAction();
  let parsed = null, parseErr = '';
  try { parsed = JSON.parse(terms); } catch (e) { parseErr = e.message; }
  const create = (e) => {
    e.preventDefault();
    run(async () => {
      const r = await api('/v1/agreements', { method: 'POST', auth: true, body: { work_id: work, title, terms: parsed } });
      location.hash = '#/console/agreements/' + r.id;
      return r;
    });
  };
  const ix = log.data && log.data.index;
  return html`
    ${arg && html`<${AgreementView} id=${arg} ix=${ix} />`}
    <section class="panel" aria-labelledby="h-agr"><h2 id="h-agr">${t('draft_agreement')}</h2>
      <form onSubmit=${create}>
        <div class="grid">
          <${Field} label=${t('work_id')} id="a-work"><input id="a-work" required value=${work} onInput=${(e) => setWork(e.target.value)} /><//>
          <${Field} label=${t('title_en')} id="a-title"><input id="a-title" value=${title} onInput=${(e) => setTitle(e.target.value)} /><//>
        </div>
        <div class="split">
          <${Field} label=${t('terms')} id="a-terms"><textarea id="a-terms" rows="18" class="mono" value=${terms} onInput=${(e) => setTerms(e.target.value)}></textarea><//>
          <div><h3>${t('preview')}</h3>${parseErr ? html`<p class="error">${parseErr}</p>` : html`<ol class="explain">${explainTerms(parsed, (id) => (ix ? partyName(ix, id) : id)).map((l) => html`<li>${l}</li>`)}</ol>`}</div>
        </div>
        <button type="submit" disabled=${!!parseErr}>${t('create')}</button>
      </form>${view}
    </section>
    ${ix && html`<section><h2>${t('tab_agreements')}</h2><ul class="plain">${Object.values(ix.agreements).map((a) => html`<li><a href=${'#/console/agreements/' + a.id}>${a.title || a.id}</a> <small>${a.status}</small></li>`)}</ul></section>`}`;
}

function AgreementView({ id, ix }) {
  const a = useAsync(() => api('/v1/agreements/' + id, { auth: true }), [id]);
  const [cert, setCert] = useState('');
  const [run, view] = useAction();
  const sign = (v, keyFile) => run(async () => {
    const bytes = await api(`/v1/agreements/${id}/versions/${v.hash}?format=canonical`, { auth: true, as: 'bytes' });
    if (hex(await sha256(bytes)) !== v.hash) throw new Error('the server sent other bytes than version ' + v.hash);
    const sig = await signWithPem(await readFile(keyFile, 'text'), bytes);
    const r = await api(`/v1/agreements/${id}/versions/${v.hash}/signatures`, { method: 'POST', auth: true, body: { certificate: cert, signature: b64(sig) } });
    a.reload();
    return r;
  });
  return html`<section class="panel"><${Loading} state=${a}>${a.data && html`
    <h2>${a.data.title || id} <code>${id}</code></h2>
    ${a.data.versions.map((v) => html`<article><h3>v${v.version} <${Badge} kind=${v.status === 'in_force' ? 'ok' : 'warn'}>${v.status}<//></h3>
      <ol class="explain">${explainTerms(v.document.terms, (p) => (ix ? partyName(ix, p) : p)).map((l) => html`<li>${l}</li>`)}</ol>
      <p>${(v.signatures || []).length} ✓ · ${(v.awaiting || []).length ? 'awaiting: ' + v.awaiting.map((p) => (ix ? partyName(ix, p) : p)).join(', ') : ''}</p>
      ${v.status === 'pending' && html`<div class="grid">
        <${Field} label=${t('cert_pem')} id=${'cert-' + v.version}><textarea id=${'cert-' + v.version} rows="3" value=${cert} onInput=${(e) => setCert(e.target.value)}></textarea><//>
        <${Field} label=${t('key_pem')} id=${'key-' + v.version}><input id=${'key-' + v.version} type="file" onChange=${(e) => sign(v, e.target.files[0])} /><//>
      </div>`}</article>`)}${view}`}<//></section>`;
}

function parseCsv(text) {
  const rows = [];
  let row = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) { if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') q = false; else f += ch; }
    else if (ch === '"') q = true;
    else if (ch === ',') { row.push(f); f = ''; }
    else if (ch === '\n' || ch === '\r') { if (ch === '\r' && text[i + 1] === '\n') i++; row.push(f); f = ''; if (row.some((x) => x !== '')) rows.push(row); row = []; }
    else f += ch;
  }
  row.push(f);
  if (row.some((x) => x !== '')) rows.push(row);
  return rows;
}

function Revenue() {
  const [lines, setLines] = useState(null);
  const [run, view, st] = useAction();
  const load = async (file) => {
    const rows = parseCsv(await readFile(file, 'text'));
    const head = rows.shift();
    setLines(rows.map((r) => {
      const o = Object.fromEntries(head.map((k, i) => [k, r[i]]));
      const line = { idempotency_key: o.idempotency_key, work: o.work, amount: Number(o.amount_minor), currency: o.currency, territory: o.territory, channel: o.channel, period: o.period };
      if (o.external_ref) line.external_ref = o.external_ref;
      return line;
    }));
  };
  return html`<section class="panel" aria-labelledby="h-rev"><h2 id="h-rev">${t('import_csv')}</h2>
    <${Field} label=${t('csv_file')} id="csv" hint="idempotency_key,work,amount_minor,currency,territory,channel,period,external_ref"><input id="csv" type="file" accept=".csv,text/csv" onChange=${(e) => load(e.target.files[0])} /><//>
    ${lines && html`<table><thead><tr><th scope="col">key</th><th scope="col">${t('period')}</th><th scope="col">channel</th><th scope="col">${t('amount')}</th></tr></thead>
      <tbody>${lines.slice(0, 20).map((l) => html`<tr><td>${l.idempotency_key}</td><td>${l.period}</td><td>${l.channel}</td><td class="num">${money(l.amount, l.currency)}</td></tr>`)}</tbody></table>
      <button type="button" onClick=${() => run(() => api('/v1/revenue', { method: 'POST', auth: true, body: { lines } }))}>${t('import')} (${lines.length})</button>`}
    ${view}${st.result && html`<p role="status">${t('done')}: ${st.result.imported} / ${st.result.received}</p>`}</section>`;
}

function Settlements({ arg, who }) {
  const log = useAsync(() => loadLog(true), []);
  const [agr, setAgr] = useState('');
  const [period, setPeriod] = useState('');
  const [run, view] = useAction();
  const submit = (e) => {
    e.preventDefault();
    run(async () => { const r = await api('/v1/settlements', { method: 'POST', auth: true, body: { agreement_id: agr, period } }); location.hash = '#/console/settlements/' + r.id; return r; });
  };
  const ix = log.data && log.data.index;
  const runs = ix ? ix.runs.filter((r) => who.operator || r.org === who.org_id) : [];
  return html`
    ${arg && ix && html`<${RunView} id=${arg} ix=${ix} />`}
    <section class="panel" aria-labelledby="h-run"><h2 id="h-run">${t('run_settlement')}</h2>
      <form onSubmit=${submit} class="grid">
        <${Field} label=${t('agreement_id')} id="s-agr"><input id="s-agr" required value=${agr} onInput=${(e) => setAgr(e.target.value)} /><//>
        <${Field} label=${t('period')} id="s-period"><input id="s-period" required pattern="[0-9]{4}-[0-9]{2}" value=${period} onInput=${(e) => setPeriod(e.target.value)} /><//>
        <button type="submit">${t('run')}</button>
      </form>${view}</section>
    <section aria-labelledby="h-runs"><h2 id="h-runs">${t('runs')}</h2>
      <ul class="plain">${runs.map((r) => html`<li><a href=${'#/console/settlements/' + r.id}>${r.period}</a> <code>${r.id}</code> ${money(r.net_receipts)}</li>`)}</ul></section>`;
}

function RunView({ id, ix }) {
  const data = useAsync(async () => {
    const run = await api('/v1/settlements/' + id, { auth: true });
    const payees = (run.summary.payees || []).map((p) => p.id);
    const statements = await Promise.all(payees.map((p) => api(`/v1/settlements/${id}/statements/${encodeURIComponent(p)}.json`, { auth: true })));
    return { run, statements };
  }, [id]);
  return html`<section class="panel run-view" aria-labelledby="h-runv"><${Loading} state=${data}>${data.data && html`<${Run} d=${data.data} ix=${ix} />`}<//></section>`;
}

function printable(env, name) {
  const s = env.statement;
  const rows = s.items.map((i) => `<tr><td>${esc(i.label)}</td><td>${esc(i.kind)}</td><td style="text-align:right">${money(i.amount, s.currency)}</td><td style="text-align:right">${money(i.cumulative, s.currency)}</td></tr>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Statement ${esc(s.period)} ${esc(name)}</title>
<style>body{font-family:'Noto Sans','Noto Sans CJK SC',sans-serif;max-width:48em;margin:2em auto}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.3em}</style></head>
<body><h1>Statement ${esc(s.period)}</h1><p>${esc(name)} (${esc(s.payee.id)}) · ${esc(s.agreement.id)} v${s.agreement.version}</p>
<table><tr><th>Tier</th><th>Kind</th><th>Amount</th><th>Cumulative</th></tr>${rows}
<tr><th colspan="2">Total</th><th style="text-align:right">${money(s.total.amount, s.currency)}</th><th style="text-align:right">${money(s.total.cumulative, s.currency)}</th></tr></table>
<p>SHA-256 ${esc(env.sha256)} · log entry ${esc(String(env.log_index))} · signature ${esc(env.signature.alg)} key ${esc(env.signature.key_id)}</p></body></html>`;
}
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function Run({ d, ix }) {
  const { run, statements } = d;
  const name = (id) => partyName(ix, id);
  const csv = async (p) => download(`${run.id}-${p}.csv`, await api(`/v1/settlements/${run.id}/statements/${encodeURIComponent(p)}.csv`, { auth: true, as: 'text' }), 'text/csv');
  return html`
    <h2>${t('statement')}: ${run.period} <code>${run.id}</code></h2>
    <p>${t('net_receipts')}: <strong id="net-receipts">${money(run.net_receipts, run.currency)}</strong></p>
    <table><thead><tr><th scope="col">${t('payee')}</th><th scope="col" class="num">${t('amount')}</th><th scope="col" class="num">${t('total')}</th><th scope="col">${t('download')}</th></tr></thead>
    <tbody>${statements.map((env) => { const s = env.statement; const p = s.payee.id; return html`<tr><td>${name(p)}</td><td class="num">${money(s.total.amount, s.currency)}</td><td class="num">${money(s.total.cumulative, s.currency)}</td>
      <td><button type="button" class="link" onClick=${() => download(`${run.id}-${p}.json`, JSON.stringify(env, null, 2), 'application/json')}>JSON</button>
      <button type="button" class="link" onClick=${() => csv(p)}>CSV</button>
      <button type="button" class="link" onClick=${() => download(`${run.id}-${p}.html`, printable(env, name(p)), 'text/html')}>${t('printable')}</button></td></tr>`; })}</tbody></table>
    <h3>${t('where_money_went')}</h3>
    <${Sankey} run=${run} statements=${statements} name=${name} />`;
}

function Sankey({ run, statements, name }) {
  const [chart, setChart] = useState(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    // d3-sankey is loaded only where a chart is drawn.
    import('./sankey.js').then((m) => setChart(m.sankeyLayout(run, statements, name, 760, 420)), (e) => setErr(String(e)));
  }, [run.id]);
  if (err) return html`<p class="error">${err}</p>`;
  if (!chart) return html`<p aria-busy="true">${t('loading')}</p>`;
  return html`<figure><svg class="sankey" role="img" aria-label=${t('where_money_went')} viewBox="0 0 760 420" width="760" height="420">
    ${chart.links.map((l) => html`<path d=${l.path} fill="none" stroke=${l.color} stroke-opacity="0.45" stroke-width=${Math.max(1, l.width)}><title>${l.title}</title></path>`)}
    ${chart.nodes.map((n) => html`<g><rect x=${n.x0} y=${n.y0} width=${n.x1 - n.x0} height=${Math.max(1, n.y1 - n.y0)} fill="#2b4c7e"><title>${n.title}</title></rect>
      <text x=${n.x0 < 380 ? n.x1 + 6 : n.x0 - 6} y=${(n.y0 + n.y1) / 2} dy="0.35em" text-anchor=${n.x0 < 380 ? 'start' : 'end'}>${n.label}</text></g>`)}
  </svg><figcaption>${chart.caption}</figcaption></figure>`;
}

function MyStatements() {
  const s = useAsync(() => api('/v1/statements?payee=me', { auth: true }), []);
  return html`<section aria-labelledby="h-my"><h2 id="h-my">${t('tab_statements')}</h2>
    <${Loading} state=${s}>${s.data && html`<ul class="plain">${(s.data.statements || []).map((x) => html`<li>${x.period} · ${x.run || x.run_id} · ${money((x.total && x.total.amount !== undefined) ? x.total.amount : x.total || 0, x.currency)}
      ${(x.run || x.run_id) && html` <a href=${'#/console/settlements/' + (x.run || x.run_id)}>→</a>`}</li>`)}</ul>`}<//></section>`;
}
