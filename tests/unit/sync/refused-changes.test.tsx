// The instructor reads why the server refused changes, in plain words in Finnish, Swedish and English (issue 12).
import { render, screen } from '@testing-library/preact';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeLanguage, initI18n, loadInstructorStrings } from '../../../src/i18n';
import { QUARANTINE_REASONS, knownQuarantineReason } from '../../../src/protocol';
import { RefusedChanges } from '../../../src/sync/RefusedChanges';
import fi from '../../../src/i18n/locales/instructor/fi.json';
import sv from '../../../src/i18n/locales/instructor/sv.json';
import en from '../../../src/i18n/locales/instructor/en.json';

beforeAll(async () => {
  await initI18n('fi');
  await loadInstructorStrings();
});
afterEach(() => changeLanguage('fi'));

describe('refused changes on the sync screen', () => {
  for (const [language, locale, phrase] of [
    ['fi', fi, /henkilötunnus, puhelinnumero tai sähköpostiosoite/],
    ['sv', sv, /personbeteckning, ett telefonnummer eller en e-postadress/],
    ['en', en, /personal identity code, a phone number or an e-mail address/],
  ] as const) {
    it(`says how many and why in ${language}, one line per reason`, async () => {
      await changeLanguage(language);
      render(<RefusedChanges count={3} reasons={['personal_data_in_note', 'builtin_guide_is_read_only', 'unknown']} />);
      const status = screen.getByRole('status');
      const reasons = [...status.querySelectorAll('li')].map((item) => item.textContent);
      expect(reasons).toEqual([
        locale.sync.refusedBecause.personal_data_in_note,
        locale.sync.refusedBecause.builtin_guide_is_read_only,
        locale.sync.refusedBecause.unknown,
      ]);
      expect(reasons[0]).toMatch(phrase);
      expect(status.textContent).toContain(locale.sync.quarantined_other.replace('{{count}}', '3'));
    });
  }

  it('has words for every reason the protocol knows, and shows a newer server’s reason as unknown', () => {
    for (const locale of [fi, sv, en])
      for (const reason of [...QUARANTINE_REASONS, 'unknown', 'intro'])
        expect((locale.sync.refusedBecause as Record<string, string>)[reason], reason).toMatch(/\S/);
    expect(knownQuarantineReason('personal_data_in_note')).toBe('personal_data_in_note');
    expect(knownQuarantineReason('something_new')).toBe('unknown');
    expect(knownQuarantineReason({ toString: 1 })).toBe('unknown');
  });

  it('shows nothing when nothing was refused', () => {
    const { container } = render(<RefusedChanges count={0} reasons={[]} />);
    expect(container.textContent).toBe('');
  });
});
