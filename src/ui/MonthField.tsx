// Owns the month field of the session list and the report: a plain text box that works in every browser (Firefox and
// desktop Safari have no month picker), reads what people type ("11/2026", "marraskuu 2026", "2026-11"), says which
// month it read, and says plainly when it cannot read the text — so a typo never shows an empty list without a word.
import { useMemo, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { monthForTyping, readMonth } from '../lib/month';
import { Field } from './Field';

export interface MonthFieldProps {
  id: string;
  label: string;
  /** The month in use ("2026-11"), or undefined for none. */
  month: string | undefined;
  /** An empty field means "no month" (a filter); otherwise it is a problem to point out (a report needs a month). */
  optional?: boolean;
  /** A read month, undefined for an emptied optional field, null while the text cannot be read. */
  onMonth: (month: string | undefined | null) => void;
}

export function MonthField({ id, label, month, optional = false, onMonth }: MonthFieldProps) {
  const { t, language } = useT();
  const [typed, setTyped] = useState(() => (month ? monthForTyping(month) : ''));
  const [problem, setProblem] = useState<'empty' | 'unreadable'>();
  const [unread, setUnread] = useState('');
  const monthName = useMemo(() => new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }), [language]);

  // Read when the instructor is done typing (Enter, or leaving the field), not at every key: "11/2" is no month yet.
  function commit(text: string) {
    const reading = readMonth(text);
    if ('month' in reading) {
      setProblem(undefined);
      onMonth(reading.month);
    } else if (reading.problem === 'empty' && optional) {
      setProblem(undefined);
      onMonth(undefined);
    } else {
      setProblem(reading.problem);
      setUnread(text.trim());
      onMonth(null);
    }
  }

  const shown = month && !problem ? monthName.format(new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1)) : undefined;
  return (
    <Field id={id} label={label} class="month-field">
      <input
        id={id}
        type="text"
        autoComplete="off"
        spellcheck={false}
        value={typed}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-state ${id}-help`}
        onInput={(event) => setTyped(event.currentTarget.value)}
        onChange={(event) => commit(event.currentTarget.value)}
      />
      {problem ? (
        <p id={`${id}-state`} class="field-problem" role="alert">
          {problem === 'empty' ? t('sessions.monthField.empty') : t('sessions.monthField.unreadable', { typed: unread })}
        </p>
      ) : (
        <p id={`${id}-state`} class="hint" role="status">
          {shown ? t('sessions.monthField.showing', { month: shown }) : ''}
        </p>
      )}
      <p id={`${id}-help`} class="hint">
        {t('sessions.monthField.help')}
      </p>
    </Field>
  );
}
