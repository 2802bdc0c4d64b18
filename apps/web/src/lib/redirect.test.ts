import { describe, expect, it } from 'vitest';
import { afterSignIn } from './redirect';

describe('where sign-in leads', () => {
  it('goes back to a page of this site, and nowhere else', () => {
    expect(afterSignIn('/run?app=0x01&data=0x02')).toBe('/run?app=0x01&data=0x02');
    expect(afterSignIn('/publish')).toBe('/publish');
    for (const elsewhere of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/a b',
      '/\nLocation: x',
      undefined,
      null,
      ['/data'],
      '/' + 'x'.repeat(600),
    ]) {
      expect(afterSignIn(elsewhere)).toBe('/data');
    }
  });
});
