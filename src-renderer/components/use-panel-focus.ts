import { useEffect, useRef } from 'react';

/**
 * A panel opened over the counter (day report, settings, devices, connect, "How points work") starts
 * at its top with its heading focused: it kept the scroll of the screen before (its heading out of
 * sight) and the keyboard focus on nothing. Again whenever `key` changes (the day report's stages).
 */
export function usePanelFocus<T extends HTMLElement = HTMLHeadingElement>(key?: unknown) {
  const heading = useRef<T>(null);
  useEffect(() => {
    window.scrollTo(0, 0);
    heading.current?.focus({ preventScroll: true });
  }, [key]);
  return heading;
}
