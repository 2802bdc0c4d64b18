// __APP_NAME__: an iApp. It runs inside a TEE; it reads its inputs from the IEXEC_* environment
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
const name = hasProtectedData() ? getValue('name', 'string') : (argName ?? 'World');

const lines = [`Hello, ${name}!`];
for (const file of getInputFiles()) lines.push(`input file ${file.index} has ${readFileSync(file.path).length} bytes`);
const secret = getRequesterSecret(1);
if (secret !== undefined) lines.push(`requester secret 1 has ${secret.length} characters`);

console.log(lines[0]);
const result = writeResultFile('result.txt', `${lines.join('\n')}\n`);
writeComputedJson({ deterministicOutputPath: result });
