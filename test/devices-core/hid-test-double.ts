// TEST DOUBLES for node-hid: there is no /dev/hidraw on the test machines, so the report-handling path of
// HidScanner is driven through these fakes with byte fixtures. They are never used outside tests.
import { EventEmitter } from 'node:events';
import type { HidApi, HidDeviceHandle, HidDeviceInfo } from '../../src-main/core/devices/hid-scanner';

/** A fake open HID device: the test pushes input reports and read errors into it. */
export class TestDoubleHidDevice extends EventEmitter implements HidDeviceHandle {
  closed = false;
  /** Output reports the app wrote, byte 0 the report ID (as node-hid's write takes them). */
  readonly written: number[][] = [];
  /** How the next writes fail: node-hid rejects (e.g. a scanner with no output report), or hidapi throws at once. */
  refuseWrites: 'reject' | 'throw' | null = null;

  constructor(readonly info: HidDeviceInfo) {
    super();
  }

  /** One input report, as node-hid delivers it (byte 0 is the report ID for numbered reports). */
  report(bytes: Uint8Array): void {
    this.emit('data', Buffer.from(bytes));
  }

  /** What node-hid does when the device is unplugged: an error from the read loop, no close event. */
  unplugged(): void {
    this.emit('error', new Error('could not read from HID device'));
  }

  write(data: number[]): Promise<number> {
    if (this.refuseWrites === 'throw') throw new TypeError('Cannot write to hid device');
    if (this.refuseWrites === 'reject') return Promise.reject(new Error('Cannot write to hid device'));
    this.written.push([...data]);
    return Promise.resolve(data.length);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A fake node-hid: `attached` is what devicesAsync() enumerates and what open() can open. */
export class TestDoubleHidApi implements HidApi {
  attached: HidDeviceInfo[] = [];
  readonly opened: TestDoubleHidDevice[] = [];

  async devicesAsync(): Promise<HidDeviceInfo[]> {
    return this.attached.map((d) => ({ ...d }));
  }

  async open(target: string | { vendorId: number; productId: number }): Promise<TestDoubleHidDevice> {
    const info =
      typeof target === 'string'
        ? this.attached.find((d) => d.path === target)
        : this.attached.find((d) => d.vendorId === target.vendorId && d.productId === target.productId);
    // The same wording as node-hid, so the status mapping is exercised as in production.
    if (!info) throw new Error(typeof target === 'string' ? `cannot open device with path ${target}: No such file or directory` : 'No HID devices with requested VID/PID found in the system.');
    const device = new TestDoubleHidDevice(info);
    this.opened.push(device);
    return device;
  }

  get last(): TestDoubleHidDevice {
    const device = this.opened.at(-1);
    if (!device) throw new Error('no device was opened');
    return device;
  }
}

/** A MagTek 337-byte HID swipe report (hardware.md §10.3): status, lengths, encode type, then the tracks. */
export function magtekReport(track1: string, track2: string, status: [number, number, number] = [0, 0, 0]): Uint8Array {
  const r = new Uint8Array(337);
  r.set(status, 0);
  r[3] = track1.length;
  r[4] = track2.length;
  r[6] = 0;
  r.set(Buffer.from(track1, 'latin1'), 7);
  r.set(Buffer.from(track2, 'latin1'), 117);
  return r;
}
