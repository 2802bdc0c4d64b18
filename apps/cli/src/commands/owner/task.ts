import type { Command } from 'commander';
import { action } from '../../action.js';
import { CliError, EXIT } from '../../output.js';
import { explainRunError } from './run.js';
import { parseHash } from './parse.js';
import { formatFiles, writeResultFiles } from './resultFiles.js';
import { useStoredResultKey } from './resultKey.js';

/** The context module loads zod and more: only when a command runs. */
const context = () => import('../../context.js');

/** `confidant task show <taskId>` */
function registerTaskShow(task: Command): void {
  task
    .command('show')
    .description("a task's status and deadlines, read from the chain")
    .argument('<taskId>', 'the task id printed by `confidant run`')
    .action(
      action<[string]>(async ({ global, output }, id) => {
        const taskId = parseHash('the task id', id);
        const { client } = await (await context()).clientFor(global, { wallet: false });
        const { getTask } = await import('@confidant/contracts');
        const t = await getTask(client.poco, { taskId });
        const result = {
          taskId,
          status: t.status,
          dealId: t.dealId,
          index: t.index,
          finalDeadline: new Date(Number(t.finalDeadline) * 1000),
          contributors: t.contributors,
          resultsTimestamp: t.resultsTimestamp > 0n ? new Date(Number(t.resultsTimestamp) * 1000) : null,
        };
        output.result(result, (r) =>
          [
            `Task     ${r.taskId}`,
            `Status   ${r.status}`,
            `Deal     ${r.dealId} (task ${r.index})`,
            `Deadline ${r.finalDeadline.toISOString()}`,
            ...(r.resultsTimestamp
              ? [`Result   ${r.resultsTimestamp.toISOString()} — get it with: confidant task result ${r.taskId}`]
              : []),
            ...(r.status === 'FAILED' || r.status === 'ACTIVE' ? [`Logs     confidant task logs ${r.taskId}`] : []),
          ].join('\n'),
        );
      }),
    );
}

/** `confidant task logs <taskId>` */
function registerTaskLogs(task: Command): void {
  task
    .command('logs')
    .description("a task's logs from the worker that ran it (its requester only)")
    .argument('<taskId>', 'the task id')
    .action(
      action<[string]>(async ({ global, output }, id) => {
        const taskId = parseHash('the task id', id);
        const { client } = await (await context()).clientFor(global);
        const { getTaskLogs } = await import('@confidant/sdk');
        const logs = await getTaskLogs(client, { taskId }).catch((error: unknown) => {
          // A task completed on chain has its logs filed by the worker a moment later.
          if (
            error instanceof Error &&
            error.name === 'ResultUnavailableError' &&
            !/requester/.test((error as { hints?: string[] }).hints?.join(' ') ?? '')
          ) {
            throw new CliError(
              error.message.split('\n')[0] ?? 'no logs',
              `Check the task id and the network; a task that just started or ended may have no logs yet: try again in a few seconds (\`confidant task show ${taskId}\`).`,
              EXIT.notFound,
            );
          }
          throw error;
        });
        output.result(
          logs,
          (l) => `Task ${l.taskId}: ${l.status} after ${l.attempts} attempt(s)${l.cause ? `\nCause: ${l.cause}` : ''}\n${l.logs}`,
        );
      }),
    );
}

/** `confidant task result <taskId> [--out]` */
function registerTaskResult(task: Command): void {
  task
    .command('result')
    .description("download and decrypt a completed task's result (on the machine that ran it)")
    .argument('<taskId>', 'the task id')
    .option('--out <dir>', 'where to write the files (default ./confidant-result-<task>)')
    .action(
      action<[string, { out?: string }]>(async ({ global, output }, id, options) => {
        const taskId = parseHash('the task id', id);
        const { client } = await (await context()).clientFor(global);
        await useStoredResultKey(client, await (await context()).requireWalletAddress(), { create: false });
        const { getResultFromCompletedTask } = await import('@confidant/sdk');
        const result = await getResultFromCompletedTask(client, { taskId }).catch((error: unknown) => explainRunError(error));
        const out = options.out ?? `./confidant-result-${taskId.slice(2, 10)}`;
        const files = writeResultFiles(out, result.files);
        output.result(
          { taskId, out, files: files.map(({ path, file, bytes }) => ({ path, file, bytes })), computed: result.computed ?? null },
          () => `Result of ${taskId} in ${out}:\n${formatFiles(files)}`,
        );
      }),
    );
}

/** `confidant task show|logs|result <taskId>` */
export function registerTask(program: Command): void {
  const task = program.command('task').description('follow a task: its status, its logs, its result');

  registerTaskShow(task);
  registerTaskLogs(task);
  registerTaskResult(task);
}
