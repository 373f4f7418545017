// Enter pressed twice (a double press, or a second one to be sure) on the button that records
// something lands on the button that takes its result away, which the keyboard moves to next: the
// result went before anyone read it. A key press that soon after the result appeared is held off.
import { useEffect, useRef, type MouseEvent } from 'react';

/** How soon after a result appears a key on its button is still the press that made it, repeated. */
export const REPEATED_PRESS_MS = 500;

/**
 * Whether a press on the button that takes away `result` is the press that made it appear, repeated:
 * a key (a click has detail > 0: the mouse and a finger press elsewhere) within REPEATED_PRESS_MS.
 */
export function useRepeatedKeyPress(result: unknown): (event: MouseEvent) => boolean {
  const shownAt = useRef(0);
  useEffect(() => {
    if (result) shownAt.current = performance.now();
  }, [result]);
  return (event) => event.detail === 0 && performance.now() - shownAt.current < REPEATED_PRESS_MS;
}
