// Builds the portal: node build.mjs SRC_DIR NODE_MODULES_DIR OUT_DIR
// (run by src/portal/CMakeLists.txt after `npm ci` into the build tree).
// Writes OUT_DIR/index.html, OUT_DIR/head.html (the tags the server inserts into
// its own pages) and OUT_DIR/assets/ (content-hashed, minified ES modules; the
// graph-layout and Sankey libraries are split into chunks loaded on demand).
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [srcDir, modulesDir, outDir] = process.argv.slice(2).map((p) => p && path.resolve(p));
if (!srcDir || !modulesDir || !outDir) {
  console.error('usage: node build.mjs SRC_DIR NODE_MODULES_DIR OUT_DIR');
  process.exit(2);
}
const require = createRequire(path.join(modulesDir, 'noop.js'));
const esbuild = require('esbuild');

const result = await esbuild.build({
  entryPoints: { app: path.join(srcDir, 'src', 'main.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['es2022'],
  outdir: path.join(outDir, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  nodePaths: [modulesDir],
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

let js = '', css = '';
for (const [file, info] of Object.entries(result.metafile.outputs)) {
  if (path.basename(file).startsWith('app-') && file.endsWith('.js')) js = '/assets/' + path.basename(file);
  if (file.endsWith('.css') && path.basename(file).startsWith('app-')) css = '/assets/' + path.basename(file);
}
if (!js) throw new Error('esbuild produced no entry script');
const head =
  '<link rel="icon" href="data:,">' +
  (css ? `<link rel="stylesheet" href="${css}">` : '') +
  `<script type="module" src="${js}"></script>`;
const index = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vtrust</title>
${head}</head>
<body><div id="app"><noscript>The vtrust portal needs JavaScript. The API is described at <a href="/openapi.json">/openapi.json</a>.</noscript></div></body></html>
`;
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'index.html'), index);
writeFileSync(path.join(outDir, 'head.html'), head);
