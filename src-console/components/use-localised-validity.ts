import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { listenForInvalidFields } from '../../src-shared/forms/invalid-field-listener';
import { validityMessage } from '../../src-shared/forms/validity-message';
import { useFormat } from './use-format';

/**
 * Every form field's native check said in the console's language, the one the owner chose with the
 * language switch, not the browser's (see invalid-field-listener.ts). Installed once at the app's root.
 */
export function useLocalisedValidity(): void {
  const { i18n } = useTranslation();
  const format = useFormat();
  // The listener reads the language and formats of the moment: a language switch reaches the next bubble.
  const current = useRef({ i18n, format });
  useEffect(() => {
    current.current = { i18n, format };
  }, [i18n, format]);
  useEffect(
    () =>
      listenForInvalidFields(document, (reason, patternHint) => {
        const { count, date } = current.current.format;
        const { key, params } = validityMessage(reason, { number: count, day: (day) => date(`${day}T00:00:00`) }, patternHint);
        return current.current.i18n.t(key, params);
      }),
    [],
  );
}
