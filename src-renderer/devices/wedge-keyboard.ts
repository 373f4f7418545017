// Keyboard-wedge scanners type their scans. This listens to every keydown before the page does (window,
// capture phase), holds printable keys back while a burst may still be a scan, hands them to the focused
// field if it turns out to be typing, and passes a scan on without a single character reaching a field.
import { WedgeDetector, type WedgeEvent } from '../../src-shared/devices/wedge-detector';
import type { WedgeSettings } from './wedge-settings';

const TEXT_INPUT_TYPES = new Set(['text', 'tel', 'search', 'password', 'email', 'url', 'number', '']);

function textField(el: Element | null): HTMLInputElement | HTMLTextAreaElement | HTMLElement | null {
  if (el instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(el.type) && !el.readOnly && !el.disabled ? el : null;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled ? el : null;
  if (el instanceof HTMLElement && el.isContentEditable) return el;
  return null;
}

/** Types released keys into the focused field the way the keyboard would have (input events, maxLength). */
function typeIntoFocus(doc: Document, text: string): void {
  const field = textField(doc.activeElement);
  // Nothing editable had focus: the keys would have typed nowhere.
  if (!field) return;
  // execCommand is deprecated but is still the one way to insert text as the user would (React's onChange,
  // undo history, maxLength); the fallback covers fields it cannot edit.
  if (doc.execCommand('insertText', false, text)) return;
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    const proto = field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
    const setValue = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    const room = field.maxLength >= 0 ? Math.max(0, field.maxLength - field.value.length) : text.length;
    setValue?.call(field, field.value + text.slice(0, room));
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/** Starts listening on `win`; returns the function that stops (held keys are handed back first). */
export function attachWedgeScanner(win: Window, settings: WedgeSettings, onScan: (text: string) => void): () => void {
  const detector = new WedgeDetector({
    maxGapMs: settings.maxGapMs,
    maxJitterGapMs: settings.maxJitterGapMs,
    maxTotalMsPerChar: settings.maxTotalMsPerChar,
    minLength: settings.minLength,
    suffixKey: settings.suffixKey,
    idleMs: settings.idleMs,
  });
  const doc = win.document;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  const apply = (events: WedgeEvent[]) => {
    for (const event of events) {
      if (event.kind === 'release') typeIntoFocus(doc, event.keys.join(''));
      else onScan(event.data);
    }
  };
  const stopIdle = () => {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  };
  const flushNow = () => {
    stopIdle();
    apply(detector.flush());
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // Shortcuts, IME composition and auto-repeat (a held key repeats at scanner speed) are never scans.
    const shortcut = e.ctrlKey || e.metaKey || (e.altKey && !e.getModifierState('AltGraph'));
    if (e.isComposing || e.repeat || shortcut || e.key === 'Process' || e.key === 'Dead' || e.key === 'Unidentified') {
      flushNow();
      return;
    }
    // A select picks options by typed letters; Space on a button presses it. Neither starts a scan.
    if (doc.activeElement instanceof HTMLSelectElement) {
      flushNow();
      return;
    }
    if (e.key === ' ' && detector.heldCount === 0 && !textField(doc.activeElement)) return;
    const decision = detector.key({ key: e.key, at: e.timeStamp });
    apply(decision.events);
    if (decision.suppress) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    stopIdle();
    // A scanner with no suffix, or typing that simply stops: the burst is judged after a short silence.
    if (detector.heldCount > 0) idleTimer = setTimeout(flushNow, detector.idleMs);
  };
  // Focus leaving the window ends the burst: whatever was held belongs to the field that had it.
  const onBlur = () => flushNow();

  win.addEventListener('keydown', onKeyDown, { capture: true });
  win.addEventListener('blur', onBlur);
  return () => {
    win.removeEventListener('keydown', onKeyDown, { capture: true });
    win.removeEventListener('blur', onBlur);
    flushNow();
  };
}
