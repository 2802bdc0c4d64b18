'use client';

import { useRouter } from 'next/navigation';
import { type DragEvent, type FormEvent, useId, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { advance, failRunning, Problem, type ProblemText, type Step, Steps, useFlow } from '@/lib/browser/ui';

const STEPS: [string, string][] = [
  ['EXTRACT_DATA_SCHEMA', 'Read the fields and files'],
  ['CREATE_ZIP_FILE', 'Package them'],
  ['CREATE_ENCRYPTION_KEY', 'Make a key, in this browser'],
  ['ENCRYPT_FILE', 'Encrypt, in this browser'],
  ['UPLOAD_ENCRYPTED_FILE', 'Upload the encrypted file'],
  ['DEPLOY_PROTECTED_DATA', 'Register it on chain'],
  ['PUSH_SECRET_TO_SMS', 'Hand the key to the Secret Management Service'],
];

const KEY = /^[a-zA-Z0-9\-_]+$/;
type Field = { id: number; key: string; value: string };
type DroppedFile = { id: number; key: string; file: File };

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
/** A field name from a file name: "My notes.txt" → "My_notes". */
const keyOfFile = (name: string) => name.replace(/\.[^.]*$/, '').replace(/[^a-zA-Z0-9\-_]+/g, '_').replace(/^_+|_+$/g, '') || 'file';

let nextId = 1;

/** Protect data from a form or dropped files: encrypted here, only the key goes to the SMS. */
export function ProtectForm({ setup }: { setup: BrowserSetup }) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState('');
  const [fields, setFields] = useState<Field[]>([{ id: nextId++, key: '', value: '' }]);
  const [files, setFiles] = useState<DroppedFile[]>([]);
  const [over, setOver] = useState(false);
  const [steps, setSteps] = useState<Step[]>([]);
  const [progress, setProgress] = useState<{ bytes: number; total: number } | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const { busy, problem, setProblem, start, run } = useFlow();

  function addFiles(list: FileList | null) {
    if (!list) return;
    const taken = new Set([...fields.map((f) => f.key), ...files.map((f) => f.key)]);
    const added: DroppedFile[] = [];
    for (const file of Array.from(list)) {
      let key = keyOfFile(file.name);
      for (let n = 2; taken.has(key); n++) key = `${keyOfFile(file.name)}_${n}`;
      taken.add(key);
      added.push({ id: nextId++, key, file });
    }
    setFiles((current) => [...current, ...added]);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    addFiles(event.dataTransfer.files);
  }

  /** The data object, or what is wrong with the form (nothing has started then). */
  function collect(): { data: Record<string, string | Blob> } | { problem: ProblemText } {
    const data: Record<string, string | Blob> = {};
    const entries: [string, string | Blob][] = [...fields.filter((f) => f.key.trim() !== '' || f.value !== '').map((f): [string, string] => [f.key.trim(), f.value]), ...files.map((f): [string, Blob] => [f.key.trim(), f.file])];
    if (entries.length === 0) return { problem: { message: 'There is nothing to protect yet.', hints: ['Add a field with a value, or drop a file.'] } };
    for (const [key, value] of entries) {
      if (!KEY.test(key)) return { problem: { message: `The field name "${key}" cannot be used.`, hints: ['Name each field with letters, digits, - and _ only (apps read it by that name).'] } };
      if (key in data) return { problem: { message: `Two fields are named "${key}".`, hints: ['Give each field and file its own name.'] } };
      data[key] = value;
    }
    return { data };
  }

  async function protect(event: FormEvent) {
    event.preventDefault();
    start();
    setDone(undefined);
    const collected = collect();
    if ('problem' in collected) {
      setProblem(collected.problem);
      return;
    }
    let current: Step[] = STEPS.map(([step, label]) => ({ id: step, label, state: 'waiting' }));
    const update = (next: Step[]) => setSteps((current = next));
    update(current);
    await run(async () => {
      const [{ confidantFor }, { protectData }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
      const client = await confidantFor(setup);
      const result = await protectData(client, {
        data: collected.data,
        name: name.trim(),
        onStatusUpdate: ({ title, isDone, payload }) => {
          const detail = title === 'UPLOAD_ENCRYPTED_FILE' && isDone ? payload?.['cid'] : title === 'DEPLOY_PROTECTED_DATA' && isDone ? payload?.['address'] : title === 'DEPLOY_PROTECTED_DATA' ? 'confirm in your wallet if it asks' : undefined;
          update(advance(current, title, isDone, detail));
        },
        onProgress: ({ bytes, total }) => setProgress({ bytes, total }),
      });
      setDone(result.address);
      setFields([{ id: nextId++, key: '', value: '' }]);
      setFiles([]);
      setName('');
      router.refresh();
    }, () => update(failRunning(current)));
  }

  return (
    <form className="panel" onSubmit={protect} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Protect data</h2>
      <p className="meta">
        Encrypted in this browser before anything is sent: the plaintext and the key never leave it, except the key to the Secret Management Service, which releases it only to enclaves you grant.
      </p>
      <label>
        Public name (stored on chain: no secret here)
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={256} placeholder="e.g. my contacts" />
      </label>
      <fieldset className="panel">
        <legend>Fields</legend>
        {fields.map((field, index) => (
          <div className="row" key={field.id}>
            <label>
              Field name {index + 1}
              <input value={field.key} onChange={(e) => setFields(fields.map((f) => (f.id === field.id ? { ...f, key: e.target.value } : f)))} placeholder="email" autoComplete="off" />
            </label>
            <label>
              Value {index + 1}
              <input value={field.value} onChange={(e) => setFields(fields.map((f) => (f.id === field.id ? { ...f, value: e.target.value } : f)))} autoComplete="off" />
            </label>
            <button type="button" className="secondary" onClick={() => setFields(fields.filter((f) => f.id !== field.id))} aria-label={`Remove field ${index + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="secondary" onClick={() => setFields([...fields, { id: nextId++, key: '', value: '' }])}>
            Add a field
          </button>
        </div>
      </fieldset>
      <div
        className={over ? 'dropzone over' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label>
          Drop files here, or choose them
          <input type="file" multiple onChange={(e) => {
            addFiles(e.target.files);
            e.target.value = '';
          }} />
        </label>
        {files.length > 0 ? (
          <ul aria-label="Files to protect">
            {files.map((file) => (
              <li key={file.id} className="row">
                <label>
                  Field name for {file.file.name}
                  <input value={file.key} onChange={(e) => setFiles(files.map((f) => (f.id === file.id ? { ...f, key: e.target.value } : f)))} />
                </label>
                <span className="meta">{mib(file.file.size)}</span>
                <button type="button" className="secondary" onClick={() => setFiles(files.filter((f) => f.id !== file.id))} aria-label={`Remove ${file.file.name}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div>
        <button type="submit" disabled={busy}>
          {busy ? 'Protecting…' : 'Protect'}
        </button>
      </div>
      <Steps steps={steps} label="Protecting" />
      {busy && progress && progress.total > 0 ? (
        <label>
          Encrypted {mib(progress.bytes)} of {mib(progress.total)}
          <progress max={progress.total} value={progress.bytes} />
        </label>
      ) : null}
      <Problem problem={problem} />
      {done ? (
        <p role="status" className="notice">
          Protected as <code>{done}</code>. Grant an app access to it below.
        </p>
      ) : null}
    </form>
  );
}
