import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Abi, type Address, type Hex, toFunctionSelector, type AbiFunction } from 'viem';
import { DeploymentError } from './errors.js';

const require = createRequire(import.meta.url);

type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;

export type Artifact = { name: string; abi: Abi; bytecode: Hex; linkReferences: LinkReferences };

const pocoRoot = () => dirname(require.resolve('@iexec/poco/package.json'));

function readJson(path: string): { abi: Abi; bytecode: Hex | string; linkReferences?: LinkReferences } {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DeploymentError(`reading ${path}`, String(error));
  }
}

/** A compiled contract of @iexec/poco (`artifacts/contracts/<path>`). */
export function pocoArtifact(path: string): Artifact {
  const json = readJson(join(pocoRoot(), 'artifacts', 'contracts', path));
  const name =
    path
      .split('/')
      .pop()
      ?.replace(/\.json$/, '') ?? path;
  return { name, abi: json.abi, bytecode: json.bytecode as Hex, linkReferences: json.linkReferences ?? {} };
}

/**
 * A diamond building block missing from @iexec/poco's artifacts; its `deployments/` copy carries
 * the same unlinked bytecode (these contracts link no library).
 */
export function pocoDeploymentArtifact(name: string): Artifact {
  const json = readJson(join(pocoRoot(), 'deployments', 'arbitrumSepolia', `${name}.json`));
  return { name, abi: json.abi, bytecode: json.bytecode as Hex, linkReferences: {} };
}

/** The RLC token (faucet flavour: the deployer receives the supply). */
export function rlcArtifact(): Artifact {
  const json = readJson(join(dirname(require.resolve('rlc-faucet-contract/package.json')), 'build', 'contracts', 'RLC.json'));
  return { name: 'RLC', abi: json.abi, bytecode: json.bytecode as Hex, linkReferences: {} };
}

/** Writes a library's address at every link reference of an artifact's bytecode. */
export function link(artifact: Artifact, libraries: Record<string, Address>): Hex {
  let code = artifact.bytecode.slice(2);
  for (const file of Object.values(artifact.linkReferences)) {
    for (const [library, offsets] of Object.entries(file)) {
      const address = libraries[library];
      if (!address) throw new DeploymentError(`linking ${artifact.name}`, `no address for library ${library}`);
      for (const { start, length } of offsets) {
        code = code.slice(0, start * 2) + address.slice(2).toLowerCase() + code.slice((start + length) * 2);
      }
    }
  }
  if (code.includes('__')) throw new DeploymentError(`linking ${artifact.name}`, 'unlinked library placeholder left');
  return `0x${code}`;
}

/** Every selector a facet serves, `receive` as 0x00000000 and `fallback` as 0xffffffff. */
export function selectorsOf(abi: Abi): Hex[] {
  const selectors: Hex[] = [];
  for (const item of abi) {
    if (item.type === 'function') selectors.push(toFunctionSelector(item as AbiFunction));
    else if (item.type === 'receive') selectors.push('0x00000000');
    else if (item.type === 'fallback') selectors.push('0xffffffff');
  }
  return selectors;
}
