// The Node reference of bench/wasi: runs FILE.wasm as a WASI command under node:wasi (Node 20),
// with the arguments after it, the way `hashos run FILE.wasm -- ARGS` does; stdout and stderr go
// straight through and the exit code is the program's.
const { readFileSync } = require('node:fs');
const { WASI } = require('node:wasi');

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
WebAssembly.compile(readFileSync(file))
    .then((module) => WebAssembly.instantiate(module, wasi.getImportObject()))
    .then((instance) => {
        process.exitCode = wasi.start(instance);
    });
