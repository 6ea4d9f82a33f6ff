// Lets a plain `node` child process run the TypeScript sources (tests spawn real service processes):
// `node --require ./test/support/swc-register.js some-file.ts`. Same swc settings as jest; maps the
// `@assemblr/shared` alias to the library's entry.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const sharedEntry = path.resolve(__dirname, '../../libs/shared/src/index.ts');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === '@assemblr/shared' ? sharedEntry : request, ...rest);
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
