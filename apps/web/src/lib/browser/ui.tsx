'use client';

import { useState } from 'react';

/** Why something failed and what to do next, from any error the SDK, viem or a wallet throws. */
export type ProblemText = { message: string; hints: string[] };

function codesOf(error: unknown): number[] {
  const codes: number[] = [];
  for (
    let current = error, depth = 0;
    current && typeof current === 'object' && depth < 10;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number') codes.push(code);
  }
  return codes;
}

export function problemOf(error: unknown): ProblemText {
  if (codesOf(error).includes(4001))
    return { message: 'You declined the request in your wallet.', hints: ['Nothing was changed. Try again and approve it to go on.'] };
  if (error && typeof error === 'object') {
    const { shortMessage, hints, message } = error as { shortMessage?: unknown; hints?: unknown; message?: unknown };
    const text =
      typeof shortMessage === 'string' ? shortMessage : typeof message === 'string' ? (message.split('\n')[0] ?? '') : String(error);
    const said = Array.isArray(hints) ? hints.filter((hint): hint is string => typeof hint === 'string') : [];
    // The underlying reason (e.g. the API's refusal under "registering its schema failed").
    const cause = (error as { cause?: { shortMessage?: unknown; message?: unknown } }).cause;
    const because =
      typeof cause?.shortMessage === 'string'
        ? cause.shortMessage
        : typeof cause?.message === 'string'
          ? cause.message.split('\n')[0]
          : undefined;
    const full = `${text.charAt(0).toUpperCase()}${text.slice(1)}${because && !text.includes(because) ? ` (${because})` : ''}`;
    return {
      message: full,
      hints: said.length > 0 ? said : ['Try again; if it fails the same way, check that the network (`npm start`) is running.'],
    };
  }
  return { message: String(error), hints: [] };
}

export function Problem({ problem }: { problem: ProblemText | undefined }) {
  if (!problem) return null;
  return (
    <div role="alert" className="notice error">
      <p>{problem.message}</p>
      {problem.hints.map((hint) => (
        <p key={hint}>→ {hint}</p>
      ))}
    </div>
  );
}

/** A flow's status line (announced) and its problem, if any. */
export function Outcome({ status, problem }: { status?: string | undefined; problem: ProblemText | undefined }) {
  return (
    <>
      {status ? <p role="status">{status}</p> : null}
      <Problem problem={problem} />
    </>
  );
}

type StepState = 'waiting' | 'running' | 'done' | 'failed';
export type Step = { id: string; label: string; state: StepState; detail?: string | undefined };

const MARK: Record<StepState, string> = { waiting: '○', running: '…', done: '✓', failed: '✗' };
const SAID: Record<StepState, string> = { waiting: 'waiting', running: 'in progress', done: 'done', failed: 'failed' };

/** A live list of a flow's steps; screen readers hear each change (polite). */
export function Steps({ steps, label }: { steps: Step[]; label: string }) {
  if (steps.length === 0) return null;
  return (
    <ol className="steps" aria-label={label} aria-live="polite">
      {steps.map((step) => (
        <li key={step.id} className={`step ${step.state}`} data-state={step.state}>
          <span aria-hidden="true">{MARK[step.state]}</span> {step.label}
          <span className="visually-hidden"> — {SAID[step.state]}</span>
          {step.detail ? <span className="meta"> · {step.detail}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/** Steps in their order, updated as the SDK reports each one starting and finishing. */
export function advance(steps: Step[], id: string, isDone: boolean, detail?: string): Step[] {
  // A step's hint while it runs ("confirm in your wallet") goes when it is done.
  return steps.map((step) =>
    step.id === id ? { ...step, state: isDone ? 'done' : 'running', detail: detail ?? (isDone ? undefined : step.detail) } : step,
  );
}

/** The step in progress fails (when a flow throws). */
export function failRunning(steps: Step[]): Step[] {
  return steps.map((step) => (step.state === 'running' ? { ...step, state: 'failed' } : step));
}

/** A free-form nRLC amount typed by a person ("0", "1000000"): a bigint, or undefined when it is not one. */
export function parseNrlc(text: string): bigint | undefined {
  const trimmed = text.trim();
  return /^\d{1,30}$/.test(trimmed) ? BigInt(trimmed) : undefined;
}

/**
 * A flow's busy flag, status line and problem. `start` clears what the last try said; `run` marks
 * it busy, does the work, and turns a throw into the problem shown (after `onFailure`).
 */
export function useFlow() {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | undefined>();
  const [problem, setProblem] = useState<ProblemText | undefined>();
  const start = () => {
    setProblem(undefined);
    setStatus(undefined);
  };
  async function run(work: () => Promise<void>, onFailure?: () => void): Promise<void> {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      onFailure?.();
      setStatus(undefined);
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }
  return { busy, status, setStatus, problem, setProblem, start, run };
}
