// Turns a byte count into the unit a person reads (kB, MB, GB) with one decimal where it helps.

export type ByteUnit = 'bytes' | 'kilobytes' | 'megabytes' | 'gigabytes';

export function byteUnit(bytes: number): { unit: ByteUnit; value: number } {
  const steps: ByteUnit[] = ['bytes', 'kilobytes', 'megabytes', 'gigabytes'];
  let value = Math.max(0, bytes);
  let index = 0;
  while (value >= 1000 && index < steps.length - 1) {
    value /= 1000;
    index += 1;
  }
  const rounded = index === 0 || value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return { unit: steps[index]!, value: rounded };
}
