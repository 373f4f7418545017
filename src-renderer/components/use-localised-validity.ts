import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { validityMessage } from '../../src-shared/forms/validity-message';
import { validityReason } from '../../src-shared/forms/validity-reason';
import { useFormat } from './use-format';

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const isField = (target: unknown): target is Field => target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;

/**
 * Every form field's native check (required, min, max, pattern...) said in the terminal's language:
 * Chromium's own bubble speaks the browser's, so a Turkish store on an English Windows read English.
 * Installed once at the app's root; no field needs code of its own. A pattern field may name an
 * i18n key for its hint in data-pattern-hint.
 */
export function useLocalisedValidity(): void {
  const { i18n } = useTranslation();
  const format = useFormat();
  // The listeners read the language and formats of the moment: a language switch reaches the next bubble.
  const current = useRef({ i18n, format });
  useEffect(() => {
    current.current = { i18n, format };
  }, [i18n, format]);

  useEffect(() => {
    // The messages set here, so that a message the screen's own code set is left alone.
    const ours = new WeakMap<Field, string>();
    const clear = (field: Field) => {
      const mine = ours.get(field);
      if (mine === undefined) return;
      ours.delete(field);
      if (field.validationMessage === mine) field.setCustomValidity('');
    };
    const sentence = (field: Field): string | null => {
      const reason = validityReason(field.validity, {
        type: field.type,
        value: field.value,
        min: field.getAttribute('min'),
        max: field.getAttribute('max'),
        step: field.getAttribute('step'),
        minLength: field instanceof HTMLSelectElement ? -1 : field.minLength,
        maxLength: field instanceof HTMLSelectElement ? -1 : field.maxLength,
        valueAttribute: field.getAttribute('value'),
      });
      if (!reason) return null;
      const { i18n: language, format: numbers } = current.current;
      const { key, params } = validityMessage(reason, { number: numbers.number, day: numbers.date }, field.dataset.patternHint);
      return language.t(key, params);
    };
    const onInvalid = (event: Event) => {
      const field = event.target;
      if (!isField(field) || (field.validity.customError && field.validationMessage !== ours.get(field))) return;
      // Checked afresh: a value or constraint changed by code (no input event) may have made it valid.
      clear(field);
      const message = sentence(field);
      if (message === null) return;
      field.setCustomValidity(message);
      ours.set(field, message);
    };
    // A message of ours would keep the field invalid: typing re-checks it natively.
    const onEdit = (event: Event) => {
      if (isField(event.target)) clear(event.target);
    };
    // A submit re-checks every field of its form (a required that code switched off, a value code set).
    const onClick = (event: Event) => {
      const button = event.target instanceof Element ? event.target.closest('button, input') : null;
      if (!(button instanceof HTMLButtonElement || button instanceof HTMLInputElement) || button.type !== 'submit' || !button.form) return;
      for (const field of Array.from(button.form.elements)) if (isField(field)) clear(field);
    };
    document.addEventListener('invalid', onInvalid, true);
    document.addEventListener('input', onEdit, true);
    document.addEventListener('change', onEdit, true);
    document.addEventListener('click', onClick, true);
    return () => {
      document.removeEventListener('invalid', onInvalid, true);
      document.removeEventListener('input', onEdit, true);
      document.removeEventListener('change', onEdit, true);
      document.removeEventListener('click', onClick, true);
    };
  }, []);
}
