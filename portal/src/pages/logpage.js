import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { loadLog, verifyInclusion } from '../log.js';
import { html, useAsync, Loading, Badge } from './common.js';

export function LogPage({ index }) {
  const log = useAsync(() => loadLog(true), []);
  return html`<h1>${t('log_title')}</h1>
    <${Loading} state=${log}>${log.data && (index !== undefined
      ? html`<${Entry} log=${log.data} index=${Number(index)} />`
      : html`<${Overview} log=${log.data} />`)}<//>`;
}

function Overview({ log }) {
  const cp = log.checkpoint;
  const latest = log.entries.slice(-25).reverse();
  return html`
    <section aria-labelledby="h-cp" class="panel"><h2 id="h-cp">${t('checkpoint')}</h2>
      <p><${Badge} kind="ok">✓<//> ${t('checkpoint_ok', { key: log.vkey.split('+')[0], size: cp.size })}</p>
      <pre class="code" id="checkpoint">${cp.note}</pre>
      <h3>${t('cosignatures')}</h3>
      ${cp.cosignatures.length === 0 ? html`<p>${t('no_cosignatures')}</p>` : html`<ul class="plain">${cp.cosignatures.map((c) => html`<li><code>${c.name}</code> ${c.keyId} ${c.time}</li>`)}</ul>`}
    </section>
    <section aria-labelledby="h-latest"><h2 id="h-latest">${t('latest')}</h2>
      <table><thead><tr><th scope="col">${t('index')}</th><th scope="col">${t('type')}</th><th scope="col">${t('time')}</th></tr></thead>
      <tbody>${latest.map((e) => html`<tr><td><a href=${'#/log/' + e.index}>#${e.index}</a></td><td><code>${e.json ? e.json.type : '?'}</code></td><td>${e.json ? e.json.time : ''}</td></tr>`)}</tbody></table>
    </section>`;
}

function Entry({ log, index }) {
  const e = log.entries[index];
  const [proof, setProof] = useState(null);
  useEffect(() => {
    if (!e) return;
    verifyInclusion(log, e).then(setProof, (err) => setProof({ ok: false, err: String(err.message || err) }));
  }, [index]);
  if (!e) return html`<p class="error" role="alert">#${index}?</p>`;
  return html`
    <p><a href="#/log">← ${t('log_title')}</a></p>
    <h2>${t('entry')} #${index}: <code>${e.json && e.json.type}</code></h2>
    <pre class="code">${e.json ? JSON.stringify(e.json, null, 2) : ''}</pre>
    <section aria-labelledby="h-proof" class="panel"><h3 id="h-proof">${t('inclusion')}</h3>
      ${!proof ? html`<p aria-busy="true">${t('loading')}</p>` : html`
        <p id="proof-result">${proof.ok ? html`<${Badge} kind="ok">✓<//> ${t('proof_ok')}` : html`<${Badge} kind="bad">✗<//> ${t('receipt_bad')} ${proof.err || ''}`}</p>
        ${proof.leaf && html`<p>${t('leaf_hash')}: <code>${proof.leaf}</code></p>
        <ol class="hashes">${proof.hashes.map((x) => html`<li><code>${x}</code></li>`)}</ol>`}`}
      <p class="muted">${t('checkpoint_ok', { key: log.vkey.split('+')[0], size: log.checkpoint.size })}</p>
    </section>`;
}
