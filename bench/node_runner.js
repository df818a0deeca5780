// The Node reference of bench/engine: instantiates FILE.wasm with WebAssembly.instantiate, calls
// `run` once to warm up (so V8's optimising tier is in), then times a second call of `run` only.
// Prints "CHECKSUM CPU_SECONDS WALL_SECONDS", like build/…/bench/hashos-bench.
const bytes = require('fs').readFileSync(process.argv[2]);
WebAssembly.instantiate(bytes, {}).then(({ instance }) => {
    const run = instance.exports.run;
    const warm = run();
    const cpuStart = process.cpuUsage();
    const wallStart = process.hrtime.bigint();
    const result = run();
    const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    if (warm !== result) {
        console.error(`node_runner: the warm-up call returned ${warm}, the timed call ${result}`);
        process.exit(1);
    }
    console.log(`${result} ${((cpu.user + cpu.system) / 1e6).toFixed(4)} ${wall.toFixed(4)}`);
});
