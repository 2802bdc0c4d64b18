'use client';

import { useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { Outcome } from '@/lib/browser/ui';
import { type ListingFormState, type ListingValues, useListingForm } from './useListingForm';

export type { ListingValues };

/**
 * Create or edit an app's listing and offer it: the listing goes to the marketplace, then an app
 * order at the listing's price is signed here and published (what lets requesters run it).
 */
export function ListingForm({
  setup,
  app,
  name,
  label,
  listed,
  initial,
}: {
  setup: BrowserSetup;
  app: string;
  /** What the page calls the app (its listing's title once it has one). */
  name: string;
  /** The app's on-chain name: the form's accessible name, which saving the listing does not change. */
  label: string;
  listed: boolean;
  initial: ListingValues;
}) {
  const form = useListingForm(setup, app, initial);
  // Open at first for an app not listed yet, then as the user leaves it: saving lists the app, and the
  // refreshed page must not fold away the form and its outcome.
  const [open] = useState(!listed);
  return (
    <details open={open}>
      <summary>{listed ? `Edit the listing of ${name}` : `List ${name} in the marketplace`}</summary>
      <form className="panel" onSubmit={form.save} aria-label={`Listing of ${label}`}>
        <Presentation form={form} />
        <Offer form={form} />
        <Needs form={form} />
        <div>
          <button type="submit" disabled={form.busy}>
            {form.busy ? 'Publishing…' : listed ? 'Save and publish' : 'List and publish'}
          </button>
        </div>
        <Outcome status={form.status} problem={form.problem} />
      </form>
    </details>
  );
}

/** How the catalogue presents the app: title, category, tags and description. */
function Presentation({ form: { values, set } }: { form: ListingFormState }) {
  return (
    <>
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
    </>
  );
}

/** The app order's terms, and where the app's source code is. */
function Offer({ form: { values, set } }: { form: ListingFormState }) {
  return (
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
  );
}

/** What a run needs: the required protected data's schema, arguments, secrets and input files. */
function Needs({ form: { values, set } }: { form: ListingFormState }) {
  return (
    <>
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
    </>
  );
}
