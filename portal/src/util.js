// Small helpers shared by the pages: the API client, encodings, WebCrypto.
export const $token = {
  get: () => sessionStorage.getItem('vtrust.token') || '',
  set: (t) => (t ? sessionStorage.setItem('vtrust.token', t) : sessionStorage.removeItem('vtrust.token')),
};

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem;
  }
}

// Calls the vtrust API. `body`: an object (JSON) or a Blob/ArrayBuffer (raw).
export async function api(path, { method = 'GET', body, auth = false, as = 'json', headers = {} } = {}) {
  const h = { ...headers };
  if (auth && $token.get()) h.Authorization = 'Bearer ' + $token.get();
  let payload;
  if (body instanceof Blob || body instanceof ArrayBuffer || body instanceof Uint8Array) {
    payload = body;
    h['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers: h, body: payload });
  if (!res.ok) {
    let p = null;
    try { p = await res.json(); } catch (e) { /* not JSON */ }
    throw new ApiError(res.status, p);
  }
  if (as === 'text') return res.text();
  if (as === 'bytes') return new Uint8Array(await res.arrayBuffer());
  return res.json();
}

export const enc = new TextEncoder();
export const dec = new TextDecoder();

export function b64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
export function b64url(bytes) {
  return b64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export function unb64(s) {
  s = s.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '');
  while (s.length % 4) s += '=';
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
export function hex(bytes) {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) { out.set(p, i); i += p.length; }
  return out;
}
export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}
export function pemToDer(pem) {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return unb64(body);
}
export function derToPem(der, label = 'CERTIFICATE') {
  const s = b64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${s}\n-----END ${label}-----\n`;
}
// RFC 8785 for the JSON the portal signs (strings, integers, booleans, objects).
export function jcs(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + jcs(v[k])).join(',') + '}';
}
// WebCrypto's ECDSA signature (r ‖ s, 64 bytes) as DER ECDSA-Sig-Value.
export function rawEcdsaToDer(raw) {
  const int = (b) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    b = b.slice(i);
    if (b[0] & 0x80) b = concat(new Uint8Array([0]), b);
    return concat(new Uint8Array([2, b.length]), b);
  };
  const body = concat(int(raw.slice(0, 32)), int(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}
// Signs `message` with a PKCS#8 PEM key (P-256 or Ed25519) inside the browser; the
// key never leaves the page. Returns the signature in vtrust's encoding.
export async function signWithPem(pem, message) {
  const der = pemToDer(pem);
  try {
    const k = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, k, message));
    return rawEcdsaToDer(raw);
  } catch (e) {
    const k = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, k, message));
  }
}
export async function verifyEd25519Spki(pem, signature, message) {
  const k = await crypto.subtle.importKey('spki', pemToDer(pem), { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, k, signature, message);
}

// Amounts are minor units (fen); the portal shows yuan.
export function money(minor, currency = 'CNY') {
  const neg = minor < 0;
  const v = Math.abs(Number(minor));
  const s = Math.floor(v / 100).toLocaleString('en-US') + '.' + String(v % 100).padStart(2, '0');
  return (neg ? '-' : '') + (currency === 'CNY' ? '¥' : currency + ' ') + s;
}

export function download(name, data, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function readFile(file, as = 'bytes') {
  return as === 'text' ? file.text() : file.arrayBuffer().then((b) => new Uint8Array(b));
}
