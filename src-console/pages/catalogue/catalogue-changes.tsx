import { useTranslation } from 'react-i18next';
import type { CatalogueDiff } from '../../../src-shared/catalogue/catalogue-diff';
import { catalogueChangeSections, catalogueSummaryLines } from '../../components/catalogue-change-text';
import { useFormat } from '../../components/use-format';

/** What installing the checked catalogue would change against the current one. */
export function CatalogueChanges({ diff }: { diff: CatalogueDiff }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="panel" aria-label={t('catalogue.changes')}>
      <h3>{t('catalogue.changes')}</h3>
      {catalogueSummaryLines(diff, t).map((line, i) => (
        <p key={i}>{line}</p>
      ))}
      {catalogueChangeSections(diff, t, f.money).map((section) => (
        <div key={section.kind} data-change={section.kind}>
          <h4>{section.heading}</h4>
          <ul>
            {section.lines.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
            {section.more ? <li className="muted">{section.more}</li> : null}
          </ul>
        </div>
      ))}
    </section>
  );
}
