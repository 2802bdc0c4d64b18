import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const committed = join(here, '..', '..', 'packages', 'contracts', 'src', 'generated', 'iexecServices.ts');
const out = mkdtempSync(join(tmpdir(), 'confidant-networks-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// Bumping iexec or @iexec/dataprotector without regenerating must fail here, not in production.
it('the committed network services are exactly what the pinned iexec and @iexec/dataprotector generate', () => {
  execFileSync(process.execPath, [join(here, 'generate-networks.mjs'), '--out', out]);
  expect(readdirSync(out)).toEqual(['iexecServices.ts']);
  const generated = readFileSync(join(out, 'iexecServices.ts'), 'utf8');
  expect(generated, 'iexecServices.ts is stale: run pnpm --filter @confidant/tools generate:contracts').toBe(
    readFileSync(committed, 'utf8'),
  );
  expect(generated).toMatch(/from iexec@\d+\.\d+\.\d+ and @iexec\/dataprotector@\S+\. Do not edit\./);
  for (const preset of ['arbitrum-sepolia-testnet', 'arbitrum-mainnet']) expect(generated).toContain(`'${preset}': {`);
});
