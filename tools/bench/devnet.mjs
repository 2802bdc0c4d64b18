// Benchmark of issue "workspace, local chain and PoCo client": devnet cold start and one on-chain
// TEE task lifecycle (match -> initialize -> contributeAndFinalize).
import { startLocalChain } from '@confidant/local-chain';
import { prepareTeeScenario, runTeeTask } from '@confidant/local-chain/testing';
import { median } from './stats.mjs';

export const name = 'devnet';

export async function run() {
  const coldStarts = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const chain = await startLocalChain();
    coldStarts.push(performance.now() - started);
    await chain.stop();
  }

  const chain = await startLocalChain();
  const lifecycles = [];
  try {
    // One warm-up task: the first one pays for JIT and connection setup.
    await runTeeTask(chain, await prepareTeeScenario(chain));
    for (let i = 0; i < 10; i++) {
      const scenario = await prepareTeeScenario(chain);
      const started = performance.now();
      await runTeeTask(chain, scenario);
      lifecycles.push(performance.now() - started);
    }
  } finally {
    await chain.stop();
  }
  return [
    { metric: 'devnet cold start (anvil + whole PoCo), median of 5', value: median(coldStarts), unit: 'ms', goal: 1500, better: 'lower' },
    {
      metric: 'TEE task lifecycle on chain (match, initialize, contributeAndFinalize), median of 10',
      value: median(lifecycles),
      unit: 'ms',
      goal: 150,
      better: 'lower',
    },
  ];
}
