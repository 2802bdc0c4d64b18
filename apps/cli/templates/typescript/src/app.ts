// __APP_NAME__: an iApp in TypeScript. `confidant test` and `confidant deploy` compile src/*.ts to
// JavaScript (the enclave runs JavaScript); it reads its inputs from the IEXEC_* environment
// through ./confidant-enclave.js and writes its result to IEXEC_OUT.
import { readFileSync } from 'node:fs';
import {
  getArgs,
  getInputFiles,
  getRequesterSecret,
  getValue,
  hasProtectedData,
  writeComputedJson,
  writeResultFile,
} from './confidant-enclave.js';

const [argName] = getArgs();
// The protected data is decrypted only inside the enclave; `name` is one of its keys.
const name: string = hasProtectedData() ? getValue('name', 'string') : (argName ?? 'World');

const lines: string[] = [`Hello, ${name}!`];
for (const file of getInputFiles()) lines.push(`input file ${file.index} has ${readFileSync(file.path).length} bytes`);
const secret = getRequesterSecret(1);
if (secret !== undefined) lines.push(`requester secret 1 has ${secret.length} characters`);

console.log(lines[0]);
const result = writeResultFile('result.txt', `${lines.join('\n')}\n`);
writeComputedJson({ deterministicOutputPath: result });
