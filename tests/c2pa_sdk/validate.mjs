// Validates assets with the official C2PA SDK (c2pa-rs compiled to wasm),
// offline: no OCSP or remote-manifest fetches. The root PEM is the trust
// anchor for claim signers, time-stamping authorities (sigTst2) and, with
// trust_kind "cawg", CAWG identities.
//
//   node validate.mjs ROOT.pem FILE...
// Prints one JSON line per FILE: {file, state, failure: [codes], success: [codes]}.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleDir = process.env.C2PA_SDK_MODULES ?? path.join(here, 'node_modules');
initSync({ module: fs.readFileSync(path.join(moduleDir, '@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm')) });

// A .c2pa sidecar is read alone as application/c2pa: 0.13.3 exports no reader
// over a manifest store plus a separate asset, so its hard binding is checked
// against the store's own bytes (assertion.dataHash.mismatch, by construction).
const types = { jpeg: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png', wav: 'audio/wav', mp4: 'video/mp4', c2pa: 'application/c2pa' };
const [rootFile, ...args] = process.argv.slice(2);
const pem = fs.readFileSync(rootFile, 'utf8');
const settings = JSON.stringify({
  verify: { verify_trust: true, verify_timestamp_trust: true, ocsp_fetch: false, remote_manifest_fetch: false },
  trust: { trust_anchors: pem, anchors: [{ trust_anchors: pem, trust_kind: 'cawg' }] },
});
for (let i = 0; i < args.length; i++) {
  const file = args[i];
  const out = { file };
  try {
    const bytes = new Uint8Array(fs.readFileSync(file));
    const type = types[file.split('.').pop().toLowerCase()];
    const reader = await WasmReader.fromBytes(type, bytes, settings);
    const store = JSON.parse(reader.json());
    const res = store.validation_results?.activeManifest ?? {};
    out.state = store.validation_state;
    out.failure = (res.failure ?? []).map((x) => x.code);
    out.success = (res.success ?? []).map((x) => x.code);
    out.informational = (res.informational ?? []).map((x) => x.code);
  } catch (e) {
    out.state = 'Error';
    out.error = String(e).slice(0, 300);
  }
  console.log(JSON.stringify(out));
}
