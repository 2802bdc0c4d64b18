import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, safeHref } from './markdown';

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe('Markdown (publisher-written text)', () => {
  it('renders headings, lists, code, emphasis and links', () => {
    const out = html(
      '# Title\n\nSome **bold** and *soft* text with `code`.\n\n- one\n- two\n\n1. first\n\n```\nconst x = 1 < 2;\n```\n\nSee [the docs](https://example.com/docs).',
    );
    expect(out).toBe(
      '<h2>Title</h2><p>Some <strong>bold</strong> and <em>soft</em> text with <code>code</code>.</p><ul><li>one</li><li>two</li></ul><ol><li>first</li></ol><pre><code>const x = 1 &lt; 2;</code></pre><p>See <a href="https://example.com/docs" rel="noopener noreferrer nofollow" target="_blank">the docs</a>.</p>',
    );
  });

  it('never lets markup, handlers or script URLs through', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click me](javascript:alert(1))',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '**<iframe src="https://evil.example"></iframe>**',
      '```\n</code></pre><script>alert(1)</script>\n```',
      '[x](https://ok.example" onmouseover="alert(1))',
    ];
    for (const attack of attacks) {
      const out = html(attack);
      // Only the renderer's own elements, and no attribute but a link's href, rel and target.
      for (const [, name, attributes = ''] of out.matchAll(/<([a-z0-9]+)([^>]*)>/gi)) {
        expect(['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'pre', 'code', 'strong', 'em', 'a'], attack).toContain(name);
        const names = [...attributes.matchAll(/\s([^\s=]+)=/g)].map((m) => m[1]);
        expect(
          names.every((attribute) => ['href', 'rel', 'target'].includes(attribute as string)),
          `${attack} -> ${out}`,
        ).toBe(true);
      }
      expect(out, attack).not.toMatch(/href="(javascript|data|vbscript):/i);
    }
    expect(html('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html('[click me](javascript:void0) now')).toBe('<p>click me now</p>');
  });

  it('keeps only http(s) and mailto links', () => {
    expect(safeHref('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
    expect(safeHref('mailto:hi@example.com')).toBe('mailto:hi@example.com');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:x', 'data:text/html,x', '/relative', 'not a url'])
      expect(safeHref(bad), bad).toBeUndefined();
  });
});
