import { Fragment, type ReactNode } from 'react';

/**
 * Publisher-written markdown as React elements — never as HTML. Text always goes through React,
 * which escapes it, so `<script>`, event handlers or raw HTML in a description stay visible text.
 * Links keep only http(s) and mailto targets and open without a referrer or opener. Supported:
 * headings (#, ##, ###), paragraphs, - / * / 1. lists, ``` code blocks, `code`, **bold**, *em*, [links](url).
 */
export function Markdown({ source }: { source: string }): ReactNode {
  return <>{blocks(source.replace(/\r\n?/g, '\n').slice(0, 20_000))}</>;
}

export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

function blocks(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').startsWith('```')) code.push(lines[i++] ?? '');
      i++;
      out.push(
        <pre key={out.length}>
          <code>{code.join('\n')}</code>
        </pre>,
      );
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      // A description sits under the page's h1: its headings start at h2.
      const level = (heading[1] ?? '#').length;
      const content = inline(heading[2] ?? '');
      out.push(
        level === 1 ? (
          <h2 key={out.length}>{content}</h2>
        ) : level === 2 ? (
          <h3 key={out.length}>{content}</h3>
        ) : (
          <h4 key={out.length}>{content}</h4>
        ),
      );
      i++;
      continue;
    }
    const bullet = /^\s*([-*]|\d+\.)\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: ReactNode[] = [];
      while (i < lines.length && bullet.test(lines[i] ?? '')) {
        items.push(<li key={items.length}>{inline((lines[i] ?? '').replace(bullet, ''))}</li>);
        i++;
      }
      out.push(ordered ? <ol key={out.length}>{items}</ol> : <ul key={out.length}>{items}</ul>);
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() !== '' &&
      !(lines[i] ?? '').startsWith('```') &&
      !/^#{1,3}\s/.test(lines[i] ?? '') &&
      !bullet.test(lines[i] ?? '')
    )
      paragraph.push(lines[i++] ?? '');
    out.push(<p key={out.length}>{inline(paragraph.join(' '))}</p>);
  }
  return out;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\([^)\s]+\))/;

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push(rest);
      break;
    }
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const token = match[0];
    const key = out.length;
    if (match[1]) out.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong key={key}>{token.slice(2, -2)}</strong>);
    else if (match[3]) out.push(<em key={key}>{token.slice(1, -1)}</em>);
    else {
      const [, label = '', url = ''] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      const href = safeHref(url);
      out.push(
        href ? (
          <a key={key} href={href} rel="noopener noreferrer nofollow" target="_blank">
            {label}
          </a>
        ) : (
          <Fragment key={key}>{label}</Fragment>
        ),
      );
    }
    rest = rest.slice(match.index + token.length);
  }
  return out;
}
