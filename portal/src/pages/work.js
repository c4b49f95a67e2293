import { useEffect, useState } from 'preact/hooks';
import { t, localName } from '../i18n.js';
import { loadLog, partyName } from '../log.js';
import { html, useAsync, Loading } from './common.js';

export function WorkPage({ id }) {
  const log = useAsync(() => loadLog(), []);
  return html`<${Loading} state=${log}>${log.data && html`<${Work} ix=${log.data.index} id=${id} />`}<//>`;
}

const title = (w) => (w ? localName(w.titles, Object.values(w.titles || {})[0] || w.id) : '');

// The works connected to `id` through derivations (both directions), and the edges.
function neighbourhood(ix, id) {
  const seen = new Set([id]);
  const queue = [id];
  const edges = [];
  while (queue.length) {
    const w = queue.shift();
    for (const e of ix.edges) {
      if (e.work !== w && e.used !== w) continue;
      if (!edges.includes(e)) edges.push(e);
      for (const n of [e.work, e.used]) if (!seen.has(n)) { seen.add(n); queue.push(n); }
    }
  }
  return { nodes: [...seen], edges };
}

function Work({ ix, id }) {
  const w = ix.works[id];
  if (!w) return html`<h1>${id}</h1><p class="error" role="alert">${t('search_none')}</p>`;
  const g = neighbourhood(ix, id);
  const agreements = Object.values(ix.agreements).filter((a) => a.work === id);
  return html`
    <h1>${title(w)}</h1>
    <dl class="facts"><dt>${t('type')}</dt><dd>${w.type}</dd><dt>ID</dt><dd><code>${w.id}</code></dd>
      <dt>${t('owner')}</dt><dd>${partyName(ix, w.org_id)}</dd>
      <dt>SHA-256</dt><dd><code class="wrap">${(w.digests && w.digests.sha256) || w.sha256 || ''}</code></dd>
      ${agreements.length > 0 && html`<dt>${t('tab_agreements')}</dt><dd>${agreements.map((a) => html`<span>${a.title || a.id} (${a.status}) </span>`)}</dd>`}
    </dl>
    <section aria-labelledby="h-rights"><h2 id="h-rights">${t('rights_holders')}</h2>
      <table><thead><tr><th scope="col">${t('right')}</th><th scope="col">${t('party')}</th><th scope="col">${t('share')}</th></tr></thead>
      <tbody>${Object.entries(w.rights || {}).flatMap(([right, holders]) => holders.map((hd) => html`<tr><td>${right}</td><td>${partyName(ix, hd.party)} <code>${hd.party}</code></td><td>${(hd.share_bp / 100).toFixed(2)}%</td></tr>`))}</tbody></table>
    </section>
    <section aria-labelledby="h-graph"><h2 id="h-graph">${t('derivation')}</h2>
      <${Graph} ix=${ix} g=${g} root=${id} />
      <ul class="plain">${g.edges.map((e) => html`<li><a href=${'#/work/' + e.work}>${title(ix.works[e.work])}</a> ${t('uses')} <a href=${'#/work/' + e.used}>${title(ix.works[e.used])}</a> <small>(${e.role})</small></li>`)}</ul>
    </section>`;
}

function Graph({ ix, g, root }) {
  const [layout, setLayout] = useState(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    // The layout library is loaded only on the pages that draw a graph.
    import('./graph.js').then((m) => setLayout(m.layoutGraph(
      g.nodes.map((n) => ({ id: n, label: title(ix.works[n]) || n, type: (ix.works[n] || {}).type || '' })),
      g.edges.map((e) => ({ from: e.work, to: e.used, label: e.role })))), (e) => setErr(String(e)));
  }, [root, g.edges.length]);
  if (err) return html`<p class="error">${err}</p>`;
  if (!layout) return html`<p aria-busy="true">${t('loading')}</p>`;
  return html`
    <svg class="dag" role="group" aria-label=${t('derivation')} viewBox=${`0 0 ${layout.width} ${layout.height}`} width=${layout.width} height=${layout.height}>
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#44546a" /></marker></defs>
      ${layout.edges.map((e) => html`<g class="edge"><path d=${e.path} fill="none" stroke="#44546a" stroke-width="1.5" marker-end="url(#arrow)" />
        <text x=${e.lx} y=${e.ly} text-anchor="middle">${e.label}</text></g>`)}
      ${layout.nodes.map((n) => html`<a href=${'#/work/' + n.id}><g class=${'node' + (n.id === root ? ' root' : '')} data-work=${n.id}>
        <rect x=${n.x - n.width / 2} y=${n.y - n.height / 2} width=${n.width} height=${n.height} rx="8" />
        <text x=${n.x} y=${n.y - 4} text-anchor="middle" class="nl">${n.label}</text>
        <text x=${n.x} y=${n.y + 14} text-anchor="middle" class="nt">${n.type}</text></g></a>`)}
    </svg>`;
}
