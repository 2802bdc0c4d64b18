/** A data schema as people write it: one `path: type` per line (`address.city: string`). */
export type SchemaTree = { [key: string]: string | SchemaTree };

const KEY = /^[a-zA-Z0-9\-_]+$/;
const TYPE = /^[a-z0-9][a-z0-9/.+\-]{0,99}$/;

export function schemaToText(schema: SchemaTree | null | undefined, prefix = ''): string {
  if (!schema) return '';
  return Object.entries(schema)
    .map(([key, value]) => (typeof value === 'string' ? `${prefix}${key}: ${value}` : schemaToText(value, `${prefix}${key}.`)))
    .filter((line) => line !== '')
    .join('\n');
}

/** The schema the lines describe (null for none), or the first line that is not `path: type`. */
export function textToSchema(text: string): { schema: SchemaTree | null } | { error: string } {
  const schema: SchemaTree = {};
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  for (const [index, line] of lines.entries()) {
    const match = /^([^:\s]+)\s*:\s*(\S+)$/.exec(line);
    const path = match?.[1]?.split('.') ?? [];
    const type = match?.[2] ?? '';
    if (!match || path.some((key) => !KEY.test(key)) || !TYPE.test(type)) {
      return { error: `line ${index + 1} ("${line.slice(0, 60)}") is not "field: type" — e.g. "email: string" or "photo: image/jpeg"` };
    }
    let node = schema;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next === 'string') return { error: `line ${index + 1}: "${key}" is a field and a group at once` };
      node = (node[key] = next ?? {}) as SchemaTree;
    }
    const last = path[path.length - 1] as string;
    if (last in node) return { error: `line ${index + 1}: "${path.join('.')}" is given twice` };
    node[last] = type;
  }
  return { schema: lines.length === 0 ? null : schema };
}
