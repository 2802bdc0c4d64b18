'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { Outcome, parseNrlc, type ProblemText, useFlow } from '@/lib/browser/ui';
import { type SchemaTree, schemaToText, textToSchema } from '@/lib/schemaText';

export type ListingValues = {
  title: string;
  category: string;
  tags: string[];
  description: string;
  price: string;
  requiredSchema: SchemaTree | null;
  argsDescription: string;
  secretsDescription: string;
  inputFilesDescription: string;
  sourceUrl: string;
};

/**
 * Create or edit an app's listing and offer it: the listing goes to the marketplace, then an app
 * order at the listing's price is signed here and published (what lets requesters run it).
 */
export function ListingForm({ setup, app, name, listed, initial }: { setup: BrowserSetup; app: string; name: string; listed: boolean; initial: ListingValues }) {
  const router = useRouter();
  const [values, setValues] = useState({ ...initial, tags: initial.tags.join(', '), schema: schemaToText(initial.requiredSchema), runs: '1000000' });
  const { busy, status, setStatus, problem, setProblem, start, run } = useFlow();
  const set = (key: keyof typeof values) => (event: { target: { value: string } }) => setValues({ ...values, [key]: event.target.value });

  async function save(event: FormEvent) {
    event.preventDefault();
    start();
    const price = parseNrlc(values.price);
    const runs = parseNrlc(values.runs);
    const schema = textToSchema(values.schema);
    const tags = values.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
    const wrong: ProblemText | undefined =
      values.title.trim() === ''
        ? { message: 'The listing needs a title.', hints: ['Say in a few words what the iApp does.'] }
        : values.category.trim() === ''
          ? { message: 'The listing needs a category.', hints: ['e.g. finance, health, text, utility.'] }
          : price === undefined
            ? { message: 'The price is not a whole number of nRLC.', hints: ['Write 0 for free, or e.g. 1000000000 for 1 RLC per run.'] }
            : runs === undefined || runs < 1n
              ? { message: 'The number of runs offered must be a whole number of at least 1.', hints: ['How many runs this order sells before you publish another.'] }
              : 'error' in schema
                ? { message: `The required data: ${schema.error}.`, hints: ['One field per line, or leave it empty if the app needs no protected data.'] }
                : tags.length > 10 || tags.some((tag) => tag.length > 30)
                  ? { message: 'Too many or too long tags.', hints: ['At most 10 tags of 30 characters, separated by commas.'] }
                  : values.sourceUrl.trim() !== '' && !/^https?:\/\/\S+$/.test(values.sourceUrl.trim())
                    ? { message: 'The source code link is not an http(s) URL.', hints: ['Link the repository, e.g. https://github.com/…, or leave it empty.'] }
                    : undefined;
    if (wrong || 'error' in schema || price === undefined || runs === undefined) {
      setProblem(wrong);
      return;
    }
    await run(async () => {
      const [{ confidantFor }, { publishAppOrder }, { z }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk'), import('zod')]);
      const client = await confidantFor(setup);
      setStatus('Saving the listing…');
      const optional = (text: string) => (text.trim() === '' ? null : text.trim());
      const { version } = await client.api.mutation(
        'apps.upsertListing',
        {
          address: app,
          title: values.title.trim(),
          category: values.category.trim(),
          tags,
          description: values.description,
          price: price.toString(),
          requiredSchema: schema.schema,
          argsDescription: optional(values.argsDescription),
          secretsDescription: optional(values.secretsDescription),
          inputFilesDescription: optional(values.inputFilesDescription),
          sourceUrl: optional(values.sourceUrl),
        },
        z.object({ version: z.number() }),
      );
      setStatus('Sign the app order in your wallet if it asks…');
      await publishAppOrder(client, { app: app as `0x${string}`, price, volume: runs });
      setStatus(`Listed (version ${version}) and offered at this price.`);
      router.refresh();
    });
  }

  return (
    <details open={!listed}>
      <summary>{listed ? `Edit the listing of ${name}` : `List ${name} in the marketplace`}</summary>
      <form className="panel" onSubmit={save} aria-label={`Listing of ${name}`}>
        <div className="row">
          <label>
            Title
            <input value={values.title} onChange={set('title')} maxLength={120} />
          </label>
          <label>
            Category
            <input value={values.category} onChange={set('category')} maxLength={40} placeholder="utility" />
          </label>
          <label>
            Tags (comma-separated)
            <input value={values.tags} onChange={set('tags')} />
          </label>
        </div>
        <label>
          Description (markdown)
          <textarea value={values.description} onChange={set('description')} maxLength={20_000} />
        </label>
        <div className="row">
          <label>
            Price per run (nRLC)
            <input inputMode="numeric" value={values.price} onChange={set('price')} />
          </label>
          <label>
            Runs offered
            <input inputMode="numeric" value={values.runs} onChange={set('runs')} />
          </label>
          <label>
            Source code (optional URL)
            <input value={values.sourceUrl} onChange={set('sourceUrl')} placeholder="https://…" />
          </label>
        </div>
        <label>
          Required protected data (one &quot;field: type&quot; per line; empty: none)
          <textarea value={values.schema} onChange={set('schema')} placeholder={'email: string'} />
        </label>
        <div className="row">
          <label>
            Arguments (what to pass)
            <input value={values.argsDescription} onChange={set('argsDescription')} maxLength={2000} />
          </label>
          <label>
            Secrets (what they are)
            <input value={values.secretsDescription} onChange={set('secretsDescription')} maxLength={2000} />
          </label>
          <label>
            Input files (what they are)
            <input value={values.inputFilesDescription} onChange={set('inputFilesDescription')} maxLength={2000} />
          </label>
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? 'Publishing…' : listed ? 'Save and publish' : 'List and publish'}
          </button>
        </div>
        <Outcome status={status} problem={problem} />
      </form>
    </details>
  );
}
