import { useEffect } from 'react';
import { useAppStore } from '../store/store-context';

/**
 * Escape closes what is open over the counter, the one in front first: a manager's panel (day
 * report, settings, devices, connect), then "How points work" or a refund. From the keyboard these
 * closed only by tabbing through them to their Close button. (The wizard's devices step is a step, not a panel.)
 */
export function useEscapeCloses(): void {
  const front = useAppStore((s) =>
    s.closeDay ? 'closeDay' : s.showSettings ? 'settings' : s.showDevices && s.setup?.complete ? 'devices' : s.showEnrol ? 'enrol' : s.showProgram ? 'programme' : s.refund ? 'refund' : null,
  );
  const closeCloseDay = useAppStore((s) => s.closeCloseDay);
  const setShowSettings = useAppStore((s) => s.setShowSettings);
  const setShowDevices = useAppStore((s) => s.setShowDevices);
  const setShowEnrol = useAppStore((s) => s.setShowEnrol);
  const toggleProgram = useAppStore((s) => s.toggleProgram);
  const closeRefund = useAppStore((s) => s.closeRefund);
  useEffect(() => {
    if (front === null) return;
    const close = {
      closeDay: closeCloseDay,
      settings: () => setShowSettings(false),
      devices: () => setShowDevices(false),
      enrol: () => setShowEnrol(false),
      programme: () => toggleProgram(false),
      refund: closeRefund,
    }[front];
    const onKey = (event: KeyboardEvent) => {
      // An open select's list takes Escape for itself (and marks it handled).
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [front, closeCloseDay, setShowSettings, setShowDevices, setShowEnrol, toggleProgram, closeRefund]);
}
