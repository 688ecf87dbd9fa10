// Headless Chromium has no voices: this stands in for speechSynthesis and records what the app asks it to say.
export function installFakeSpeech(voiceLangs: string[]): string {
  return `(() => {
    const spoken = [];
    window.__spoken = spoken;
    const voices = ${JSON.stringify(voiceLangs)}.map((lang) => ({ lang, name: 'Test ' + lang, default: false, localService: true, voiceURI: 'test-' + lang }));
    const fake = new EventTarget();
    fake.getVoices = () => voices;
    fake.cancel = () => {};
    fake.pause = () => {};
    fake.resume = () => {};
    fake.speaking = false;
    fake.speak = (utterance) => {
      spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.lang });
      window.__current = utterance;
    };
    window.__sayWord = (charIndex) => window.__current.onboundary({ name: 'word', charIndex, charLength: 0 });
    window.__finish = () => window.__current.onend && window.__current.onend({});
    Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
    // The real utterance refuses a voice object that the browser did not make.
    window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ''; this.voice = null; this.rate = 1; } };
  })();`;
}
