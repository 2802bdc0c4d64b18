// Client-side only: the state and submit logic of the 'use client' RunForm.
import { type FormEvent, useEffect, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { advance, failRunning, type ProblemText, type Step, useFlow } from '@/lib/browser/ui';

export type UsableData = { address: string; name: string; price: string };

const STEPS: [string, string][] = [
  ['FETCH_ORDERS', 'Find the app, data and workerpool offers'],
  ['PUSH_REQUESTER_SECRET', 'Hand your secrets to the Secret Management Service'],
  ['PUSH_ENCRYPTION_KEY', 'Hand your result key (public half) to the Secret Management Service'],
  ['REQUEST_TO_PROCESS_PROTECTED_DATA', 'Sign the request and start the task'],
  ['CONSUME_TASK', 'Wait for the enclave to run it'],
  ['CONSUME_RESULT_DOWNLOAD', 'Download the encrypted result'],
  ['CONSUME_RESULT_DECRYPT', 'Decrypt it, in this browser'],
];

export type ResultFile = { path: string; size: number; text: string | undefined; url: string };

/** A task as the SDK's processProtectedData takes it (without its timeout and progress callback). */
type Task = {
  app: `0x${string}`;
  protectedData?: `0x${string}`;
  args: string;
  inputFiles: string[];
  secrets: Record<number, string>;
  maxPrices: { app: bigint; protectedData: bigint };
};

/**
 * The requester's result key pair, kept in this browser only (its private half never leaves it):
 * made on the first run and reused, so results of earlier runs stay readable here.
 */
async function resultKeyFor(account: string) {
  const { generateResultKeyPair } = await import('@confidant/sdk');
  const slot = `confidant:result-key:${account.toLowerCase()}`;
  try {
    const kept = window.localStorage.getItem(slot);
    if (kept) return JSON.parse(kept) as Awaited<ReturnType<typeof generateResultKeyPair>>;
  } catch {
    // A damaged or unreadable entry: make a new pair below.
  }
  const pair = await generateResultKeyPair();
  try {
    window.localStorage.setItem(slot, JSON.stringify(pair));
  } catch {
    // Storage refused (private mode, quota): the pair lives for this page only.
  }
  return pair;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.length > 200_000) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The protected data picked first: the one the page was asked for, when I may use it; else the first I may use. */
function firstDataset(data: UsableData[], preselected: string | undefined): string {
  return preselected && data.some((d) => d.address.toLowerCase() === preselected.toLowerCase())
    ? (data.find((d) => d.address.toLowerCase() === preselected.toLowerCase())?.address ?? '')
    : (data[0]?.address ?? '');
}

/** What is wrong with the inputs (nothing has started then), or undefined. */
function checkRun(needsData: boolean, dataset: string, urls: string[]): ProblemText | undefined {
  const badUrl = urls.find((url) => !/^https?:\/\/\S+$/.test(url));
  if (needsData && !dataset)
    return {
      message: 'This iApp needs protected data, and none you may use is granted to it.',
      hints: ['Ask a data owner to grant this app access for you (or for anyone), or protect and grant your own on the My data page.'],
    };
  if (badUrl)
    return { message: `"${badUrl.slice(0, 80)}" is not an http(s) URL.`, hints: ['Give one URL the enclave can download per line.'] };
  return undefined;
}

/** One task at a time: its steps, its id once on chain, and the decrypted result's files (as object URLs). */
function useTask(setup: BrowserSetup) {
  const [steps, setSteps] = useState<Step[]>([]);
  const { busy, problem, setProblem, start, run } = useFlow();
  const [taskId, setTaskId] = useState<string | undefined>();
  const [files, setFiles] = useState<ResultFile[] | undefined>();

  // Downloads are object URLs of the decrypted bytes: released when replaced or when leaving.
  useEffect(() => () => files?.forEach((file) => URL.revokeObjectURL(file.url)), [files]);

  function clear() {
    start();
    setFiles(undefined);
    setTaskId(undefined);
  }

  async function runTask(task: Task) {
    let current: Step[] = STEPS.filter(([id]) => id !== 'PUSH_REQUESTER_SECRET' || Object.keys(task.secrets).length > 0).map(
      ([id, label]) => ({ id, label, state: 'waiting' }),
    );
    const update = (next: Step[]) => setSteps((current = next));
    update(current);
    await run(
      async () => {
        const [{ confidantFor }, sdk] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
        const client = await confidantFor(setup);
        sdk.useResultKeyPair(client, await resultKeyFor(setup.account));
        const outcome = await sdk.processProtectedData(client, {
          ...task,
          timeoutMs: 15 * 60_000,
          onStatusUpdate: ({ title: step, isDone, payload }) => {
            if (payload?.['taskId']) setTaskId(payload['taskId']);
            update(
              advance(
                current,
                step,
                isDone,
                step === 'REQUEST_TO_PROCESS_PROTECTED_DATA' && !isDone ? 'confirm in your wallet if it asks' : undefined,
              ),
            );
          },
        });
        const entries = Object.entries(outcome.result?.files ?? {}).filter(([path]) => path !== 'computed.json');
        setFiles(
          entries.map(([path, bytes]) => ({
            path,
            size: bytes.length,
            text: asText(bytes),
            url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>])),
          })),
        );
      },
      () => update(failRunning(current)),
    );
  }

  return { steps, taskId, files, busy, problem, setProblem, clear, runTask };
}

/** The iApp to run, its price, and the protected data this account may run it on. */
export type RunFormOptions = {
  setup: BrowserSetup;
  app: string;
  appPrice: string;
  needsData: boolean;
  data: UsableData[];
  preselected: string | undefined;
};

/**
 * The run form of one iApp: the data, arguments, secrets and input files chosen, what the run costs,
 * the task as it runs, and `run`, which checks the inputs then runs the task from this browser (the
 * SDK loads on first use) and decrypts its result here.
 */
export function useRunForm({ setup, app, appPrice, needsData, data, preselected }: RunFormOptions) {
  const [dataset, setDataset] = useState(firstDataset(data, preselected));
  const [args, setArgs] = useState('');
  const [secrets, setSecrets] = useState<string[]>([]);
  const [inputFiles, setInputFiles] = useState('');
  const task = useTask(setup);

  const chosen = data.find((d) => d.address === dataset);
  const cost = BigInt(appPrice) + BigInt(chosen?.price ?? '0');

  async function run(event: FormEvent) {
    event.preventDefault();
    task.clear();
    const urls = inputFiles
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const problem = checkRun(needsData, dataset, urls);
    if (problem) {
      task.setProblem(problem);
      return;
    }
    await task.runTask({
      app: app as `0x${string}`,
      ...(dataset ? { protectedData: dataset as `0x${string}` } : {}),
      args,
      inputFiles: urls,
      secrets: Object.fromEntries(secrets.map((value, index) => [index + 1, value] as const).filter(([, value]) => value !== '')),
      maxPrices: { app: BigInt(appPrice), protectedData: BigInt(chosen?.price ?? '0') },
    });
  }

  return {
    dataset,
    setDataset,
    args,
    setArgs,
    secrets,
    addSecret: () => setSecrets([...secrets, '']),
    setSecret: (index: number, value: string) => setSecrets(secrets.map((s, i) => (i === index ? value : s))),
    inputFiles,
    setInputFiles,
    cost,
    ...task,
    run,
  };
}

/** What useRunForm gives the form's parts. */
export type RunFormState = ReturnType<typeof useRunForm>;
