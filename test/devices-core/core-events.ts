// Records a core's device events for tests, with waits on them (generous timeouts, no timing asserted).
import type { DeviceScan, EventPayload } from '../../src-shared/api/contract';
import type { CallerContext } from '../../src-main/core/handlers/handler-types';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { waitUntil } from './socat-pair';

export const managerCaller: CallerContext = { role: 'manager', userId: 'manager-1' };

export type DeviceStatusEvent = EventPayload<'device.status'>;

export function watchDevices(core: TerminalCore) {
  const scans: DeviceScan[] = [];
  const statuses: DeviceStatusEvent[] = [];
  const all: { name: string; payload: unknown }[] = [];
  const unsubscribe = core.events.subscribe((name, payload) => {
    all.push({ name, payload });
    if (name === 'device.scan') scans.push(payload as DeviceScan);
    if (name === 'device.status') statuses.push(payload as DeviceStatusEvent);
  });
  return {
    scans,
    statuses,
    all,
    unsubscribe,
    /** Waits for the n-th scan (1-based) and returns it. */
    async scan(n: number): Promise<DeviceScan> {
      await waitUntil(() => scans.length >= n, `device.scan #${n}`);
      return scans[n - 1] as DeviceScan;
    },
    async status(deviceId: string, state: DeviceStatusEvent['state'], message?: RegExp): Promise<DeviceStatusEvent> {
      const match = (s: DeviceStatusEvent) => s.deviceId === deviceId && s.state === state && (!message || message.test(s.message));
      await waitUntil(() => statuses.some(match), `device.status ${state} of ${deviceId}`);
      return statuses.filter(match).at(-1) as DeviceStatusEvent;
    },
  };
}
