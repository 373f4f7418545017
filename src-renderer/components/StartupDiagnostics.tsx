import { useTranslation } from 'react-i18next';
import type { MethodResult } from '../../src-shared/api/contract';

type StartupReport = MethodResult<'terminal.startup'>;

/** Shown instead of the counter when the terminal core could not start: why, and the self-test. */
export function StartupDiagnostics({ report }: { report: StartupReport }) {
  const { t } = useTranslation();
  return (
    <main className="startup-diagnostics">
      <section className="panel" role="alert" aria-label={t('startup.title')}>
        <h1>{t('startup.title')}</h1>
        <h2>{t('startup.problem')}</h2>
        <p className="problem">{report.problem}</p>
        <h2>{t('startup.checks')}</h2>
        <table>
          <tbody>
            {report.checks.map((check) => (
              <tr key={check.name} className={check.ok ? 'ok' : 'failed'}>
                <th scope="row">{check.name}</th>
                <td>{check.ok ? t('startup.checkOk') : t('startup.checkFailed')}</td>
                <td>{check.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>{t('startup.whatToDo')}</p>
      </section>
    </main>
  );
}
