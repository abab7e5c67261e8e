import { describe, expect, it } from 'vitest';
import { errorRegistry, type ErrorCode } from '../domain/errors.ts';
import { ERROR_TEXTS, errorText } from './error-texts.ts';

describe('error messages', () => {
  it('has a Dutch and an English message for every registry code; codes stay English', () => {
    for (const code of Object.keys(errorRegistry) as ErrorCode[]) {
      expect(ERROR_TEXTS[code].nl, code).toBeTruthy();
      expect(ERROR_TEXTS[code].en).toBe(errorRegistry[code].message);
      expect(ERROR_TEXTS[code].nl).not.toMatch(/\bu\b|\buw\b/); // "je", never "u"
    }
    expect(errorText('nl', 'TRANSLATION_MISMATCH')).toMatch(/vertaling/);
  });
});
