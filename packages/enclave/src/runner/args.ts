import { TaskInputError } from '../errors.js';

/**
 * Splits a request's `iexec_args` into the app's arguments as a POSIX shell would without
 * expanding anything: blanks separate arguments, single quotes keep everything, double quotes keep
 * all but `\"` and `\\`, a backslash outside quotes escapes the next character.
 *
 * @example
 * splitArgs(`--name "Ada Lovelace" 'x y'`); // ['--name', 'Ada Lovelace', 'x y']
 */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < args.length; i++) {
    const char = args[i] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (args[i + 1] === '"' || args[i + 1] === '\\')) current += args[++i];
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      started = true;
    } else if (char === '\\' && i + 1 < args.length) {
      current += args[++i];
      started = true;
    } else if (/\s/.test(char)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote)
    throw new TaskInputError(`the task's arguments have an unclosed ${quote} quote`, "Close the quote in the request's iexec_args.");
  if (started) out.push(current);
  return out;
}
