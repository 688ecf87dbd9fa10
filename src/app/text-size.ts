// Owns the text-size choice: applied as a data attribute on <html> so every rem scales.
import { saveTextSize, type TextSize } from '../db/device-settings';
import { createObservable } from '../lib/observable';

export const textSize = createObservable<TextSize>('normal');

export function applyTextSize(size: TextSize): void {
  document.documentElement.dataset.textSize = size;
  textSize.set(size);
}

export async function chooseTextSize(size: TextSize): Promise<void> {
  await saveTextSize(size); // saved first, so a reload keeps the choice
  applyTextSize(size);
}
