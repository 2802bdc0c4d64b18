// Benchmark of issue "workspace, local chain and PoCo client": devnet cold start and one on-chain
// TEE task lifecycle (match -> initialize -> contributeAndFinalize).
import { startDevnet } from '@confidant/devnet';
import { prepareTeeScenario, runTeeTask } from '@confidant/devnet/testing';
import { median } from './stats.mjs';

export const name = 'devnet';

export async function run() {
  const coldStarts = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const devnet = await startDevnet();
    coldStarts.push(performance.now() - started);
    await devnet.stop();
  }

  const devnet = await startDevnet();
  const lifecycles = [];
  try {
    // One warm-up task: the first one pays for JIT and connection setup.
    await runTeeTask(devnet, await prepareTeeScenario(devnet));
    for (let i = 0; i < 10; i++) {
      const scenario = await prepareTeeScenario(devnet);
      const started = performance.now();
      await runTeeTask(devnet, scenario);
      lifecycles.push(performance.now() - started);
    }
  } finally {
    await devnet.stop();
  }
  return [
    { metric: 'devnet cold start (anvil + whole PoCo), median of 5', value: median(coldStarts), unit: 'ms', goal: 1500, better: 'lower' },
    { metric: 'TEE task lifecycle on chain (match, initialize, contributeAndFinalize), median of 10', value: median(lifecycles), unit: 'ms', goal: 150, better: 'lower' },
  ];
}
