// Writes a manifest with the official SDK's builder (c2pa-rs Builder through
// @contentauth/c2pa-wasm 0.13.3), for vtrust's verifier to read:
//
//   node build_fixture.mjs KEY.pem CHAIN.pem IN.jpg OUT.jpg
//
// CHAIN.pem: the signer's certificate first, then intermediates (no root);
// KEY.pem: its P-256 key. The builder makes the assertions, the claim, the
// JUMBF store and the embedding. What 0.13.3 leaves to the caller:
// - Its SignerDefinition is {sign, reserveSize, alg}, with no certificate
//   field, and `sign` receives the claim bytes (c2pa-rs's "direct COSE
//   handling"): the callback must return the whole COSE_Sign1_Tagged. This
//   file builds it as C2PA 2.2 §13.2 says: protected {1: alg, 33: x5chain},
//   detached payload, Sig_structure ["Signature1", protected, h'', claim],
//   ES256 as r||s, padded (unprotected "pad") to exactly reserveSize bytes:
//   the builder hashes the asset with a placeholder of that size and embeds
//   the callback's bytes as they are, so a shorter COSE breaks the data hash.
// - WasmBuilder.sign reads its source Blob with FileReaderSync, a Web Worker
//   API that Node lacks; the Blob below keeps its bytes and a FileReaderSync
//   stand-in returns them.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { initSync, WasmBuilder } from '@contentauth/c2pa-wasm';

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleDir = process.env.C2PA_SDK_MODULES ?? path.join(here, 'node_modules');
initSync({ module: fs.readFileSync(path.join(moduleDir, '@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm')) });

class BytesBlob extends Blob {
  constructor(bytes) { super([bytes]); this.bytes = bytes; }
  slice(start = 0, end = this.bytes.length) { return new BytesBlob(this.bytes.subarray(start, end)); }
}
globalThis.FileReaderSync = class {
  readAsArrayBuffer(blob) {
    const b = blob.bytes;
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  }
};

// Minimal deterministic CBOR (RFC 8949): ints, byte and text strings, arrays,
// Maps, null, and tag 18.
function head(major, n) {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
function cbor(v) {
  if (v === null) return Buffer.from([0xf6]);
  if (typeof v === 'number') return Buffer.from(v >= 0 ? head(0, v) : head(1, -1 - v));
  if (typeof v === 'string') { const b = Buffer.from(v, 'utf8'); return Buffer.concat([Buffer.from(head(3, b.length)), b]); }
  if (v instanceof Uint8Array) return Buffer.concat([Buffer.from(head(2, v.length)), Buffer.from(v)]);
  if (Array.isArray(v)) return Buffer.concat([Buffer.from(head(4, v.length)), ...v.map(cbor)]);
  if (v instanceof Map) {
    const parts = [Buffer.from(head(5, v.size))];
    for (const [k, x] of v) parts.push(cbor(k), cbor(x));
    return Buffer.concat(parts);
  }
  if (v.tag !== undefined) return Buffer.concat([Buffer.from(head(6, v.tag)), cbor(v.value)]);
  throw new Error('cbor: unsupported value');
}

const [keyFile, chainFile, inFile, outFile] = process.argv.slice(2);
const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
const chain = fs.readFileSync(chainFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)
  .map((pem) => new Uint8Array(new crypto.X509Certificate(pem).raw));

const signer = {
  alg: 'es256',
  reserveSize: 16384,
  sign: async (claim) => {
    const protectedBytes = cbor(new Map([[1, -7], [33, chain.length === 1 ? chain[0] : chain]]));
    const tbs = cbor(['Signature1', new Uint8Array(protectedBytes), new Uint8Array(0), new Uint8Array(claim)]);
    const sig = crypto.sign('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' });
    const cose = (unprotected) => cbor({ tag: 18, value: [new Uint8Array(protectedBytes), unprotected, null, new Uint8Array(sig)] });
    // The store was hashed with a signature of exactly reserveSize bytes: pad
    // up to it (unprotected "pad", as c2pa-rs pads its own signatures).
    const bare = cose(new Map()).length;
    for (let n = signer.reserveSize - bare - 12; n < signer.reserveSize - bare; n++) {
      const padded = cose(new Map([['pad', new Uint8Array(Math.max(n, 0))]]));
      if (padded.length === signer.reserveSize) return new Uint8Array(padded);
    }
    throw new Error('cannot pad the COSE_Sign1 to reserveSize');
  },
};

const builder = WasmBuilder.fromJson(JSON.stringify({
  claim_generator_info: [{ name: 'c2pa-wasm fixture', version: '0.13.3' }],
  title: 'written by the C2PA SDK builder',
  assertions: [{ label: 'c2pa.actions.v2', data: { actions: [{ action: 'c2pa.created',
    digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation' }] } }],
}));
const out = await builder.sign(signer, [], 'image/jpeg', new BytesBlob(new Uint8Array(fs.readFileSync(inFile))));
fs.writeFileSync(outFile, out);
console.log(JSON.stringify({ out: outFile, bytes: out.length }));
