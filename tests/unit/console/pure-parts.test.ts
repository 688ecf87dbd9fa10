import fc from 'fast-check';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import fiWords from '../../../src/console/locales/fi.json';
import { errorFrom, queryString } from '../../../src/console/api';
import { preferredLanguage } from '../../../src/console/i18n';
import { modulesPath } from '../../../src/console/qr';
import { parseRoute, routePath, SCREENS, setupTokenFrom } from '../../../src/console/router';
import { STEP_KINDS } from '../../../src/protocol/lists';
import { actionLabel } from '../../../src/console/screens/Audit';
import { stepKind } from '../../../src/console/screens/Guides';
import { retentionFrom, retentionValue, RETENTION_CHOICES } from '../../../src/console/screens/Settings';
import { passwordProblem } from '../../../src/console/screens/Setup';
import { siteName } from '../../../src/console/screens/Sites';
import { confirmsName } from '../../../src/console/screens/Tablets';
import { newUserProblem } from '../../../src/console/screens/Users';

describe('console addresses', () => {
  it('round-trip every screen, and a guide with its id', () => {
    for (const screen of SCREENS) expect(parseRoute(routePath({ screen }))).toEqual({ screen });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        (id) => JSON.stringify(parseRoute(routePath({ screen: 'guides', id }))) === JSON.stringify({ screen: 'guides', id }),
      ),
    );
  });
  it('open the dashboard for an unknown or empty address', () => {
    expect(parseRoute('/console/')).toEqual({ screen: 'dashboard' });
    expect(parseRoute('/console/nothing-here')).toEqual({ screen: 'dashboard' });
    expect(parseRoute('/somewhere/else')).toEqual({ screen: 'dashboard' });
  });
  it('read the set-up token from the fragment only', () => {
    expect(setupTokenFrom('#setup=abc123')).toBe('abc123');
    expect(setupTokenFrom('')).toBe('');
    expect(setupTokenFrom('#code=abc')).toBe('');
  });
});

describe('asking the API', () => {
  it('writes only the set values into the query, in order', () => {
    expect(queryString({ from: '2026-01', to: '2026-03', site: '' })).toBe('?from=2026-01&to=2026-03');
    expect(queryString({ site: 'a b&c' })).toBe('?site=a+b%26c');
    expect(queryString({})).toBe('');
  });
  it("keeps the server's code and message, and never shows an empty message", () => {
    const error = errorFrom(409, { error: 'conflict', message: 'The name does not match.' }, 'fallback');
    expect([error.status, error.code, error.message]).toEqual([409, 'conflict', 'The name does not match.']);
    expect(errorFrom(502, 'Bad gateway', 'fallback')).toMatchObject({ code: 'http_502', message: 'fallback' });
    expect(errorFrom(400, { error: 'bad_request', message: '  ' }, 'fallback').message).toBe('fallback');
  });
});

describe('the QR code drawing', () => {
  it('covers exactly the dark modules of the matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }), (size, bits) => {
        const dark = (row: number, column: number) => bits[row * 12 + column]!;
        const path = modulesPath(size, dark, 0);
        // Each run "M x y h w v1 h-w z" is a 1-high rectangle; painting them back gives the matrix again.
        const painted = new Set<string>();
        for (const match of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
          for (let x = Number(match[1]); x < Number(match[1]) + Number(match[3]); x++) painted.add(`${match[2]},${x}`);
        }
        for (let row = 0; row < size; row++)
          for (let column = 0; column < size; column++) if (dark(row, column) !== painted.has(`${row},${column}`)) return false;
        return true;
      }),
    );
  });
  it('draws a real enrolment link with its quiet zone', () => {
    const matrix = QRCode.create('https://digituki.example/enrol#code=ABCD-EFGH', { errorCorrectionLevel: 'M' }).modules;
    const path = modulesPath(matrix.size, (row, column) => matrix.get(row, column) === 1);
    expect(path.startsWith('M4 4h7v1h-7z')).toBe(true); // the top-left finder pattern: seven dark modules after the quiet zone
  });
});

describe("the guide preview's step kinds", () => {
  it('reads every kind the tablet stores, and a step without one (an older server) or of an unknown kind as a plain step', () => {
    for (const kind of STEP_KINDS) expect(stepKind({ kind })).toBe(kind);
    expect(stepKind({})).toBe('step');
    expect(stepKind({ kind: 'quiz' })).toBe('step');
  });
  it('has a word for every kind it marks', () => {
    for (const kind of STEP_KINDS.filter((kind) => kind !== 'step')) expect(fiWords.guides.kinds[kind]).toMatch(/\S/);
  });
});

describe('form checks before the server is asked', () => {
  it('a new password: 12 to 256 characters (not bytes), typed the same twice', () => {
    expect(passwordProblem('short', 'short')).toBe('tooShort');
    expect(passwordProblem('äääääääääää', 'äääääääääää')).toBe('tooShort'); // 11 characters, 22 bytes
    expect(passwordProblem('a long enough sentence', 'a long enough sentenc')).toBe('different');
    expect(passwordProblem('x'.repeat(257), 'x'.repeat(257))).toBe('tooLong');
    expect(passwordProblem('a long enough sentence', 'a long enough sentence')).toBeUndefined();
  });
  it('a site name: trimmed, inner spaces made one, 1 to 100 characters', () => {
    expect(siteName('  Kallion   kirjasto ')).toBe('Kallion kirjasto');
    expect(siteName('   ')).toBeUndefined();
    expect(siteName('x'.repeat(101))).toBeUndefined();
    expect(siteName('x'.repeat(100))).toBe('x'.repeat(100));
  });
  it('revoking: the typed name must be the tablet name', () => {
    expect(confirmsName('Tabletti 3 ', 'Tabletti 3')).toBe(true);
    expect(confirmsName('tabletti 3', 'Tabletti 3')).toBe(false);
    expect(confirmsName('', '')).toBe(false);
  });
  it('a new user: an address, and a site for a site admin', () => {
    expect(newUserProblem('nimi@esimerkki.fi', 'coordinator', '')).toBeUndefined();
    expect(newUserProblem('nimi', 'coordinator', '')).toBe('email');
    expect(newUserProblem('nimi@esimerkki.fi', 'site-admin', '')).toBe('site');
    expect(newUserProblem('nimi@esimerkki.fi', 'site-admin', 'site-1')).toBeUndefined();
  });
  it("retention: the server's default is null in the request, own months are a number, both survive the select", () => {
    expect(retentionValue({ retentionMonths: 60, isDefault: true })).toBe('default');
    expect(retentionFrom('default')).toBeNull();
    for (const choice of RETENTION_CHOICES.filter((value) => value !== 'default')) {
      expect(retentionFrom(retentionValue({ retentionMonths: choice as number, isDefault: false }))).toBe(choice);
    }
  });
});

describe('console words', () => {
  const t = (key: string, values?: Record<string, string>) => {
    const text = key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], fiWords);
    return String(text).replace(/{{(\w+)}}/g, (_, name: string) => values?.[name] ?? '');
  };
  it('every audit action the API names has words; a CLI command is named; an unknown code shows as it is', () => {
    for (const action of ['login', 'tablet_revoked', 'guide_hidden', 'dashboard_exported']) expect(actionLabel(t as never, action)).not.toBe(action);
    expect(actionLabel(t as never, 'cli:user create')).toBe('Komentorivi: user create');
    expect(actionLabel(t as never, 'something_new')).toBe('something_new');
  });
  it('the language: the one chosen before, else the browser’s, else Finnish', () => {
    expect(preferredLanguage('sv', ['en-GB'])).toBe('sv');
    expect(preferredLanguage(null, ['de-DE', 'en-GB'])).toBe('en');
    expect(preferredLanguage('xx', ['de'])).toBe('fi');
  });
});
