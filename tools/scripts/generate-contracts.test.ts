import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const committed = join(here, '..', '..', 'packages', 'contracts', 'src', 'generated');
const out = mkdtempSync(join(tmpdir(), 'confidant-generated-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('the committed PoCo ABIs, addresses and network services are exactly what the pinned packages generate', () => {
  execFileSync(process.execPath, [join(here, 'generate-contracts.mjs'), '--out', out]);
  const files = readdirSync(out).sort();
  expect(files).toEqual(['abis.ts', 'deployments.ts', 'iexecServices.ts']);
  for (const file of files) {
    expect(readFileSync(join(out, file), 'utf8'), `${file} is stale: run pnpm --filter @confidant/tools generate:contracts`).toBe(
      readFileSync(join(committed, file), 'utf8'),
    );
  }
  const abis = readFileSync(join(out, 'abis.ts'), 'utf8');
  for (const fn of [
    '"matchOrders"',
    '"contributeAndFinalize"',
    '"manageDatasetOrder"',
    '"viewConsumed"',
    '"createApp"',
    '"approveAndCall"',
  ]) {
    expect(abis).toContain(fn);
  }
});
