// Owns read-aloud: finding a voice for the guide's language and speaking a step with word-by-word progress.
import { useEffect, useState } from 'preact/hooks';

const SPEECH_LANG: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export function speechLang(lang: string): string {
  return SPEECH_LANG[lang] ?? lang;
}

function synth(): SpeechSynthesis | undefined {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined;
}

export function findVoice(lang: string): SpeechSynthesisVoice | undefined {
  const voices = synth()?.getVoices() ?? [];
  const wanted = speechLang(lang).toLowerCase();
  const prefix = lang.toLowerCase();
  const normal = (v: SpeechSynthesisVoice) => v.lang.toLowerCase().replace('_', '-');
  return voices.find((v) => normal(v) === wanted) ?? voices.find((v) => normal(v).split('-')[0] === prefix);
}

/** The voice for a language, or undefined while there is none (then no read-aloud button is shown). */
export function useVoice(lang: string): SpeechSynthesisVoice | undefined {
  const [voice, setVoice] = useState(() => findVoice(lang));
  useEffect(() => {
    const speech = synth();
    setVoice(findVoice(lang));
    if (!speech) return;
    const update = () => setVoice(findVoice(lang));
    speech.addEventListener('voiceschanged', update);
    return () => speech.removeEventListener('voiceschanged', update);
  }, [lang]);
  return voice;
}

/** The word of `text` that starts at or covers `charIndex`: [start, end). */
export function wordAt(text: string, charIndex: number, charLength?: number): [number, number] {
  if (charLength && charLength > 0) return [charIndex, charIndex + charLength];
  const rest = text.slice(charIndex).match(/^\S+/);
  return [charIndex, charIndex + (rest ? rest[0].length : 0)];
}

export interface Reading {
  stop(): void;
}

export function speak(
  text: string,
  lang: string,
  voice: SpeechSynthesisVoice,
  events: { onWord: (range: [number, number]) => void; onEnd: () => void },
): Reading {
  const speech = synth()!;
  speech.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = speechLang(lang);
  utterance.voice = voice;
  utterance.rate = 0.9; // a little slower than default: many listeners read with difficulty
  utterance.onboundary = (event) => {
    if (event.name === 'word') events.onWord(wordAt(text, event.charIndex, event.charLength));
  };
  utterance.onend = () => events.onEnd();
  utterance.onerror = () => events.onEnd();
  speech.speak(utterance);
  return {
    stop() {
      utterance.onend = null;
      utterance.onboundary = null;
      speech.cancel();
      events.onEnd();
    },
  };
}
