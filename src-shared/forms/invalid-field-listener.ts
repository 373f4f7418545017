// The listener that says every form field's native check (required, min, max, pattern...) in the
// screen's language: Chromium's own bubble speaks the browser's, so a Turkish store on an English
// Windows read English. One piece for the terminal and the console, each installing it once at its
// root. No DOM types here (src-shared is pure): the parts of a field and an event it uses are named
// below, and every HTMLInputElement, HTMLTextAreaElement and HTMLSelectElement has them.
import { validityReason, type ValidityFlags, type ValidityReason } from './validity-reason';

/** The parts of a form field read and written here. */
type CheckedField = {
  readonly validity: ValidityFlags & { readonly customError: boolean };
  readonly validationMessage: string;
  readonly type: string;
  readonly value: string;
  /** Absent on a select. */
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly dataset: { readonly patternHint?: string };
  getAttribute(name: string): string | null;
  setCustomValidity(message: string): void;
};

type FieldEvent = { readonly target: unknown };
type Listener = (event: FieldEvent) => void;

/** A document (or any element above the forms). */
export type ListenerRoot = {
  addEventListener(type: string, listener: Listener, capture: boolean): void;
  removeEventListener(type: string, listener: Listener, capture: boolean): void;
};

/** The sentence for a reason; `patternHint` is a pattern field's own i18n key (its data-pattern-hint). */
export type SayValidity = (reason: ValidityReason, patternHint: string | undefined) => string;

const isField = (target: unknown): target is CheckedField =>
  typeof target === 'object' && target !== null && 'setCustomValidity' in target && 'validity' in target && 'value' in target && 'dataset' in target;

/** The submit button a click landed on (or inside), or null. */
function submitButtonOf(target: unknown): { form: { elements: ArrayLike<unknown> } } | null {
  if (typeof target !== 'object' || target === null || !('closest' in target) || typeof target.closest !== 'function') return null;
  const button: unknown = (target as { closest(selector: string): unknown }).closest('button, input');
  if (typeof button !== 'object' || button === null) return null;
  const { type, form } = button as { type?: unknown; form?: { elements: ArrayLike<unknown> } | null };
  return type === 'submit' && form ? { form } : null;
}

/** Installs the listeners on `root`; returns what removes them. `say` is read at each bubble, so a language switch reaches the next one. */
export function listenForInvalidFields(root: ListenerRoot, say: SayValidity): () => void {
  // The messages set here, so that a message the screen's own code set is left alone.
  const ours = new WeakMap<CheckedField, string>();
  const clear = (field: CheckedField) => {
    const mine = ours.get(field);
    if (mine === undefined) return;
    ours.delete(field);
    if (field.validationMessage === mine) field.setCustomValidity('');
  };
  const sentence = (field: CheckedField): string | null => {
    const reason = validityReason(field.validity, {
      type: field.type,
      value: field.value,
      min: field.getAttribute('min'),
      max: field.getAttribute('max'),
      step: field.getAttribute('step'),
      minLength: field.minLength ?? -1,
      maxLength: field.maxLength ?? -1,
      valueAttribute: field.getAttribute('value'),
    });
    return reason ? say(reason, field.dataset.patternHint) : null;
  };
  const onInvalid: Listener = ({ target: field }) => {
    if (!isField(field) || (field.validity.customError && field.validationMessage !== ours.get(field))) return;
    // Checked afresh: a value or constraint changed by code (no input event) may have made it valid.
    clear(field);
    const message = sentence(field);
    if (message === null) return;
    field.setCustomValidity(message);
    ours.set(field, message);
  };
  // A message of ours would keep the field invalid: typing re-checks it natively.
  const onEdit: Listener = ({ target }) => {
    if (isField(target)) clear(target);
  };
  // A submit re-checks every field of its form (a required that code switched off, a value code set).
  const onClick: Listener = ({ target }) => {
    const button = submitButtonOf(target);
    if (button) for (const field of Array.from(button.form.elements)) if (isField(field)) clear(field);
  };
  const listeners: [string, Listener][] = [
    ['invalid', onInvalid],
    ['input', onEdit],
    ['change', onEdit],
    ['click', onClick],
  ];
  for (const [type, listener] of listeners) root.addEventListener(type, listener, true);
  return () => {
    for (const [type, listener] of listeners) root.removeEventListener(type, listener, true);
  };
}
