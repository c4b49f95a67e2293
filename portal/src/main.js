// The vtrust portal: public pages (search, character, verify, work, log explorer) and
// the organization console. Routes are hash routes ("#/work/wrk_..."); the card's QR
// code opens /verify/<registry id>, which the server renders and this script upgrades
// to the character page.
import './style.css';
import { h, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import htm from 'htm';
import { t, getLang, setLang, onLang } from './i18n.js';
import { SearchPage } from './pages/search.js';
import { CharacterPage } from './pages/character.js';
import { VerifyPage } from './pages/verify.js';
import { WorkPage } from './pages/work.js';
import { LogPage } from './pages/logpage.js';
import { ConsolePage } from './pages/console.js';

export const html = htm.bind(h);

function currentRoute() {
  const hash = location.hash.replace(/^#/, '');
  if (hash.startsWith('/')) return hash.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  const m = location.pathname.match(/^\/(?:verify|c)\/([^/]+)$/);
  if (m) return ['c', decodeURIComponent(m[1])];
  return [];
}

function Page({ route }) {
  const [first, ...rest] = route;
  switch (first) {
    case 'c': return html`<${CharacterPage} id=${rest[0]} />`;
    case 'verify': return html`<${VerifyPage} />`;
    case 'work': return html`<${WorkPage} id=${rest[0]} />`;
    case 'log': return html`<${LogPage} index=${rest[0]} />`;
    case 'console': return html`<${ConsolePage} tab=${rest[0]} arg=${rest[1]} />`;
    default: return html`<${SearchPage} />`;
  }
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [, setL] = useState(getLang());
  useEffect(() => {
    const f = () => setRoute(currentRoute());
    addEventListener('hashchange', f);
    const off = onLang(setL);
    return () => { removeEventListener('hashchange', f); off(); };
  }, []);
  useEffect(() => {
    const main = document.getElementById('main');
    if (main && document.activeElement === document.body) main.focus({ preventScroll: true });
  }, [route.join('/')]);
  const nav = (href, label, key) => html`<a href=${href} aria-current=${route[0] === key ? 'page' : undefined}>${label}</a>`;
  return html`
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>${t('skip')}</a>
    <header class="top">
      <a class="brand" href="/#/">vtrust</a>
      <nav aria-label="main">
        ${nav('/#/', t('nav_search'), undefined)}
        ${nav('/#/verify', t('nav_verify'), 'verify')}
        ${nav('/#/log', t('nav_log'), 'log')}
        ${nav('/#/console', t('nav_console'), 'console')}
      </nav>
      <button class="lang" type="button" lang=${getLang() === 'zh' ? 'en' : 'zh-Hans'} title=${t('lang_label')}
        onClick=${() => setLang(getLang() === 'zh' ? 'en' : 'zh')}>${t('lang_switch')}</button>
    </header>
    <main id="main" tabindex="-1"><${Page} route=${route} /></main>`;
}

function boot() {
  setLang(getLang());
  // The server-rendered verification page (no-script fallback) is replaced.
  let root = document.getElementById('app');
  if (!root) {
    document.body.replaceChildren();
    document.body.removeAttribute('style');
    root = document.createElement('div');
    root.id = 'app';
    document.body.appendChild(root);
  }
  render(html`<${App} />`, root);
}
boot();
