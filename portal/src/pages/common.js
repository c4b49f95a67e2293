import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import htm from 'htm';
import { t } from '../i18n.js';

export const html = htm.bind(h);

// Runs `load` (async) when `deps` change: {data, error, loading, reload}.
export function useAsync(load, deps) {
  const [state, setState] = useState({ loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    load().then((data) => live && setState({ data }), (error) => live && setState({ error }));
    return () => { live = false; };
  }, [...deps, n]);
  return { ...state, reload: () => setN(n + 1) };
}

export function Loading({ state, children }) {
  if (state.error) {
    console.error(state.error);
    return html`<p class="error" role="alert">${t('error')}: ${String(state.error.message || state.error)}</p>`;
  }
  if (state.loading) return html`<p aria-busy="true">${t('loading')}</p>`;
  return children;
}

export function Field({ label, id, children, hint }) {
  return html`<div class="field"><label for=${id}>${label}</label>${children}${hint ? html`<small>${hint}</small>` : ''}</div>`;
}

export function Badge({ kind, children }) {
  return html`<span class=${'badge ' + kind}>${children}</span>`;
}

export const day = (s) => (s ? String(s).slice(0, 10) : '');
