'use client';

import { type FormEvent, useEffect, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { advance, failRunning, Problem, type Step, Steps, useFlow } from '@/lib/browser/ui';
import { formatPrice } from '@/lib/format';

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

type ResultFile = { path: string; size: number; text: string | undefined; url: string };

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

/** Run an iApp on data I may use, follow the task, decrypt and show the result here. */
export function RunForm({ setup, app, title, appPrice, needsData, data, preselected, hints }: { setup: BrowserSetup; app: string; title: string; appPrice: string; needsData: boolean; data: UsableData[]; preselected: string | undefined; hints: { args?: string | null; secrets?: string | null; inputFiles?: string | null } }) {
  const [dataset, setDataset] = useState(preselected && data.some((d) => d.address.toLowerCase() === preselected.toLowerCase()) ? (data.find((d) => d.address.toLowerCase() === preselected.toLowerCase())?.address ?? '') : (data[0]?.address ?? ''));
  const [args, setArgs] = useState('');
  const [secrets, setSecrets] = useState<string[]>([]);
  const [inputFiles, setInputFiles] = useState('');
  const [steps, setSteps] = useState<Step[]>([]);
  const { busy, problem, setProblem, start, run: runFlow } = useFlow();
  const [taskId, setTaskId] = useState<string | undefined>();
  const [files, setFiles] = useState<ResultFile[] | undefined>();

  // Downloads are object URLs of the decrypted bytes: released when replaced or when leaving.
  useEffect(() => () => files?.forEach((file) => URL.revokeObjectURL(file.url)), [files]);

  const chosen = data.find((d) => d.address === dataset);
  const cost = BigInt(appPrice) + BigInt(chosen?.price ?? '0');

  async function run(event: FormEvent) {
    event.preventDefault();
    start();
    setFiles(undefined);
    setTaskId(undefined);
    const urls = inputFiles.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const badUrl = urls.find((url) => !/^https?:\/\/\S+$/.test(url));
    if (needsData && !dataset) {
      setProblem({ message: 'This iApp needs protected data, and none you may use is granted to it.', hints: ['Ask a data owner to grant this app access for you (or for anyone), or protect and grant your own on the My data page.'] });
      return;
    }
    if (badUrl) {
      setProblem({ message: `"${badUrl.slice(0, 80)}" is not an http(s) URL.`, hints: ['Give one URL the enclave can download per line.'] });
      return;
    }
    let current: Step[] = STEPS.filter(([id]) => id !== 'PUSH_REQUESTER_SECRET' || secrets.some((s) => s !== '')).map(([id, label]) => ({ id, label, state: 'waiting' }));
    const update = (next: Step[]) => setSteps((current = next));
    update(current);
    await runFlow(async () => {
      const [{ confidantFor }, sdk] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
      const client = await confidantFor(setup);
      sdk.useResultKeyPair(client, await resultKeyFor(setup.account));
      const secretsByIndex = Object.fromEntries(secrets.map((value, index) => [index + 1, value] as const).filter(([, value]) => value !== ''));
      const outcome = await sdk.processProtectedData(client, {
        app: app as `0x${string}`,
        ...(dataset ? { protectedData: dataset as `0x${string}` } : {}),
        args,
        inputFiles: urls,
        secrets: secretsByIndex,
        maxPrices: { app: BigInt(appPrice), protectedData: BigInt(chosen?.price ?? '0') },
        timeoutMs: 15 * 60_000,
        onStatusUpdate: ({ title: step, isDone, payload }) => {
          if (payload?.['taskId']) setTaskId(payload['taskId']);
          update(advance(current, step, isDone, step === 'REQUEST_TO_PROCESS_PROTECTED_DATA' && !isDone ? 'confirm in your wallet if it asks' : undefined));
        },
      });
      const entries = Object.entries(outcome.result?.files ?? {}).filter(([path]) => path !== 'computed.json');
      setFiles(entries.map(([path, bytes]) => ({ path, size: bytes.length, text: asText(bytes), url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>])) })));
    }, () => update(failRunning(current)));
  }

  return (
    <>
      <form className="panel" onSubmit={run} aria-label={`Run ${title}`}>
        <label>
          Protected data
          <select value={dataset} onChange={(e) => setDataset(e.target.value)}>
            {needsData ? null : <option value="">None</option>}
            {data.map((d) => (
              <option key={d.address} value={d.address}>
                {d.name || d.address} — {formatPrice(BigInt(d.price))} per use
              </option>
            ))}
          </select>
        </label>
        {needsData && data.length === 0 ? <p className="notice warning">No protected data is granted to this iApp for you yet: ask a data owner for a grant, or grant your own on the My data page.</p> : null}
        <label>
          Arguments (public: written on chain){hints.args ? ` — ${hints.args}` : ''}
          <input value={args} onChange={(e) => setArgs(e.target.value)} maxLength={4000} autoComplete="off" />
        </label>
        <fieldset className="panel">
          <legend>Secrets (private: only the enclave reads them){hints.secrets ? ` — ${hints.secrets}` : ''}</legend>
          {secrets.map((value, index) => (
            <div className="row" key={index}>
              <label>
                Secret {index + 1}
                <input type="password" value={value} onChange={(e) => setSecrets(secrets.map((s, i) => (i === index ? e.target.value : s)))} autoComplete="off" />
              </label>
            </div>
          ))}
          <div>
            <button type="button" className="secondary" onClick={() => setSecrets([...secrets, ''])}>
              Add a secret
            </button>
          </div>
        </fieldset>
        <label>
          Input files (one URL per line){hints.inputFiles ? ` — ${hints.inputFiles}` : ''}
          <textarea value={inputFiles} onChange={(e) => setInputFiles(e.target.value)} />
        </label>
        <p className="meta">This run costs {formatPrice(cost)}, paid from your balance; the result is encrypted for a key kept in this browser.</p>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
      <Steps steps={steps} label="Running" />
      {taskId ? (
        <p className="meta">
          Task <code className="hash">{taskId}</code>
        </p>
      ) : null}
      <Problem problem={problem} />
      {files ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">Result</h2>
          {files.length === 0 ? <p>The app wrote no file.</p> : null}
          {files.map((file) => (
            <article key={file.path} aria-label={file.path}>
              <h3>{file.path}</h3>
              {file.text !== undefined ? <pre>{file.text}</pre> : <p className="meta">{file.size.toLocaleString('en-US')} bytes (not text)</p>}
              <a href={file.url} download={file.path.split('/').pop()}>
                Download {file.path}
              </a>
            </article>
          ))}
        </section>
      ) : null}
    </>
  );
}
