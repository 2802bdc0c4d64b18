export { action, createProgram } from './main.js';
export { CliError, createOutput, EXIT, exitCodeOf, reportError, type GlobalOptions, type Output } from './output.js';
export { localNetworkOf } from './context.js';
