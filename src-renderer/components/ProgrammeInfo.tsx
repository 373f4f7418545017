import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { usePanelFocus } from './use-panel-focus';

/** "How points work": the active rule set in plain language, for cashiers and customers. */
export function ProgrammeInfo() {
  const { t } = useTranslation();
  const program = useAppStore((s) => s.program);
  const toggleProgram = useAppStore((s) => s.toggleProgram);
  const heading = usePanelFocus();
  return (
    <section className="panel programme" aria-label={t('programme.howPointsWork')}>
      <h2 ref={heading} tabIndex={-1}>
        {program?.name ?? t('programme.howPointsWork')}
      </h2>
      {program && <p className="muted">{t('programme.version', { version: program.version })}</p>}
      {program?.explanation.sections.map((section) => (
        <div key={section.key}>
          <h3>{section.title}</h3>
          <ul>
            {section.items.map((item, i) => (
              <li key={i}>{item.text}</li>
            ))}
          </ul>
        </div>
      ))}
      <button type="button" className="primary" onClick={() => toggleProgram(false)}>
        {t('programme.close')}
      </button>
    </section>
  );
}
