// Reconciliation is silent unless it put something right; then one short line in the instructor's language.
import { render, screen } from '@testing-library/preact';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeLanguage, initI18n, loadInstructorStrings } from '../../../src/i18n';
import { RepairedRecords } from '../../../src/sync/RepairedRecords';
import en from '../../../src/i18n/locales/instructor/en.json';
import fi from '../../../src/i18n/locales/instructor/fi.json';
import sv from '../../../src/i18n/locales/instructor/sv.json';

beforeAll(async () => {
  await initI18n('fi');
  await loadInstructorStrings();
});
afterEach(() => changeLanguage('fi'));

describe('what the sync check shows', () => {
  for (const [language, locale] of [
    ['fi', fi],
    ['sv', sv],
    ['en', en],
  ] as const) {
    it(`says how many records it put right, in ${language}`, async () => {
      await changeLanguage(language);
      const { unmount } = render(<RepairedRecords count={3} />);
      expect(screen.getByRole('status').textContent).toBe(locale.sync.repaired_other.replace('{{count}}', '3'));
      unmount();
      render(<RepairedRecords count={1} />);
      expect(screen.getByRole('status').textContent).toBe(locale.sync.repaired_one.replace('{{count}}', '1'));
    });
  }

  it('shows nothing when nothing needed repair', () => {
    const { container } = render(<RepairedRecords count={0} />);
    expect(container.textContent).toBe('');
  });
});
