// Compiles the monorepo with tsc, then rewrites the `@assemblr/shared` alias in the
// emitted CommonJS to a relative path, so `node dist/apps/<app>/src/main.js` runs as is.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const dist = join(root, 'dist');
const sharedEntry = join(dist, 'libs/shared/src/index.js');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

function* jsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* jsFiles(path);
    else if (name.endsWith('.js')) yield path;
  }
}

let rewritten = 0;
for (const file of jsFiles(dist)) {
  const source = readFileSync(file, 'utf8');
  if (!source.includes('@assemblr/shared')) continue;
  let target = relative(dirname(file), sharedEntry).replace(/\\/g, '/');
  if (!target.startsWith('.')) target = `./${target}`;
  writeFileSync(file, source.replace(/(require\()(["'])@assemblr\/shared\2\)/g, `$1$2${target}$2)`));
  rewritten += 1;
}
console.log(`build: dist/ ready (${rewritten} files with the shared alias rewritten)`);
