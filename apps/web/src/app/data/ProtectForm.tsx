'use client';

import { type DragEvent, useId, useState } from 'react';
import type { BrowserSetup } from '@/lib/browser/setup';
import { Problem, Steps } from '@/lib/browser/ui';
import { type ProtectFormState, useProtectForm } from './useProtectForm';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Protect data from a form or dropped files: encrypted here, only the key goes to the SMS. */
export function ProtectForm({ setup }: { setup: BrowserSetup }) {
  const id = useId();
  const form = useProtectForm(setup);
  const { busy, progress, done } = form;
  return (
    <form className="panel" onSubmit={form.protect} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Protect data</h2>
      <p className="meta">
        Encrypted in this browser before anything is sent: the plaintext and the key never leave it, except the key to the Secret Management
        Service, which releases it only to enclaves you grant.
      </p>
      <label>
        Public name (stored on chain: no secret here)
        <input value={form.name} onChange={(e) => form.setName(e.target.value)} maxLength={256} placeholder="e.g. my contacts" />
      </label>
      <FieldsStep form={form} />
      <FilesStep form={form} />
      <div>
        <button type="submit" disabled={busy}>
          {busy ? 'Protecting…' : 'Protect'}
        </button>
      </div>
      <Steps steps={form.steps} label="Protecting" />
      {busy && progress && progress.total > 0 ? (
        <label>
          Encrypted {mib(progress.bytes)} of {mib(progress.total)}
          <progress max={progress.total} value={progress.bytes} />
        </label>
      ) : null}
      <Problem problem={form.problem} />
      {done ? (
        <p role="status" className="notice">
          Protected as <code>{done}</code>. Grant an app access to it below.
        </p>
      ) : null}
    </form>
  );
}

/** The typed fields: a name and a value each, added and removed one by one. */
function FieldsStep({ form }: { form: ProtectFormState }) {
  return (
    <fieldset className="panel">
      <legend>Fields</legend>
      {form.fields.map((field, index) => (
        <div className="row" key={field.id}>
          <label>
            Field name {index + 1}
            <input
              value={field.key}
              onChange={(e) => form.editField(field.id, { key: e.target.value })}
              placeholder="email"
              autoComplete="off"
            />
          </label>
          <label>
            Value {index + 1}
            <input value={field.value} onChange={(e) => form.editField(field.id, { value: e.target.value })} autoComplete="off" />
          </label>
          <button type="button" className="secondary" onClick={() => form.removeField(field.id)} aria-label={`Remove field ${index + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="secondary" onClick={form.addField}>
          Add a field
        </button>
      </div>
    </fieldset>
  );
}

/** The files to protect, dropped or chosen, each under a field name of its own. */
function FilesStep({ form }: { form: ProtectFormState }) {
  const [over, setOver] = useState(false);
  function onDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    form.addFiles(event.dataTransfer.files);
  }
  return (
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
        <input
          type="file"
          multiple
          onChange={(e) => {
            form.addFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </label>
      {form.files.length > 0 ? (
        <ul aria-label="Files to protect">
          {form.files.map((file) => (
            <li key={file.id} className="row">
              <label>
                Field name for {file.file.name}
                <input value={file.key} onChange={(e) => form.renameFile(file.id, e.target.value)} />
              </label>
              <span className="meta">{mib(file.file.size)}</span>
              <button type="button" className="secondary" onClick={() => form.removeFile(file.id)} aria-label={`Remove ${file.file.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
