import { useTranslation } from 'react-i18next';
import type { ConsoleClient } from '../api/console-client';
import { CONSOLE_PAGES } from '../pages';
import { useConsoleState, type ConsoleStore } from '../store/console-store';
import { LanguageSwitch } from './language-switch';
import { SignInScreen } from './sign-in-screen';
import { useLocalisedValidity } from './use-localised-validity';

export function ConsoleApp({ store, client }: { store: ConsoleStore; client: ConsoleClient }) {
  const { t } = useTranslation();
  const session = useConsoleState(store, (s) => s.session);
  const reason = useConsoleState(store, (s) => s.signedOutReason);
  const pageId = useConsoleState(store, (s) => s.pageId);
  const memberToOpen = useConsoleState(store, (s) => s.memberToOpen);
  const { setSession, clearSession, openPage, openMember } = store.getState();
  useLocalisedValidity();

  if (!session) return <SignInScreen client={client} reason={reason} onSignedIn={setSession} languageSwitch={<LanguageSwitch store={store} />} />;

  const page = CONSOLE_PAGES.find((p) => p.id === pageId) ?? CONSOLE_PAGES[0];
  const signOut = async () => {
    await client.post('/v1/admin/sign-out');
    clearSession();
  };
  return (
    <div className="shell">
      <header className="topbar">
        <strong className="product">{t('app.product')}</strong>
        <nav aria-label={t('app.pages')}>
          {CONSOLE_PAGES.map((p) => (
            <button key={p.id} type="button" className={p.id === page?.id ? 'nav current' : 'nav'} aria-current={p.id === page?.id ? 'page' : undefined} onClick={() => openPage(p.id)}>
              {t(p.titleKey)}
            </button>
          ))}
        </nav>
        <span className="who">
          {t('app.signedInAs')} <strong>{session.adminName}</strong>
        </span>
        <LanguageSwitch store={store} />
        <button type="button" onClick={() => void signOut()}>
          {t('app.signOut')}
        </button>
      </header>
      <main className="page">{page ? <page.component key={page.id} client={client} adminName={session.adminName} openMember={openMember} memberToOpen={memberToOpen} /> : null}</main>
    </div>
  );
}
