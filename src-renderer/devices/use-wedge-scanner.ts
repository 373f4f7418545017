import { useEffect } from 'react';
import { useAppStore } from '../store/store-context';
import { attachWedgeScanner } from './wedge-keyboard';

/** Keyboard-wedge scans on this screen go to the core (devices.keyboardScan), never into a field. */
export function useWedgeScanner(): void {
  const settings = useAppStore((s) => s.wedge);
  const keyboardScan = useAppStore((s) => s.keyboardScan);
  useEffect(() => {
    if (!settings.enabled) return undefined;
    return attachWedgeScanner(window, settings, (text) => void keyboardScan(text));
  }, [settings, keyboardScan]);
}
