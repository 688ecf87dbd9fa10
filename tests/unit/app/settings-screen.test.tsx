import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeAll, describe, expect, it } from 'vitest';
import SettingsScreen from '../../../src/app/SettingsScreen';
import { loadDeviceSettings } from '../../../src/db/device-settings';
import { initI18n } from '../../../src/i18n';

beforeAll(async () => {
  await initI18n('fi');
});

describe('the settings screen', () => {
  it('switches the language and text size at once and remembers both on the tablet', async () => {
    render(<SettingsScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Asetukset');
    fireEvent.click(screen.getByRole('radio', { name: 'English' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Settings'));
    fireEvent.click(screen.getByRole('radio', { name: 'Large' }));
    await waitFor(() => expect(document.documentElement.dataset.textSize).toBe('large'));
    expect(await loadDeviceSettings()).toEqual({ language: 'en', textSize: 'large' });
    expect((screen.getByRole('radio', { name: 'Large' }) as HTMLInputElement).checked).toBe(true);
  });

  it("shows participants no storage figures and no build: those are in the instructor's tablet settings", () => {
    render(<SettingsScreen />);
    expect(screen.queryByTestId('app-version')).toBeNull();
    expect(screen.queryByTestId('storage-used')).toBeNull();
  });
});
