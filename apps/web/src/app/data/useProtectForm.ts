// Client-side only: the state and submit logic of the 'use client' ProtectForm.
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import type { ConfidantClient } from '@confidant/sdk';
import type { BrowserSetup } from '@/lib/browser/setup';
import { advance, failRunning, type ProblemText, type Step, useFlow } from '@/lib/browser/ui';

const STEPS: [string, string][] = [
  ['EXTRACT_DATA_SCHEMA', 'Read the fields and files'],
  ['CREATE_ZIP_FILE', 'Package them'],
  ['CREATE_ENCRYPTION_KEY', 'Make a key, in this browser'],
  ['ENCRYPT_FILE', 'Encrypt, in this browser'],
  ['UPLOAD_ENCRYPTED_FILE', 'Upload the encrypted file'],
  ['DEPLOY_PROTECTED_DATA', 'Register it on chain'],
  ['PUSH_SECRET_TO_SMS', 'Hand the key to the Secret Management Service'],
  ['LISTED', 'Wait for the marketplace to index it'],
];

/** How long the form waits for the API to index the new data before it says it will show up later. */
const INDEX_WAIT_MS = 20_000;

/**
 * Resolves once the marketplace API has indexed `address` from the chain (it follows the chain every
 * 250 ms), so that the page's list shows it when refreshed; false when it took longer than
 * `INDEX_WAIT_MS`. It asks for the owner's newest data (an answer, not a 404, until it is there).
 */
async function untilIndexed(client: ConfidantClient, owner: `0x${string}`, address: string): Promise<boolean> {
  const deadline = Date.now() + INDEX_WAIT_MS;
  for (;;) {
    const newest = await client.api.protectedData.list.query({ owner, limit: 10 });
    if (newest.items.some((item) => item.address.toLowerCase() === address.toLowerCase())) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const KEY = /^[a-zA-Z0-9\-_]+$/;
type Field = { id: number; key: string; value: string };
type DroppedFile = { id: number; key: string; file: File };

/** A field name from a file name: "My notes.txt" → "My_notes". */
const keyOfFile = (name: string) =>
  name
    .replace(/\.[^.]*$/, '')
    .replace(/[^a-zA-Z0-9\-_]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'file';

let nextId = 1;
const emptyField = (): Field => ({ id: nextId++, key: '', value: '' });

/** The data object, or what is wrong with the form (nothing has started then). */
function collectData(fields: Field[], files: DroppedFile[]): { data: Record<string, string | Blob> } | { problem: ProblemText } {
  const data: Record<string, string | Blob> = {};
  const entries: [string, string | Blob][] = [
    ...fields.filter((f) => f.key.trim() !== '' || f.value !== '').map((f): [string, string] => [f.key.trim(), f.value]),
    ...files.map((f): [string, Blob] => [f.key.trim(), f.file]),
  ];
  if (entries.length === 0)
    return { problem: { message: 'There is nothing to protect yet.', hints: ['Add a field with a value, or drop a file.'] } };
  for (const [key, value] of entries) {
    if (!KEY.test(key))
      return {
        problem: {
          message: `The field name "${key}" cannot be used.`,
          hints: ['Name each field with letters, digits, - and _ only (apps read it by that name).'],
        },
      };
    if (key in data) return { problem: { message: `Two fields are named "${key}".`, hints: ['Give each field and file its own name.'] } };
    data[key] = value;
  }
  return { data };
}

/** What a step shows next to its label: the stored file's CID, the new address, or a hint while it waits for the wallet. */
function detailOf(title: string, isDone: boolean, payload: Record<string, string> | undefined): string | undefined {
  return title === 'UPLOAD_ENCRYPTED_FILE' && isDone
    ? payload?.['cid']
    : title === 'DEPLOY_PROTECTED_DATA' && isDone
      ? payload?.['address']
      : title === 'DEPLOY_PROTECTED_DATA'
        ? 'confirm in your wallet if it asks'
        : undefined;
}

/** The form's entries: its public name, typed fields and chosen files, each file named after its file name (and unique). */
function useEntries() {
  const [name, setName] = useState('');
  const [fields, setFields] = useState<Field[]>([emptyField()]);
  const [files, setFiles] = useState<DroppedFile[]>([]);

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

  return {
    name,
    setName,
    fields,
    files,
    addFiles,
    addField: () => setFields([...fields, emptyField()]),
    editField: (id: number, change: Partial<Pick<Field, 'key' | 'value'>>) =>
      setFields(fields.map((f) => (f.id === id ? { ...f, ...change } : f))),
    removeField: (id: number) => setFields(fields.filter((f) => f.id !== id)),
    renameFile: (id: number, key: string) => setFiles(files.map((f) => (f.id === id ? { ...f, key } : f))),
    removeFile: (id: number) => setFiles(files.filter((f) => f.id !== id)),
    clear: () => {
      setFields([emptyField()]);
      setFiles([]);
      setName('');
    },
  };
}

/**
 * The protect form: its entries, the steps of protecting (encrypting progress included), the new
 * address once done, and `protect`, which encrypts and registers the data from this browser (the
 * SDK loads on first use).
 */
export function useProtectForm(setup: BrowserSetup) {
  const router = useRouter();
  const entries = useEntries();
  const [steps, setSteps] = useState<Step[]>([]);
  const [progress, setProgress] = useState<{ bytes: number; total: number } | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const { busy, problem, setProblem, start, run } = useFlow();

  async function protect(event: FormEvent) {
    event.preventDefault();
    start();
    setDone(undefined);
    const collected = collectData(entries.fields, entries.files);
    if ('problem' in collected) {
      setProblem(collected.problem);
      return;
    }
    let current: Step[] = STEPS.map(([step, label]) => ({ id: step, label, state: 'waiting' }));
    const update = (next: Step[]) => setSteps((current = next));
    update(current);
    await run(
      async () => {
        const [{ confidantFor }, { protectData }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
        const client = await confidantFor(setup);
        const result = await protectData(client, {
          data: collected.data,
          name: entries.name.trim(),
          onStatusUpdate: ({ title, isDone, payload }) => update(advance(current, title, isDone, detailOf(title, isDone, payload))),
          onProgress: ({ bytes, total }) => setProgress({ bytes, total }),
        });
        update(advance(current, 'LISTED', false));
        const listed = await untilIndexed(client, setup.account, result.address);
        update(advance(current, 'LISTED', true, listed ? undefined : 'not yet: it will show up in your list shortly'));
        setDone(result.address);
        entries.clear();
        router.refresh();
      },
      () => update(failRunning(current)),
    );
  }

  return { ...entries, steps, progress, done, busy, problem, protect };
}

/** What useProtectForm gives the form's parts. */
export type ProtectFormState = ReturnType<typeof useProtectForm>;
