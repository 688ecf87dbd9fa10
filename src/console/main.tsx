// The coordinator's console entry (/console/): its words, then the shell. Built apart from the tablet app (vite.config.ts).
import { render } from 'preact';
import { Console } from './Console';
import { initConsoleI18n } from './i18n';
import './console.css';

await initConsoleI18n();
render(<Console />, document.getElementById('console')!);
