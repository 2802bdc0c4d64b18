import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { advance, failRunning, parseNrlc, Problem, problemOf, type Step, Steps } from './ui';

describe('what a flow says when it fails', () => {
  it('says a wallet refusal in plain words, however deep it is wrapped', () => {
    const declined = Object.assign(new Error('User rejected the request.'), { code: 4001 });
    expect(problemOf(new Error('signing failed', { cause: declined }))).toEqual({
      message: 'You declined the request in your wallet.',
      hints: ['Nothing was changed. Try again and approve it to go on.'],
    });
  });

  it("keeps the SDK's short message and hints, with the underlying reason", () => {
    const sdk = Object.assign(new Error('long'), {
      shortMessage: 'protected data 0x01 is registered on chain, but registering its schema with the marketplace failed',
      hints: ['Call the API.'],
      cause: new Error('calls from other sites are refused\nmore'),
    });
    expect(problemOf(sdk)).toEqual({
      message:
        'Protected data 0x01 is registered on chain, but registering its schema with the marketplace failed (calls from other sites are refused)',
      hints: ['Call the API.'],
    });
    expect(problemOf(new Error('the node refused\ndetails')).hints).toHaveLength(1);
  });

  it('renders as an alert with each hint, and nothing without a problem', () => {
    expect(renderToStaticMarkup(createElement(Problem, { problem: { message: 'It <failed>.', hints: ['Do this.'] } }))).toBe(
      '<div role="alert" class="notice error"><p>It &lt;failed&gt;.</p><p>→ Do this.</p></div>',
    );
    expect(renderToStaticMarkup(createElement(Problem, { problem: undefined }))).toBe('');
  });
});

describe('the live steps of a flow', () => {
  const steps: Step[] = [
    { id: 'A', label: 'First', state: 'waiting' },
    { id: 'B', label: 'Second', state: 'waiting' },
  ];

  it('moves each step from waiting to running to done, dropping its "while running" hint', () => {
    const running = advance(steps, 'A', false, 'confirm in your wallet');
    expect(running[0]).toEqual({ id: 'A', label: 'First', state: 'running', detail: 'confirm in your wallet' });
    expect(advance(running, 'A', true)[0]).toEqual({ id: 'A', label: 'First', state: 'done', detail: undefined });
    expect(advance(running, 'A', true, 'Qm…')[0]?.detail).toBe('Qm…');
    expect(failRunning(running).map((step) => step.state)).toEqual(['failed', 'waiting']);
  });

  it('announces them politely, each with its state in words', () => {
    const html = renderToStaticMarkup(createElement(Steps, { steps: advance(steps, 'A', true), label: 'Protecting' }));
    expect(html).toContain('<ol class="steps" aria-label="Protecting" aria-live="polite">');
    expect(html).toContain('data-state="done"');
    expect(html).toContain('<span class="visually-hidden"> — done</span>');
    expect(html).toContain('<span class="visually-hidden"> — waiting</span>');
    expect(renderToStaticMarkup(createElement(Steps, { steps: [], label: 'x' }))).toBe('');
  });

  it('reads nRLC amounts typed by people', () => {
    expect(parseNrlc(' 1000 ')).toBe(1000n);
    expect(parseNrlc('1.5')).toBeUndefined();
    expect(parseNrlc('-1')).toBeUndefined();
    expect(parseNrlc('')).toBeUndefined();
  });
});
