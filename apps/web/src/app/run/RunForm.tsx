'use client';

import type { BrowserSetup } from '@/lib/browser/setup';
import { Problem, Steps } from '@/lib/browser/ui';
import { formatPrice } from '@/lib/format';
import { type ResultFile, type RunFormState, type UsableData, useRunForm } from './useRunForm';

export type { UsableData };

type Hints = { args?: string | null; secrets?: string | null; inputFiles?: string | null };
type RunFormProps = {
  setup: BrowserSetup;
  app: string;
  title: string;
  appPrice: string;
  needsData: boolean;
  data: UsableData[];
  preselected: string | undefined;
  hints: Hints;
};

/** Run an iApp on data I may use, follow the task, decrypt and show the result here. */
export function RunForm({ setup, app, title, appPrice, needsData, data, preselected, hints }: RunFormProps) {
  const form = useRunForm({ setup, app, appPrice, needsData, data, preselected });
  return (
    <>
      <form className="panel" onSubmit={form.run} aria-label={`Run ${title}`}>
        <DataStep form={form} needsData={needsData} data={data} />
        <label>
          Arguments (public: written on chain){hints.args ? ` — ${hints.args}` : ''}
          <input value={form.args} onChange={(e) => form.setArgs(e.target.value)} maxLength={4000} autoComplete="off" />
        </label>
        <SecretsStep form={form} hint={hints.secrets} />
        <label>
          Input files (one URL per line){hints.inputFiles ? ` — ${hints.inputFiles}` : ''}
          <textarea value={form.inputFiles} onChange={(e) => form.setInputFiles(e.target.value)} />
        </label>
        <p className="meta">
          This run costs {formatPrice(form.cost)}, paid from your balance; the result is encrypted for a key kept in this browser.
        </p>
        <div>
          <button type="submit" disabled={form.busy}>
            {form.busy ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
      <Steps steps={form.steps} label="Running" />
      {form.taskId ? (
        <p className="meta">
          Task <code className="hash">{form.taskId}</code>
        </p>
      ) : null}
      <Problem problem={form.problem} />
      {form.files ? <Result files={form.files} /> : null}
    </>
  );
}

/** The protected data to run on, among those granted to this account (none, when the app needs none). */
function DataStep({ form, needsData, data }: { form: RunFormState; needsData: boolean; data: UsableData[] }) {
  return (
    <>
      <label>
        Protected data
        <select value={form.dataset} onChange={(e) => form.setDataset(e.target.value)}>
          {needsData ? null : <option value="">None</option>}
          {data.map((d) => (
            <option key={d.address} value={d.address}>
              {d.name || d.address} — {formatPrice(BigInt(d.price))} per use
            </option>
          ))}
        </select>
      </label>
      {needsData && data.length === 0 ? (
        <p className="notice warning">
          No protected data is granted to this iApp for you yet: ask a data owner for a grant, or grant your own on the My data page.
        </p>
      ) : null}
    </>
  );
}

/** The requester's secrets, added one by one (only the enclave reads them). */
function SecretsStep({ form, hint }: { form: RunFormState; hint: string | null | undefined }) {
  return (
    <fieldset className="panel">
      <legend>Secrets (private: only the enclave reads them){hint ? ` — ${hint}` : ''}</legend>
      {form.secrets.map((value, index) => (
        <div className="row" key={index}>
          <label>
            Secret {index + 1}
            <input type="password" value={value} onChange={(e) => form.setSecret(index, e.target.value)} autoComplete="off" />
          </label>
        </div>
      ))}
      <div>
        <button type="button" className="secondary" onClick={form.addSecret}>
          Add a secret
        </button>
      </div>
    </fieldset>
  );
}

/** The decrypted result: each file the app wrote, shown when it is text, and downloadable. */
function Result({ files }: { files: ResultFile[] }) {
  return (
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
  );
}
