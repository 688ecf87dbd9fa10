// Owns the organisation's console accounts (coordinator only): the list, and creating one, which shows the one-time
// set-up link to hand to the new person (shown once; the server keeps only its hash).
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import type { Role, Site, UserRow } from '../types';
import { dateTime, ErrorNotice, Loading, PageTitle, useLoad } from '../ui';

/** The form's problem before asking the server: an address without "@", or a site admin with no site. */
export function newUserProblem(email: string, role: Role, siteId: string): 'email' | 'site' | undefined {
  if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return 'email';
  if (role === 'site-admin' && !siteId) return 'site';
  return undefined;
}

export function UsersScreen() {
  const { t } = useConsoleT();
  const users = useLoad(() => api.get<UserRow[]>('/users'), []);
  const sites = useLoad(() => api.get<Site[]>('/sites'), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('coordinator');
  const [siteId, setSiteId] = useState('');
  const [problem, setProblem] = useState<'email' | 'site'>();
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<{ email: string; link: string }>();
  const siteName = (id: string | null) => (id ? (sites.data?.find((site) => site.id === id)?.name ?? id) : t('users.allSites'));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = newUserProblem(email, role, siteId);
    setProblem(found);
    setError(undefined);
    if (found) return;
    try {
      const answer = await api.post<{ user: UserRow; setupLink: string }>('/users', {
        email: email.trim(),
        role,
        ...(role === 'site-admin' ? { siteId } : {}),
      });
      setCreated({ email: answer.user.email, link: answer.setupLink });
      setEmail('');
      users.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section>
      <PageTitle>{t('users.title')}</PageTitle>
      <p>{t('users.intro')}</p>
      <ErrorNotice error={users.error ?? sites.error} />
      {users.loading && !users.data ? <Loading /> : null}
      {users.data ? (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('users.listLabel')}>
          <table class="numbers" id="users">
            <caption class="visually-hidden">{t('users.listLabel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.site')}</th>
                <th scope="col">{t('users.lastLogin')}</th>
                <th scope="col">{t('users.signIn')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.email}</th>
                  <td>{t(`users.roles.${user.role}`)}</td>
                  <td>{siteName(user.siteId)}</td>
                  <td>{dateTime(user.lastLoginAt)}</td>
                  <td>
                    {!user.hasPassword && user.passkeys === 0
                      ? t('users.notSetUp')
                      : t('users.ways', { passkeys: user.passkeys, password: user.hasPassword ? t('users.yes') : t('users.no') })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <form class="form panel" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-user-title">
        <h2 id="new-user-title">{t('users.newTitle')}</h2>
        <label for="new-user-email">{t('users.email')}</label>
        <input
          id="new-user-email"
          type="email"
          autocomplete="off"
          value={email}
          aria-invalid={problem === 'email'}
          aria-describedby={problem ? 'new-user-problem' : undefined}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
        <fieldset>
          <legend>{t('users.role')}</legend>
          {(['coordinator', 'site-admin'] as const).map((value) => (
            <label class="choice" key={value}>
              <input type="radio" name="new-user-role" checked={role === value} onChange={() => setRole(value)} />
              <span>
                {t(`users.roles.${value}`)} — {t(`users.roleHelp.${value}`)}
              </span>
            </label>
          ))}
        </fieldset>
        {role === 'site-admin' ? (
          <>
            <label for="new-user-site">{t('users.site')}</label>
            <select id="new-user-site" value={siteId} aria-invalid={problem === 'site'} onChange={(event) => setSiteId(event.currentTarget.value)}>
              <option value="">{t('users.chooseSite')}</option>
              {(sites.data ?? []).map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
        {problem ? (
          <p id="new-user-problem" class="field-error" role="alert">
            {t(`users.problems.${problem}`)}
          </p>
        ) : null}
        <button type="submit" class="button primary">
          {t('users.create')}
        </button>
        <ErrorNotice error={error} />
      </form>
      {created ? (
        <section class="panel notice ok" role="status" aria-labelledby="setup-link-title">
          <h2 id="setup-link-title">{t('users.createdTitle', { email: created.email })}</h2>
          <p>{t('users.createdHelp')}</p>
          <p>
            <code class="setup-link">{created.link}</code>
          </p>
          <button type="button" class="button" onClick={() => void navigator.clipboard?.writeText(created.link)}>
            {t('users.copy')}
          </button>
        </section>
      ) : null}
    </section>
  );
}
