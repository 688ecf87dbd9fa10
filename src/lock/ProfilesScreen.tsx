// Instructor profiles (instructor area): change my PIN; a site admin adds instructors, resets PINs, removes profiles.
import { useState } from 'preact/hooks';
import { useLiveQuery } from '../db/live';
import { listProfiles } from '../db/lock';
import type { ProfileRecord } from '../db/records';
import { useT } from '../i18n';
import { ConfirmBox } from '../ui/ConfirmBox';
import { useObservable } from '../ui/use-observable';
import { mode } from './mode';
import { addInstructor, changeOwnPin, hasPin, mayRemove, removeProfile, resetPin } from './profiles';
import { PIN_ITERATIONS, type SecretKind } from './pin';
import { Message, NewSecretFields, NicknameField, SecretInput, SecretKindChoice, useProfileSubmit, useSecretPair } from './ui';

function ChangeOwnPin({ me }: { me: ProfileRecord }) {
  const { t } = useT();
  const [current, setCurrent] = useState('');
  const form = useSecretPair();
  const [kind, setKind] = useState<SecretKind>(me.passcode ? 'passcode' : 'pin');
  const saving = useProfileSubmit();
  const nowKind: SecretKind = me.passcode ? 'passcode' : 'pin';
  const submit = (event: Event) => {
    event.preventDefault();
    return saving.run(async () => {
      await changeOwnPin(me.id, current, form.pin, form.again, PIN_ITERATIONS, kind);
      setCurrent('');
      form.clear();
      return t('lock.profiles.pinChanged');
    });
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="own-pin-title">
      <h2 id="own-pin-title">{t('lock.profiles.changeOwnPin')}</h2>
      <SecretInput
        kind={nowKind}
        id="own-current"
        label={t(nowKind === 'passcode' ? 'lock.passcode.current' : 'lock.profiles.currentPin')}
        value={current}
        onInput={setCurrent}
      />
      {me.role === 'admin' && <SecretKindChoice value={kind} onChoose={(chosen) => (setKind(chosen), form.clear())} />}
      <NewSecretFields
        kind={kind}
        id="own-new"
        label={t(kind === 'passcode' ? 'lock.passcode.new' : 'lock.profiles.newPin')}
        againId="own-again"
        againLabel={t(kind === 'passcode' ? 'lock.passcode.again' : 'lock.profiles.newPinAgain')}
        pair={form}
      />
      <Message kind="error" text={saving.error} />
      <Message kind="done" text={saving.done} />
      <button class="button primary" type="submit">
        {t('lock.profiles.save')}
      </button>
    </form>
  );
}

function ProfileCard({
  me,
  profile,
  profiles,
  onMessage,
}: {
  me: ProfileRecord;
  profile: ProfileRecord;
  profiles: ProfileRecord[];
  onMessage: (kind: 'error' | 'done', text: string) => void;
}) {
  const { t } = useT();
  const [open, setOpen] = useState<'reset' | 'remove'>();
  const form = useSecretPair();
  // Resetting the PIN and removing the profile show their problems in the same place on the card.
  const changing = useProfileSubmit<void>();
  const isMe = profile.id === me.id;
  const canRemove = mayRemove(me, profile, profiles) === true;
  const reset = (event: Event) => {
    event.preventDefault();
    return changing.run(async () => {
      await resetPin(me.id, profile.id, form.pin, form.again);
      form.clear();
      setOpen(undefined);
      onMessage('done', t('lock.profiles.pinReset', { nickname: profile.nickname }));
    });
  };
  const remove = () =>
    changing.run(async () => {
      await removeProfile(me.id, profile.id);
      onMessage('done', t('lock.profiles.removed', { nickname: profile.nickname }));
    });
  return (
    <li>
      <p class="profile-name">
        {profile.nickname} {isMe && t('lock.profiles.you')}
      </p>
      <p>{profile.role === 'admin' ? t('lock.profiles.roleAdmin') : t('lock.profiles.roleInstructor')}</p>
      {!hasPin(profile) && <p>{t('lock.profiles.noPinYet')}</p>}
      <Message kind="error" text={changing.error} />
      {open === undefined && (
        <div class="button-row">
          {me.role === 'admin' && !isMe && (
            <button type="button" class="button" onClick={() => setOpen('reset')}>
              {t('lock.profiles.resetPin')}
            </button>
          )}
          {canRemove && (
            <button type="button" class="button danger" onClick={() => setOpen('remove')}>
              {t('lock.profiles.remove')}
            </button>
          )}
        </div>
      )}
      {open === 'reset' && (
        <form onSubmit={reset} noValidate aria-label={t('lock.profiles.resetFor', { nickname: profile.nickname })}>
          <NewSecretFields
            id={`reset-${profile.id}`}
            label={t('lock.profiles.newPin')}
            againId={`reset-again-${profile.id}`}
            againLabel={t('lock.profiles.newPinAgain')}
            pair={form}
          />
          <div class="button-row">
            <button class="button primary" type="submit">
              {t('lock.profiles.save')}
            </button>
            <button class="button" type="button" onClick={() => setOpen(undefined)}>
              {t('lock.profiles.cancel')}
            </button>
          </div>
        </form>
      )}
      {open === 'remove' && (
        <ConfirmBox
          class="confirm-box"
          id={`remove-question-${profile.id}`}
          question={t('lock.profiles.removeConfirm', { nickname: profile.nickname })}
          yes={t('lock.profiles.removeYes')}
          cancel={t('lock.profiles.cancel')}
          onYes={remove}
          onCancel={() => setOpen(undefined)}
        />
      )}
    </li>
  );
}

function AddInstructor({ me, onMessage }: { me: ProfileRecord; onMessage: (kind: 'error' | 'done', text: string) => void }) {
  const { t } = useT();
  const [nickname, setNickname] = useState('');
  const [admin, setAdmin] = useState(false);
  const form = useSecretPair();
  const adding = useProfileSubmit<void>();
  const submit = (event: Event) => {
    event.preventDefault();
    return adding.run(async () => {
      const added = await addInstructor(me.id, { nickname, pin: form.pin, pinAgain: form.again, role: admin ? 'admin' : 'instructor' });
      setNickname('');
      setAdmin(false);
      form.clear();
      onMessage('done', t('lock.profiles.added', { nickname: added.nickname }));
    });
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="add-title">
      <h2 id="add-title">{t('lock.profiles.addTitle')}</h2>
      <NicknameField id="add-nickname" value={nickname} onInput={setNickname} />
      <NewSecretFields id="add-pin" label={t('lock.setup.pin')} againId="add-pin-again" againLabel={t('lock.setup.pinAgain')} pair={form} />
      <label class="check-row">
        <input type="checkbox" checked={admin} onChange={(event) => setAdmin(event.currentTarget.checked)} />
        <span>{t('lock.profiles.makeAdmin')}</span>
      </label>
      <Message kind="error" text={adding.error} />
      <button class="button primary" type="submit">
        {t('lock.profiles.add')}
      </button>
    </form>
  );
}

export default function ProfilesScreen(_: { params: Record<string, string> }) {
  const { t } = useT();
  const current = useObservable(mode);
  const myId = current.kind === 'instructor' ? current.profileId : '';
  const profiles = useLiveQuery(listProfiles, []);
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string }>();
  const me = profiles?.find((p) => p.id === myId);
  return (
    <section class="screen" aria-labelledby="profiles-title">
      <h1 id="profiles-title">{t('lock.profiles.title')}</h1>
      <p>{t('lock.profiles.intro')}</p>
      <Message kind={message?.kind ?? 'done'} text={message?.text} />
      {me && profiles && (
        <>
          <ul class="profile-list" data-testid="profile-list">
            {profiles.map((profile) => (
              <ProfileCard key={profile.id} me={me} profile={profile} profiles={profiles} onMessage={(kind, text) => setMessage({ kind, text })} />
            ))}
          </ul>
          <ChangeOwnPin me={me} />
          {me.role === 'admin' && <AddInstructor me={me} onMessage={(kind, text) => setMessage({ kind, text })} />}
        </>
      )}
    </section>
  );
}
