// wasm benchmarks in Node: ./build.sh bench builds target/pkg-node first.
import { createRequire } from "node:module";
import { runBench, formatRows } from "../../www/js/bench.js";

const require = createRequire(import.meta.url);
const E = require("../../target/pkg-node/optplay.js");
console.log(formatRows(`wasm (Node ${process.version}, SIMD128 ${E.simdEnabled() ? "on" : "off"})`, runBench(E)));
