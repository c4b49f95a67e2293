// The portal's browser suite (run by tests/portal_test.cc against `vtrust serve --demo`):
// playwright-core drives Debian's chromium headless; axe-core checks accessibility.
// Environment: VTRUST_URL (the server), VTRUST_DEMO (the demo's demo.json),
// VTRUST_OUT (screenshots and the log). Exits non-zero on the first failed check.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const URL_BASE = process.env.VTRUST_URL;
const demo = JSON.parse(readFileSync(process.env.VTRUST_DEMO, 'utf8'));
const OUT = process.env.VTRUST_OUT;
mkdirSync(OUT, { recursive: true });
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let failures = 0;
function check(cond, what) {
  console.log((cond ? 'ok   ' : 'FAIL ') + what);
  if (!cond) failures++;
}
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    console.log('FAIL ' + name + ': ' + (e && e.stack ? e.stack : e));
    failures++;
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
// bypassCSP: only so that the test can inject axe-core; the portal's own CSP forbids
// inline scripts.
const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US', bypassCSP: true });
const page = await context.newPage();
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`); });

async function axe(name) {
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe: no serious violations on ${name}` +
    (bad.length ? ': ' + bad.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`).join(', ') : ''));
}
async function shot(name) {
  await page.screenshot({ path: path.join(OUT, name), fullPage: true });
}
async function setLang(lang) {
  await page.evaluate((l) => localStorage.setItem('vtrust.lang', l), lang);
}

// 1. The first load transfers under 200 KB (measured by the browser).
await step('first load', async () => {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(URL_BASE + '/', { waitUntil: 'networkidle' });
  await setLang('en');
  check(bytes > 0 && bytes < 200 * 1024, `first page load transferred ${bytes} bytes (< 200 KB)`);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.detach();
});

// 2. Search the idol by her Chinese name and by her registry ID, open her page.
await step('search', async () => {
  await page.goto(URL_BASE + '/#/', { waitUntil: 'networkidle' });
  await page.getByLabel('Name (any language), registry ID or URN').fill('星野');
  await page.getByRole('button', { name: 'Search' }).click();
  const hit = page.locator(`a[href="#/c/${demo.character}"]`);
  await hit.waitFor();
  check(await hit.count() === 1, 'search by Chinese name finds Hoshino Lumi');
  await page.getByLabel('Name (any language), registry ID or URN').fill(demo.character.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'Search' }).click();
  await hit.waitFor();
  await axe('search');
  await hit.click();
  await page.locator('h1', { hasText: 'Hoshino Lumi' }).waitFor();
  check(true, 'the search result opens her page');
});

// 3. The URL in her card's QR code (the rendered card.svg, decoded by zbarimg).
let qrUrl = '';
await step('qr', async () => {
  const res = await fetch(`${URL_BASE}/v1/characters/${demo.character}/card.svg`, { headers: { Authorization: 'Bearer ' + demo.token } });
  check(res.ok, 'card.svg renders');
  const svg = path.join(OUT, 'card.svg');
  const png = path.join(OUT, 'card.png');
  writeFileSync(svg, await res.text());
  execFileSync('rsvg-convert', ['-w', '1712', '-b', 'white', '-o', png, svg]);
  qrUrl = execFileSync('zbarimg', ['-q', '--raw', png]).toString().trim();
  check(qrUrl === `${URL_BASE}/verify/${demo.character}`, `the QR code encodes ${qrUrl}`);
});

// 4. Her page as the QR code opens it: status, receipts, "I am me" live.
await step('character page', async () => {
  await page.goto(qrUrl, { waitUntil: 'networkidle' });
  await page.locator('h1', { hasText: 'Hoshino Lumi' }).waitFor();
  check((await page.locator('#status').innerText()).includes('Valid'), 'her card is valid');
  await page.locator('.receipts li').first().waitFor();
  const receipts = await page.locator('.receipts li').allInnerTexts();
  check(receipts.length >= 2 && receipts.every((r) => r.includes('included in the signed checkpoint')),
    `every log receipt of hers verifies in the browser (${receipts.length})`);
  check(await page.getByRole('button', { name: 'PEM ' + demo.card_serial }).count() === 1, 'her certificate can be downloaded');
  await page.getByRole('button', { name: 'Create a challenge' }).click();
  await page.getByLabel('Holder key (PKCS#8 PEM; it never leaves this browser)').setInputFiles(demo.holder_key);
  await page.locator('#verdict').waitFor();
  check(await page.locator('#verdict').innerText() === 'valid', '"I am me" with her holder key: valid');
  check((await page.locator('.verdict').innerText()).includes('verdict signature verified'), 'the verdict signature verifies in the browser');
  await axe('character');
  await shot('character-en.png');
  await setLang('zh');
  await page.reload({ waitUntil: 'networkidle' });
  await page.locator('h1', { hasText: '星野露米' }).waitFor();
  check((await page.locator('#status').innerText()).includes('有效'), 'the page in Chinese');
  await axe('character (zh)');
  await shot('character-zh.png');
  await setLang('en');
});

// 5. Verify the signed poster (trusted) and a tampered copy (invalid).
await step('verify media', async () => {
  const poster = readFileSync(demo.poster);
  const tampered = Buffer.from(poster);
  // Flip bytes inside the picture data (the last IDAT chunk, before IEND).
  const at = tampered.lastIndexOf(Buffer.from('IEND')) - 40;
  for (let i = 0; i < 8; i++) tampered[at + i] ^= 0xff;
  const tamperedPath = path.join(OUT, 'poster-tampered.png');
  writeFileSync(tamperedPath, tampered);
  await page.goto(URL_BASE + '/#/verify', { waitUntil: 'networkidle' });
  await page.getByLabel('Media file').setInputFiles(demo.poster);
  await page.locator('#content-verdict').waitFor();
  check(await page.locator('#content-verdict').getAttribute('data-verdict') === 'trusted', 'the signed poster is trusted');
  check((await page.locator('.panel[role=status]').innerText()).includes('Hoshino Lumi'), 'the credential names Hoshino Lumi');
  await axe('verify');
  await shot('verify-en.png');
  await page.getByLabel('Media file').setInputFiles(tamperedPath);
  await page.waitForFunction(() => document.querySelector('#content-verdict') && document.querySelector('#content-verdict').dataset.verdict !== 'trusted');
  check(await page.locator('#content-verdict').getAttribute('data-verdict') === 'invalid', 'the tampered copy is invalid');
});

// 6. The concert's derivation graph.
await step('work graph', async () => {
  await page.goto(`${URL_BASE}/#/work/${demo.works.concert}`, { waitUntil: 'networkidle' });
  await page.locator('svg.dag').waitFor();
  const nodes = await page.locator('svg.dag g.node').count();
  check(nodes === 4, `the derivation graph draws the concert and the 3 works it uses (${nodes} nodes)`);
  for (const w of ['design', 'song', 'choreography'])
    check(await page.locator(`svg.dag g.node[data-work="${demo.works[w]}"]`).count() === 1, `graph has the ${w}`);
  // Signed out, the public log's commitments stand for personal names: the page
  // lists the voice actor by id and never shows a commitment as a name.
  const holders = await page.locator('table').first().innerText();
  check(holders.includes(demo.people.voice), 'rights holders list the voice actor');
  check(!holders.includes('sha256:'), 'no commitment shown as a name');
  await axe('work');
  await shot('work-en.png');
});

// 7. The log explorer: checkpoint and one entry's inclusion proof, verified here.
await step('log', async () => {
  await page.goto(URL_BASE + '/#/log', { waitUntil: 'networkidle' });
  await page.locator('#checkpoint').waitFor();
  check((await page.locator('main').innerText()).includes('Checkpoint signature verified'), 'checkpoint signature verified in the browser');
  await axe('log');
  await page.goto(URL_BASE + '/#/log/3', { waitUntil: 'networkidle' });
  await page.locator('#proof-result').waitFor();
  check((await page.locator('#proof-result').innerText()).includes('verified in this browser'), 'entry 3 inclusion proof verified in the browser');
});

// 8. The console: sign in, read the settlement and its chart, register a character
// and issue a card.
await step('console', async () => {
  await page.goto(URL_BASE + '/#/console', { waitUntil: 'networkidle' });
  await page.getByLabel('API token').fill(demo.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  check(await page.evaluate(() => localStorage.getItem('vtrust.token')) === null, 'the token is not in localStorage');
  check(await page.evaluate(() => sessionStorage.getItem('vtrust.token')) !== null, 'the token is in sessionStorage');
  const run = demo.runs[0].id;
  await page.goto(`${URL_BASE}/#/console/settlements/${run}`, { waitUntil: 'networkidle' });
  await page.locator('#net-receipts').waitFor();
  check((await page.locator('#net-receipts').innerText()).startsWith('¥'), 'net receipts shown in yuan');
  await page.locator('svg.sankey path').first().waitFor();
  const links = await page.locator('svg.sankey path').count();
  check(links >= 7, `the Sankey draws the money's paths (${links} links)`);
  check((await page.locator('.run-view table').innerText()).includes('Zhou Ming'), 'statements list the composer');
  await axe('settlement');
  await shot('settlement-en.png');

  await page.goto(`${URL_BASE}/#/console/characters`, { waitUntil: 'networkidle' });
  const idol = 'Portal Test Idol ' + Date.now().toString(36);
  await page.getByLabel('Name', { exact: true }).fill(idol);
  await page.getByLabel('Chinese name').fill('门户测试偶像');
  await page.getByRole('button', { name: 'Register' }).click();
  const row = page.locator('article.character-row', { hasText: idol });
  await row.waitFor();
  check(true, 'a character registered in the console');
  await row.getByRole('button', { name: 'Issue a card' }).click();
  await row.locator('table .badge.ok').waitFor();
  check(await row.locator('table tbody tr').count() === 1, 'a card issued in the console');
  await row.locator('img.cardsvg').waitFor();
  await axe('console');
  await shot('console-en.png');
});

check(consoleErrors.length === 0, 'no console errors' + (consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''));
await browser.close();
console.log(failures === 0 ? 'portal browser suite: all checks passed' : `portal browser suite: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
