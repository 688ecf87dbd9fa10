// Owns the pictures of the feedback form: five faces for the mood, and a picture for every answer chip.
// Decorative to screen readers: each choice is named by its text label.
import { Icon, type IconName } from '../ui/Icon';
import { PICTURE_TOPICS, type Chip, type Mood } from './answers';

// Mouths from a deep frown (1) to a wide smile (5); eyebrows only on the two ends, to tell them apart at a glance.
const MOUTHS: Record<Mood, string> = {
  1: 'M15 33c3-5 15-5 18 0',
  2: 'M16 32c3-2.5 13-2.5 16 0',
  3: 'M16 31h16',
  4: 'M16 29c3 3 13 3 16 0',
  5: 'M14 28c3 7 17 7 20 0',
};
const FACE_COLOURS: Record<Mood, string> = { 1: '#f4c7c3', 2: '#fbe0c4', 3: '#f3ecc2', 4: '#d4ecd9', 5: '#b9e3c6' };

export function Face({ mood, size = 72 }: { mood: Mood; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="21" fill={FACE_COLOURS[mood]} stroke="#1f2a37" stroke-width="2.5" />
      <circle cx="17" cy="19" r="2.6" fill="#1f2a37" />
      <circle cx="31" cy="19" r="2.6" fill="#1f2a37" />
      {mood === 1 && <path d="M12 13l7 3M36 13l-7 3" stroke="#1f2a37" stroke-width="2.5" stroke-linecap="round" />}
      <path d={MOUTHS[mood]} fill="none" stroke="#1f2a37" stroke-width="2.8" stroke-linecap="round" />
    </svg>
  );
}

const EXTRA_PICTURES: Record<Exclude<Chip, (typeof PICTURE_TOPICS)[number]>, string> = {
  'nothing-yet': 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 12h8',
  'dont-know': 'M9 9a3 3 0 1 1 4.5 2.6c-.9.5-1.5 1.2-1.5 2.4v.5M12 18h0',
  'something-else': 'M12 5v14M5 12h14',
};

export function ChipPicture({ chip, size = 44 }: { chip: Chip; size?: number }) {
  if ((PICTURE_TOPICS as readonly string[]).includes(chip)) return <Icon name={chip as IconName} size={size} />;
  return <Icon d={EXTRA_PICTURES[chip as keyof typeof EXTRA_PICTURES]} size={size} />;
}

export function SpeakerPicture() {
  return <Icon d="M4 9h4l5-4v14l-5-4H4zM16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" size={28} />;
}
