import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Abi, Hex } from 'viem';
import type { Artifact } from './artifacts.js';
import { DeploymentError } from './errors.js';

const require = createRequire(import.meta.url);

// src/ and dist/ sit side by side in the package: these paths resolve the same from either.
const sourceFile = fileURLToPath(new URL('../contracts/DataProtector.sol', import.meta.url));
const artifactFile = fileURLToPath(new URL('../dist/contracts/DataProtector.json', import.meta.url));

/** Standard-JSON settings: `cancun` runs on every anvil hardfork we use; the optimizer keeps deployment cheap. */
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { 'DataProtector.sol': { DataProtector: ['abi', 'evm.bytecode.object'] } },
};

type CompiledArtifact = { sourceHash: string; compiler: string; abi: Abi; bytecode: Hex };
type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
};

/** Identifies what an artifact was built from: the source, the settings and the pinned compiler. */
function sourceHash(source: string): string {
  const compiler = (require('solc/package.json') as { version: string }).version;
  return createHash('sha256').update(JSON.stringify({ source, settings, compiler })).digest('hex');
}

/**
 * Compiles `contracts/DataProtector.sol` with the pinned solc (about two seconds, mostly loading the
 * compiler) and writes `dist/contracts/DataProtector.json`. The build runs it; so does the first
 * deployment from sources that were never built.
 */
export function compileDataProtector(): CompiledArtifact {
  const source = readFileSync(sourceFile, 'utf8');
  const solc = require('solc') as { compile(input: string): string; version(): string };
  const output = JSON.parse(
    solc.compile(JSON.stringify({ language: 'Solidity', sources: { 'DataProtector.sol': { content: source } }, settings })),
  ) as SolcOutput;
  const errors = (output.errors ?? []).filter((error) => error.severity === 'error');
  const contract = output.contracts?.['DataProtector.sol']?.DataProtector;
  if (errors.length > 0 || !contract)
    throw new DeploymentError('compiling DataProtector.sol', errors.map((error) => error.formattedMessage).join('\n') || 'no output');
  const artifact: CompiledArtifact = {
    sourceHash: sourceHash(source),
    compiler: solc.version(),
    abi: contract.abi,
    bytecode: `0x${contract.evm.bytecode.object}`,
  };
  // Written then renamed: test workers compiling at the same time never read half a file.
  mkdirSync(dirname(artifactFile), { recursive: true });
  const partial = `${artifactFile}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(artifact, null, 2)}\n`);
  renameSync(partial, artifactFile);
  return artifact;
}

/** The compiled DataProtector: the build's artifact, or a fresh compilation when it is missing or stale. */
export function dataProtectorArtifact(): Artifact {
  let compiled: CompiledArtifact | undefined;
  if (existsSync(artifactFile)) {
    const cached = JSON.parse(readFileSync(artifactFile, 'utf8')) as CompiledArtifact;
    if (cached.sourceHash === sourceHash(readFileSync(sourceFile, 'utf8'))) compiled = cached;
  }
  compiled ??= compileDataProtector();
  return { name: 'DataProtector', abi: compiled.abi, bytecode: compiled.bytecode, linkReferences: {} };
}
