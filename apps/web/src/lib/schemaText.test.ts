import { describe, expect, it } from 'vitest';
import { schemaToText, textToSchema } from './schemaText';

describe('a required data schema as lines of text', () => {
  it('reads nested paths and writes them back the same', () => {
    const text = 'email: string\naddress.city: string\naddress.zip: f64\nphoto: image/jpeg';
    const parsed = textToSchema(`  ${text.replace(/\n/g, '\n\n  ')}  `);
    expect(parsed).toEqual({ schema: { email: 'string', address: { city: 'string', zip: 'f64' }, photo: 'image/jpeg' } });
    expect(schemaToText('schema' in parsed ? parsed.schema : null)).toBe(text);
  });

  it('is null when empty, and names the first line it cannot read', () => {
    expect(textToSchema(' \n ')).toEqual({ schema: null });
    expect(textToSchema('email: string\nname string')).toEqual({ error: expect.stringContaining('line 2 ("name string")') });
    expect(textToSchema('bad key!: string')).toHaveProperty('error');
    expect(textToSchema('a: string\na.b: string')).toEqual({ error: 'line 2: "a" is a field and a group at once' });
    expect(textToSchema('a: string\na: bool')).toEqual({ error: 'line 2: "a" is given twice' });
    expect(textToSchema('a: <script>')).toHaveProperty('error');
  });
});
