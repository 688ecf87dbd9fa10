// The note check flags identity codes (a mistyped check character too), Finnish phone numbers and email addresses, and leaves plain words alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPersonalData, IDENTITY_CHECK_CHARACTERS, isValidIdentityCode, personalDataKinds } from '../../../src/lib/personal-data';

const CENTURY_SIGNS: Record<number, string[]> = { 1800: ['+'], 1900: ['-', 'Y', 'X', 'W', 'V', 'U'], 2000: ['A', 'B', 'C', 'D', 'E', 'F'] };
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A real identity code: a real birth date, a century sign of that century, an individual number and its check character. */
const identityCode = fc
  .record({
    date: fc.date({ min: new Date(Date.UTC(1850, 0, 1)), max: new Date(Date.UTC(2049, 11, 31)), noInvalidDate: true }),
    individual: fc.integer({ min: 2, max: 999 }),
    signIndex: fc.nat(),
  })
  .map(({ date, individual, signIndex }) => {
    const year = date.getUTCFullYear();
    const signs = CENTURY_SIGNS[Math.floor(year / 100) * 100]!;
    const digits = `${pad(date.getUTCDate(), 2)}${pad(date.getUTCMonth() + 1, 2)}${pad(year % 100, 2)}`;
    const check = IDENTITY_CHECK_CHARACTERS[Number(`${digits}${pad(individual, 3)}`) % 31]!;
    return `${digits}${signs[signIndex % signs.length]}${pad(individual, 3)}${check}`;
  });

/** Words with no digits and no @: what a normal note is made of. */
const plainWords = fc.array(fc.stringMatching(/^[a-zA-ZäöåÄÖÅ.,!?()']{1,12}$/), { maxLength: 12 }).map((words) => words.join(' '));

const separator = fc.constantFrom('', ' ', '-');
const digitsString = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const grouped = (digits: string, sep: string, cut: number) => (cut > 0 && cut < digits.length ? `${digits.slice(0, cut)}${sep}${digits.slice(cut)}` : digits);

const nationalPhone = fc
  .record({ second: fc.constantFrom('4', '5'), rest: digitsString(5, 8), sep: separator, cut: fc.nat({ max: 6 }) })
  .map(({ second, rest, sep, cut }) => `0${second}${grouped(rest, sep, cut)}`);
const internationalPhone = fc
  .record({
    prefix: fc.constantFrom('+358', '00358', '+358 ', '+358 (0)'),
    first: fc.integer({ min: 1, max: 9 }),
    rest: digitsString(5, 8),
    sep: separator,
    cut: fc.nat({ max: 6 }),
  })
  .map(({ prefix, first, rest, sep, cut }) => `${prefix}${first}${grouped(rest, sep, cut)}`);
const email = fc
  .record({
    user: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/),
    domain: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
    tld: fc.constantFrom('fi', 'com', 'org', 'net'),
  })
  .map(({ user, domain, tld }) => `${user}@${domain}.${tld}`);

function embedded(item: fc.Arbitrary<string>) {
  return fc.tuple(plainWords, item, plainWords).map(([before, value, after]) => ({ text: `${before} ${value} ${after}`, value, start: before.length + 1 }));
}

describe('identity codes', () => {
  it('knows a published example code and its variants', () => {
    expect(isValidIdentityCode('131052-308T')).toBe(true);
    expect(isValidIdentityCode('131052-308t')).toBe(true);
    expect(isValidIdentityCode('131052Y308T')).toBe(true); // a new 1900s sign
    expect(isValidIdentityCode('131052-308U')).toBe(false); // wrong check character
    expect(personalDataKinds('010190-123A')).toEqual(['identity-code']); // the example: check character should be M
    expect(isValidIdentityCode('310252-308T')).toBe(false); // 31 February
    expect(isValidIdentityCode('131052Z308T')).toBe(false); // no such century sign
  });

  it('flags every valid code written in a note, exactly where it is', () => {
    fc.assert(
      fc.property(embedded(identityCode), ({ text, value, start }) => {
        const codes = findPersonalData(text).filter((f) => f.kind === 'identity-code');
        expect(codes).toEqual([{ kind: 'identity-code', start, end: start + value.length }]);
        expect(findPersonalData(text).some((f) => f.kind === 'phone' && f.start < start + value.length && start < f.end)).toBe(false);
      }),
    );
  });

  it("flags a code with a mistyped check character too: it is still someone's code", () => {
    fc.assert(
      fc.property(identityCode, fc.nat(), (code, shift) => {
        const right = code.at(-1)!;
        const others = IDENTITY_CHECK_CHARACTERS.replace(right, '');
        const wrong = code.slice(0, -1) + others[shift % others.length];
        expect(isValidIdentityCode(wrong)).toBe(false);
        // Flagged as a code, or as a phone number where it reads as one too (040100-002A).
        const findings = findPersonalData(`koodi ${wrong} tässä`);
        expect(findings.filter((f) => f.start < 6 + wrong.length && 6 < f.end).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('phone numbers and email addresses', () => {
  it('flags Finnish mobile numbers written as 04x / 05x', () => {
    fc.assert(
      fc.property(embedded(nationalPhone), ({ text, value, start }) => {
        expect(findPersonalData(text)).toContainEqual({ kind: 'phone', start, end: start + value.length });
      }),
    );
  });

  it('flags numbers written with +358 or 00358', () => {
    fc.assert(
      fc.property(embedded(internationalPhone), ({ text, value, start }) => {
        expect(findPersonalData(text)).toContainEqual({ kind: 'phone', start, end: start + value.length });
      }),
    );
  });

  it('flags email addresses', () => {
    fc.assert(
      fc.property(embedded(email), ({ text, value, start }) => {
        expect(findPersonalData(text)).toContainEqual({ kind: 'email', start, end: start + value.length });
      }),
    );
    expect(personalDataKinds('kirjoita matti.meikäläinen@esimerkki.fi muistiin')).toEqual(['email']);
  });

  it('examples an instructor would type', () => {
    expect(personalDataKinds('soita 040 123 4567 huomenna')).toEqual(['phone']);
    expect(personalDataKinds('numero +358 50 1234567')).toEqual(['phone']);
    expect(personalDataKinds('050-1234567')).toEqual(['phone']);
  });
});

describe('ordinary notes', () => {
  it('flag nothing when they have no digits and no @', () => {
    fc.assert(
      fc.property(plainWords, (text) => {
        expect(findPersonalData(text)).toEqual([]);
      }),
    );
  });

  it('leave dates, times, years and counts alone', () => {
    for (const note of [
      'Ryhmä klo 14-16, 5 osallistujaa',
      'Päivitys 12.3.2025 onnistui',
      'Android 14, 3 laitetta',
      'vuosi 2024-2025',
      'Kelan lomake SV 12',
      '3 liitettä, 2 uutta',
    ]) {
      expect(findPersonalData(note), note).toEqual([]);
    }
  });
});
