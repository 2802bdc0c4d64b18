/** Where a service writes its log lines: one call per line (a line may hold a readable multi-line message). */
export type LineLogger = {
  info(line: string): void;
  error(line: string): void;
};

/** Where a logger's lines go once redacted; a missing sink drops its lines. */
export type LineSinks = {
  info?: ((line: string) => void) | undefined;
  error?: ((line: string) => void) | undefined;
};

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

// A name is sensitive when it ends with one of these words: `authorization`, `x-signature`,
// `privateKey`, `SMS_MASTER_KEY`, `set-cookie`, `sessionToken`… but not `secretName` or `SecretTooLargeError`.
const SENSITIVE_NAME = /(?:authorization|signature|secret|token|password|passphrase|passwd|mnemonic|cookie|private|credential|key)s?$/i;
// `name: value`, `name=value`, `"name": value`: the value is found by scanning (see valueEnd).
const NAMED_VALUE = /(?<![\w.-])(["']?)([A-Za-z][\w.-]*)\1[ \t]*[:=][ \t]*/g;
const AUTH_SCHEME = /^(?:Bearer|Basic|Digest|Token|Signature)[ \t]+/i;
const BARE_VALUE_END = /[\s,;&)}\]"']/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi;
const LONG_HEX = /(?<![0-9A-Za-z])0x[0-9a-fA-F]{65,}/g;

/**
 * Removes what must never reach a log: the value of any field, header or parameter whose name says
 * it is a credential (authorization, signature, secret, token, password, mnemonic, cookie, private…,
 * …key), 0x-hex longer than 64 digits (signatures, sealed blobs — a 32-byte id or hash stays), PEM
 * blocks, and passwords in URLs. Idempotent; what is not recognised passes unchanged.
 *
 * @example
 * redact('authorization: 0x1b2c… x-expires-at: 1700000000');
 * // 'authorization: [redacted] x-expires-at: 1700000000'
 * redact('{"privateKey":"0xac09…","account":"0xf39F…"}');
 * // '{"privateKey":"[redacted]","account":"0xf39F…"}'
 */
export function redact(text: string): string {
  const unblocked = text.replace(PEM_BLOCK, `${REDACTED} PEM block`).replace(URL_PASSWORD, `$1:${REDACTED}@`);
  return redactNamedValues(unblocked).replace(LONG_HEX, `0x${REDACTED}`);
}

function redactNamedValues(text: string): string {
  let out = '';
  let from = 0;
  NAMED_VALUE.lastIndex = 0;
  for (let match = NAMED_VALUE.exec(text); match; match = NAMED_VALUE.exec(text)) {
    const start = match.index + match[0].length;
    const name = match[2] as string;
    if (!SENSITIVE_NAME.test(name)) {
      // Go on right after the name: `a=b key=c` must still find `key=`.
      NAMED_VALUE.lastIndex = match.index + (match[1] ?? '').length + name.length;
      continue;
    }
    const end = valueEnd(text, start);
    if (end === start) continue;
    const quote = text[start] === '"' || text[start] === "'" ? (text[start] as string) : '';
    out += `${text.slice(from, start)}${quote}${REDACTED}${quote}`;
    from = end;
    NAMED_VALUE.lastIndex = end;
  }
  return out + text.slice(from);
}

/** Where a value that starts at `start` ends: a quoted string, a JSON object or array, or a bare word (with its auth scheme). */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === undefined) return start;
  if (first === '"' || first === "'") return quotedEnd(text, start);
  if (first === '{' || first === '[') return bracketEnd(text, start);
  let position = start + (AUTH_SCHEME.exec(text.slice(start, start + 16))?.[0].length ?? 0);
  while (position < text.length && !BARE_VALUE_END.test(text[position] as string)) position++;
  return position;
}

function quotedEnd(text: string, start: number): number {
  const quote = text[start];
  for (let position = start + 1; position < text.length; position++) {
    if (text[position] === '\\') position++;
    else if (text[position] === quote) return position + 1;
  }
  return text.length;
}

function bracketEnd(text: string, start: number): number {
  let depth = 0;
  for (let position = start; position < text.length; position++) {
    const char = text[position];
    if (char === '"' || char === "'") position = quotedEnd(text, position) - 1;
    else if (char === '{' || char === '[') depth++;
    else if ((char === '}' || char === ']') && --depth === 0) return position + 1;
  }
  return text.length;
}

/**
 * A line logger that redacts every line (see {@link redact}) before it reaches its sinks, so a
 * secret given to it does not come out, whatever the sink.
 *
 * @example
 * const lines: string[] = [];
 * const logger = createLineLogger({ info: (line) => lines.push(line), error: (line) => lines.push(line) });
 * logger.info('push refused: signature=0x' + 'ab'.repeat(65)); // lines[0] === 'push refused: signature=[redacted]'
 */
export function createLineLogger(sinks: LineSinks): LineLogger {
  return {
    info: (line) => sinks.info?.(redact(line)),
    error: (line) => sinks.error?.(redact(line)),
  };
}

/**
 * Logs to the process's stdout (info) and stderr (errors), redacted.
 *
 * @example
 * await startSms({ ...settings, logger: processLogger });
 */
export const processLogger: LineLogger = createLineLogger({
  info: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
});

/**
 * Logs nothing.
 *
 * @example
 * await startWorker({ ...settings, logger: silentLogger });
 */
export const silentLogger: LineLogger = createLineLogger({});
