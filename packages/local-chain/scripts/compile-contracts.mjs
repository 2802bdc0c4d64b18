// Build step, after tsc: compiles contracts/*.sol into dist/contracts/ with the pinned solc.
import { compileDataProtector } from '../dist/dataProtector.js';

const started = performance.now();
const { compiler } = compileDataProtector();
console.log(`DataProtector.sol compiled with solc ${compiler} in ${Math.round(performance.now() - started)} ms`);
