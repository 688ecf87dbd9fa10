// Owns reading a question aloud with the browser's own speech (Web Speech API), in the UI language only:
// when the tablet has no voice for that language there is no button, rather than a button in the wrong accent.
import { useEffect, useState } from 'preact/hooks';

function voiceFor(language: string): SpeechSynthesisVoice | undefined {
  if (typeof speechSynthesis === 'undefined') return undefined;
  const voices = speechSynthesis.getVoices().filter((voice) => voice.lang.toLowerCase().split(/[-_]/)[0] === language);
  return voices.find((voice) => voice.localService) ?? voices[0];
}

/** A speak function when a voice for `language` exists, otherwise undefined. Voices may arrive after start-up. */
export function useReadAloud(language: string): ((text: string) => void) | undefined {
  const [voice, setVoice] = useState(() => voiceFor(language));
  useEffect(() => {
    setVoice(voiceFor(language));
    if (typeof speechSynthesis === 'undefined') return;
    const update = () => setVoice(voiceFor(language));
    speechSynthesis.addEventListener('voiceschanged', update);
    return () => {
      speechSynthesis.removeEventListener('voiceschanged', update);
      speechSynthesis.cancel();
    };
  }, [language]);
  if (!voice) return undefined;
  return (text: string) => {
    speechSynthesis.cancel(); // a second tap starts again instead of queueing
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9; // a little slower than default, for people who find reading hard
    speechSynthesis.speak(utterance);
  };
}
