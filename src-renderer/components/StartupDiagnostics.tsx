import { useTranslation } from 'react-i18next';
import type { MethodResult } from '../../src-shared/api/contract';

type StartupReport = MethodResult<'terminal.startup'>;

/**
 * Shown instead of the counter when the terminal core could not start: why, and the self-test, in
 * the screen's language by the core's codes; the core's English stays beneath as the detail, for
 * support.
 */
export function StartupDiagnostics({ report }: { report: StartupReport }) {
  const { t } = useTranslation();
  return (
    <main className="startup-diagnostics">
      <section className="panel" role="alert" aria-label={t('startup.title')}>
        <h1>{t('startup.title')}</h1>
        <h2>{t('startup.problem')}</h2>
        <p className="problem">{t(`startup.failure.${report.code ?? 'other'}`, report.facts ?? {})}</p>
        {report.problem && <small className="error-detail">{t('technicalDetail', { message: report.problem })}</small>}
        <h2>{t('startup.selfTest')}</h2>
        <table>
          <tbody>
            {report.checks.map((check) => (
              <tr key={check.code} className={check.ok ? 'ok' : 'failed'}>
                <th scope="row">{t(`startup.check.${check.code}.name`)}</th>
                <td>{check.ok ? t('startup.checkOk') : t('startup.checkFailed')}</td>
                <td>
                  {check.ok ? t(`startup.check.${check.code}.ok`, check.found === undefined ? {} : { count: check.found }) : t(`startup.check.${check.code}.failed`)}
                  <small className="error-detail">{t('technicalDetail', { message: check.detail })}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>{t('startup.whatToDo')}</p>
      </section>
    </main>
  );
}
