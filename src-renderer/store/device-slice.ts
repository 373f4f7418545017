import type { DeviceScan, MethodResult } from '../../src-shared/api/contract';
import { linkableKind, looksLikeTrackFragment } from '../devices/scan-kind';
import { loadWedgeSettings, normalizeWedgeSettings, saveWedgeSettings } from '../devices/wedge-settings';
import { memberChoicesCleared, type AppState, type DeviceHealth, type DeviceSlice, type ScanNotice, type SliceCreator } from './app-state';

// The core's device id for keyboard-wedge bursts (src-main's KEYBOARD_DEVICE_ID; the renderer cannot import it).
const KEYBOARD_DEVICE_ID = 'keyboard';
const RECENT_SCANS = 20;

export const createDeviceSlice: SliceCreator<DeviceSlice> = (client) => (set, get) => {
  // A keyboard scan arrives twice on its own screen (the call's result and the event): act on it once.
  const handled = new Set<string>();
  let listPoll: ReturnType<typeof setTimeout> | null = null;

  const remember = (scan: DeviceScan) => {
    if (get().recentScans.some((s) => s.scanId === scan.scanId)) return;
    set({ recentScans: [scan, ...get().recentScans].slice(0, RECENT_SCANS) });
  };

  /** What a scan does on the counter screen: open the member, or say why nothing happens. */
  const act = (scan: DeviceScan) => {
    if (handled.has(scan.scanId)) return;
    handled.add(scan.scanId);
    if (handled.size > 200) handled.delete(handled.values().next().value ?? '');
    // Signed out: nobody to show it to. Test panel open: the manager is trying the scanner, not serving.
    if (!get().auth?.user || get().showDevices) return;
    const onScreen = get().member;
    const linkTo = !scan.member && onScreen && linkableKind(scan) !== null ? { memberId: onScreen.memberId, name: onScreen.name } : null;
    const scanNotice = { scan, linkTo, linked: false };
    if (scan.product) {
      addProduct(scan.product, scanNotice);
      return;
    }
    // The notice comes with the member in one render, not one render before the lookup is even sent.
    if (scan.member) void open(scan.member.memberId, { scanNotice });
    else set({ scanNotice });
  };

  /** A product scanned from the catalogue: one line of it in the sale (a sale without a member yet starts one). */
  const addProduct = (product: NonNullable<DeviceScan['product']>, scanNotice: ScanNotice) => {
    // A scan after a sale starts the next customer.
    if (get().receipt) get().nextCustomer();
    if (!get().member && !get().anonymous) get().startAnonymous();
    set({ scanNotice });
    get().addLine({ sku: product.sku, name: product.name, category: product.category, qty: 1, unitPriceMinor: product.unitPriceMinor });
  };

  const open = async (memberId: string, extra: Partial<AppState> = {}) => {
    // A scan after a sale starts the next customer.
    if (get().receipt) get().nextCustomer();
    const same = get().member?.memberId === memberId;
    const r = await client.send('members.get', { memberId });
    if (!r.ok) return get().showError(r.error);
    if (get().error) get().showError(null);
    if (same) {
      // The same card again: fresh balance, the sale and its rewards stay.
      set({ ...extra, member: r.value, anonymous: false, showProgram: false });
      return;
    }
    // As a phone lookup does: the lines stay, member-bound choices go (the points typed to spend and
    // the customer PIN too: a card handed over after the wrong member was found by phone went on to
    // spend the new member's points), and the card's member's own offers load, as a lookup's do.
    set({ ...extra, ...memberChoicesCleared(), member: r.value, anonymous: false, unknownPhone: null, phoneInput: '', showProgram: false });
    const [history] = await Promise.all([client.send('members.history', { memberId, limit: 8 }), get().loadOffers()]);
    if (history.ok && get().member?.memberId === memberId) set({ history: history.value.entries });
    await get().preview();
  };

  /** The configured devices' health as a device list says it (it also forgets removed devices). */
  const healthOf = (devices: MethodResult<'devices.health'>['devices']): Record<string, DeviceHealth> =>
    Object.fromEntries(devices.map((d) => [d.deviceId, { name: d.name, state: d.status.state, code: d.status.code, message: d.status.message, enabled: d.enabled }]));

  return {
    deviceHealth: {},
    wedge: loadWedgeSettings(),
    scanNotice: null,
    recentScans: [],
    feedbackResult: null,
    showDevices: false,
    deviceList: null,
    setWedge(patch) {
      const wedge = normalizeWedgeSettings({ ...get().wedge, ...patch });
      saveWedgeSettings(wedge);
      set({ wedge });
    },
    setShowDevices(showDevices) {
      set({ showDevices });
      if (showDevices) void get().refreshDevices(true);
      else if (listPoll !== null) clearTimeout(listPoll);
    },
    async refreshDevices(refresh = false) {
      if (listPoll !== null) clearTimeout(listPoll);
      listPoll = null;
      const r = await client.send('devices.list', refresh ? { refresh: true } : {});
      if (!r.ok) return get().showError(r.error);
      set({ deviceList: r.value, deviceHealth: healthOf(r.value.devices) });
      // Enumeration runs in the background: ask again shortly while the panel is open.
      if (r.value.refreshing && get().showDevices) listPoll = setTimeout(() => void get().refreshDevices(), 500);
    },
    async refreshDeviceHealth() {
      const r = await client.send('devices.health', {});
      // A screen signed out meanwhile may not read it: the next sign-in asks again.
      if (r.ok) set({ deviceHealth: healthOf(r.value.devices) });
    },
    async configureDevice(args) {
      const r = await client.send('devices.configure', args);
      if (!r.ok) {
        get().showError(r.error);
        return false;
      }
      get().showError(null);
      const list = get().deviceList;
      set({ deviceList: list ? { ...list, devices: r.value.devices } : list, deviceHealth: healthOf(r.value.devices) });
      if (!list) await get().refreshDevices();
      return true;
    },
    async testFeedback(deviceId, kind) {
      const r = await client.send('devices.feedback', { deviceId, kind });
      set({ feedbackResult: { deviceId, kind, error: r.ok ? null : r.error } });
    },
    receiveScan(scan) {
      remember(scan);
      // Another screen's keyboard scan is that screen's business; its result opens the member there.
      if (scan.deviceId === KEYBOARD_DEVICE_ID) return;
      act(scan);
    },
    receiveDeviceStatus(status) {
      const known = get().deviceHealth[status.deviceId];
      const enabled = status.code === 'disabled' ? false : (known?.enabled ?? true);
      set({ deviceHealth: { ...get().deviceHealth, [status.deviceId]: { name: status.name, state: status.state, code: status.code, message: status.message, enabled } } });
      const list = get().deviceList;
      if (!list) return;
      if (!list.devices.some((d) => d.deviceId === status.deviceId)) {
        if (get().showDevices) void get().refreshDevices();
        return;
      }
      const devices = list.devices.map((d) =>
        d.deviceId === status.deviceId ? { ...d, name: status.name, status: { state: status.state, code: status.code, message: status.message, since: status.at } } : d,
      );
      set({ deviceList: { ...list, devices } });
    },
    async keyboardScan(text) {
      if (looksLikeTrackFragment(text)) {
        const scan: DeviceScan = {
          deviceId: KEYBOARD_DEVICE_ID,
          scanId: `partial-${Date.now()}`,
          kind: 'error',
          member: null,
          symbology: 'magstripe',
          display: '',
          message: 'Only part of a card swipe arrived: swipe the card again',
          at: new Date().toISOString(),
        };
        remember(scan);
        act(scan);
        return;
      }
      const r = await client.send('devices.keyboardScan', { text: text.slice(0, 512) });
      if (!r.ok) {
        // Signed out (sign-in screen): a stray scan is not worth an error banner.
        if (r.error.code !== 'UNAUTHENTICATED') get().showError(r.error);
        return;
      }
      remember(r.value);
      act(r.value);
    },
    openMember(memberId) {
      return open(memberId);
    },
    async linkScannedCard() {
      const notice = get().scanNotice;
      const target = notice?.linkTo;
      if (!notice || !target) return;
      const kind = linkableKind(notice.scan);
      if (kind === null) return;
      const r = await client.send(
        'members.linkCard',
        kind === 'card' ? { memberId: target.memberId, lastCardScan: true, scanId: notice.scan.scanId } : { memberId: target.memberId, loyaltyCardNumber: notice.scan.display },
      );
      if (!r.ok) return get().showError(r.error);
      get().showError(null);
      if (get().scanNotice?.scan.scanId === notice.scan.scanId) set({ scanNotice: { ...notice, linked: true } });
      if (get().member?.memberId === target.memberId) set({ member: r.value.member });
    },
    dismissScan() {
      set({ scanNotice: null });
    },
  };
};

/**
 * A card the terminal does not know, scanned before its customer was found: once the cashier opens
 * or enrols them, the scan's notice offers to link the card to them, as when it is scanned with them
 * on screen (the core keeps the last swipe for five minutes). It asked to find the customer and scan
 * again. Null when nothing changes.
 */
export function scanNoticeForNewMember(state: AppState, previous: AppState): ScanNotice | null {
  const notice = state.scanNotice;
  const member = state.member;
  if (!notice || !member || member.memberId === previous.member?.memberId) return null;
  if (notice.linked || notice.linkTo || notice.scan.member || linkableKind(notice.scan) === null) return null;
  return { ...notice, linkTo: { memberId: member.memberId, name: member.name } };
}
