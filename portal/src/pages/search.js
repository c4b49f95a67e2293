import { useState } from 'preact/hooks';
import { t, localName } from '../i18n.js';
import { loadLog, partyName } from '../log.js';
import { html, useAsync, Loading, Field } from './common.js';

const norm = (s) => String(s || '').toLowerCase().replace(/^urn:vtrust:char:/, '').replace(/[\s\-_.]/g, '');

export function matches(c, q) {
  const n = norm(q);
  if (!n) return true;
  const hay = [c.id, c.urn, c.name, ...Object.values(c.names || {})].map(norm);
  return hay.some((x) => x.includes(n));
}

export function SearchPage() {
  const log = useAsync(() => loadLog(), []);
  const [q, setQ] = useState(new URLSearchParams(location.hash.split('?')[1] || '').get('q') || '');
  const [typed, setTyped] = useState(q);
  return html`
    <h1>${t('search_title')}</h1>
    <form role="search" class="row" onSubmit=${(e) => { e.preventDefault(); setQ(typed); }}>
      <${Field} label=${t('search_label')} id="q">
        <input id="q" name="q" type="search" value=${typed} onInput=${(e) => setTyped(e.target.value)} autocomplete="off" />
      <//>
      <button type="submit">${t('search_button')}</button>
    </form>
    <p class="hint">${t('search_hint')}</p>
    <${Loading} state=${log}>${log.data && html`<${Results} ix=${log.data.index} q=${q} />`}<//>`;
}

function Results({ ix, q }) {
  const chars = Object.values(ix.characters).filter((c) => matches(c, q));
  const works = Object.values(ix.works).filter((w) => !q || Object.values(w.titles || {}).some((x) => norm(x).includes(norm(q))) || norm(w.id).includes(norm(q)));
  return html`
    <section aria-labelledby="h-chars">
      <h2 id="h-chars">${t('characters')}</h2>
      ${chars.length === 0 ? html`<p>${t('search_none')}</p>` : html`
      <ul class="cards-list">${chars.map((c) => html`
        <li><a class="result" href=${'#/c/' + encodeURIComponent(c.id)}>
          <strong>${localName(c.names, c.name)}</strong>
          <span class="muted"> ${c.name !== localName(c.names, c.name) ? c.name : ''}</span>
          <code>${c.id}</code>
          <span class="muted">${partyName(ix, c.owner_org)}</span>
        </a></li>`)}</ul>`}
    </section>
    ${works.length > 0 && html`<section aria-labelledby="h-works">
      <h2 id="h-works">${t('works')}</h2>
      <ul class="cards-list">${works.map((w) => html`
        <li><a class="result" href=${'#/work/' + encodeURIComponent(w.id)}>
          <strong>${localName(w.titles, Object.values(w.titles || {})[0] || w.id)}</strong>
          <span class="muted">${w.type}</span> <code>${w.id}</code></a></li>`)}</ul>
    </section>`}`;
}
