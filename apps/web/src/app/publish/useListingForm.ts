// Client-side only: the state and submit logic of the 'use client' ListingForm.
import { useRouter } from 'next/navigation';
import type { ApiInputs } from '@confidant/sdk';
import { type FormEvent, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { parseNrlc, type ProblemText, useFlow } from '@/lib/browser/ui';
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

/** What the listing form holds, as typed: tags and the required schema as text, and the runs to offer. */
export type ListingEntries = Omit<ListingValues, 'tags'> & { tags: string; schema: string; runs: string };

/** A listing as the API's `apps.upsertListing` takes it (without the app's address). */
type Listing = Omit<ApiInputs['apps']['upsertListing'], 'address'>;

const wrong = (message: string, hint: string) => ({ problem: { message, hints: [hint] } });
const optional = (text: string) => (text.trim() === '' ? null : text.trim());

/** The listing and app order the entries describe, or the first thing wrong with them (nothing has started then). */
function checkListing(values: ListingEntries): { problem: ProblemText } | { listing: Listing; price: bigint; runs: bigint } {
  const price = parseNrlc(values.price);
  const runs = parseNrlc(values.runs);
  const schema = textToSchema(values.schema);
  const tags = values.tags
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  if (values.title.trim() === '') return wrong('The listing needs a title.', 'Say in a few words what the iApp does.');
  if (values.category.trim() === '') return wrong('The listing needs a category.', 'e.g. finance, health, text, utility.');
  if (price === undefined)
    return wrong('The price is not a whole number of nRLC.', 'Write 0 for free, or e.g. 1000000000 for 1 RLC per run.');
  if (runs === undefined || runs < 1n)
    return wrong(
      'The number of runs offered must be a whole number of at least 1.',
      'How many runs this order sells before you publish another.',
    );
  if ('error' in schema)
    return wrong(`The required data: ${schema.error}.`, 'One field per line, or leave it empty if the app needs no protected data.');
  if (tags.length > 10 || tags.some((tag) => tag.length > 30))
    return wrong('Too many or too long tags.', 'At most 10 tags of 30 characters, separated by commas.');
  if (values.sourceUrl.trim() !== '' && !/^https?:\/\/\S+$/.test(values.sourceUrl.trim()))
    return wrong('The source code link is not an http(s) URL.', 'Link the repository, e.g. https://github.com/…, or leave it empty.');
  const listing: Listing = {
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
  };
  return { listing, price, runs };
}

/**
 * The listing form of one app: its entries (`set(key)` makes a field's change handler), its flow
 * (busy, status, problem) and `save`, which saves the listing, then signs and publishes an app order
 * at its price from this browser (the SDK loads on first use).
 */
export function useListingForm(setup: BrowserSetup, app: string, initial: ListingValues) {
  const router = useRouter();
  const [values, setValues] = useState<ListingEntries>({
    ...initial,
    tags: initial.tags.join(', '),
    schema: schemaToText(initial.requiredSchema),
    runs: '1000000',
  });
  const { busy, status, setStatus, problem, setProblem, start, run } = useFlow();
  const set = (key: keyof ListingEntries) => (event: { target: { value: string } }) => setValues({ ...values, [key]: event.target.value });

  async function save(event: FormEvent) {
    event.preventDefault();
    start();
    const checked = checkListing(values);
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    await run(async () => {
      const [{ confidantFor }, { publishAppOrder }] = await Promise.all([import('@/lib/browser/client'), import('@confidant/sdk')]);
      const client = await confidantFor(setup);
      setStatus('Saving the listing…');
      const { version } = await client.api.apps.upsertListing.mutate({ address: app, ...checked.listing });
      setStatus('Sign the app order in your wallet if it asks…');
      await publishAppOrder(client, { app: app as `0x${string}`, price: checked.price, volume: checked.runs });
      setStatus(`Listed (version ${version}) and offered at this price.`);
      router.refresh();
    });
  }

  return { values, set, busy, status, problem, save };
}

/** What useListingForm gives the form's parts. */
export type ListingFormState = ReturnType<typeof useListingForm>;
