import type { ADJUST_REASONS } from '../../src-shared/ledger/payloads';
import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../src-shared/api/client';
import type { OfferView, StaffMember } from '../../src-shared/api/contract';
import type { ApiError } from '../../src-shared/api/errors';
import type { DayReport, SyncStatus } from '../../src-shared/api/sync-methods';
import type { SetupStatus } from '../../src-shared/api/installation-methods';
import type {
  DonationReceipt,
  HistoryEntry,
  Member,
  ProgramView,
  RefundReceipt,
  RewardView,
  SaleQuote,
  SaleReceipt,
  SaleRecord,
  TerminalStatus,
  User,
} from '../../src-shared/api/contract';
import type { DeviceScan, EventPayload, MethodArgs, MethodResult } from '../../src-shared/api/contract';
import type { WedgeSettings } from '../devices/wedge-settings';

/** A sale line; a scanned product also carries its SKU (for SKU rules) and name. */
export type DraftLine = { category: string; qty: number; unitPriceMinor: number; sku?: string; name?: string };

export type SessionSlice = {
  auth: { user: User | null; needsSetup: boolean; users: User[] } | null;
  refreshAuth(): Promise<void>;
  setUp(name: string, pin: string): Promise<boolean>;
  signIn(userId: string, pin: string): Promise<boolean>;
  signOut(): Promise<void>;
  /** Every account, active or not, for a manager's Settings → Staff (null until loaded). */
  staff: StaffMember[] | null;
  loadStaff(): Promise<void>;
  /** Adds an account, or changes one's role, PIN (which also unlocks it) or active state; false with the error shown. */
  saveStaff(change: MethodArgs<'users.create'> | MethodArgs<'users.update'>): Promise<boolean>;
};

export type StatusSlice = {
  connected: boolean;
  status: TerminalStatus | null;
  setConnected(connected: boolean): void;
  setStatus(status: TerminalStatus): void;
  refreshStatus(): Promise<void>;
  /** A manager's store settings (terminal.configure); false with the error shown. */
  configureTerminal(args: MethodArgs<'terminal.configure'>): Promise<boolean>;
};

export type MemberSlice = {
  phoneInput: string;
  member: Member | null;
  history: HistoryEntry[];
  /** The E.164 number of a failed lookup: the screen offers enrolment with it. */
  unknownPhone: string | null;
  /** A sale was started without a member. */
  anonymous: boolean;
  setPhoneInput(value: string): void;
  lookup(): Promise<void>;
  /** `referralCode`: a friend's code the new member gives at enrolment. */
  enrol(name: string, referralCode?: string): Promise<void>;
  startAnonymous(): void;
  clearMember(): void;
};

export type CartSlice = {
  lines: DraftLine[];
  redeemPoints: number;
  quote: SaleQuote | null;
  receipt: SaleReceipt | null;
  /** One per sale, kept across retries so a retried completion is never recorded twice. */
  idempotencyKey: string;
  busy: boolean;
  /** Typed by the customer when the store asks for it before points are spent. */
  customerPin: string;
  setCustomerPin(pin: string): void;
  addLine(line: DraftLine): void;
  removeLine(index: number): void;
  setRedeemPoints(points: number): void;
  preview(): Promise<void>;
  /** `approval`: a manager's user id and PIN entered on this screen for this one sale. */
  complete(approval?: { userId: string; pin: string }): Promise<void>;
  nextCustomer(): void;
};

export type ManagerApprovalInput = { userId: string; pin: string };
export type AdjustReason = (typeof ADJUST_REASONS)[number];

export type ProgrammeSlice = {
  /** The catalogue for the member on screen, judged against the lines of the sale. */
  rewards: RewardView[];
  /** Rewards taken on this sale (free items, discounts); sent with preview and complete. */
  cartRewards: { rewardId: string }[];
  /** One per donation, kept across retries so a retried donation is never recorded twice. */
  donationKey: string;
  lastDonation: DonationReceipt | null;
  program: ProgramView | null;
  showProgram: boolean;
  /** The refund screen: the sale, the items picked per line, and the refund once done. */
  refund: { sale: SaleRecord; qty: Record<number, number>; key: string; receipt: RefundReceipt | null } | null;
  referralCode: string | null;
  loadRewards(): Promise<void>;
  redeemReward(rewardId: string): void;
  removeReward(index: number): void;
  donate(rewardId: string, points: number, approval?: ManagerApprovalInput): Promise<boolean>;
  loadProgram(): Promise<void>;
  toggleProgram(show: boolean): void;
  loadReferralCode(): Promise<void>;
  openRefund(saleId: string): Promise<void>;
  setRefundQty(lineIndex: number, qty: number): void;
  /** `all`: everything not yet refunded; otherwise the picked items. */
  submitRefund(all: boolean, approval?: ManagerApprovalInput): Promise<void>;
  closeRefund(): void;
  /** One per balance adjustment, kept across retries (and an approval) so it is recorded once. */
  adjustKey: string;
  /** Adds or takes away points with a reason (members.adjust); a cashier passes a manager's approval. */
  adjustBalance(adjustment: { points: number; reason: AdjustReason; note: string }, approval?: ManagerApprovalInput): Promise<boolean>;
};

export type OfferSlice = {
  /** The personalised offers of the member on screen that they can use today. */
  offers: OfferView[];
  /** Offers taken on this sale, by id; sent with preview and complete. */
  cartOffers: string[];
  loadOffers(): Promise<void>;
  toggleOffer(offerId: string): void;
};

export type SyncSlice = {
  sync: SyncStatus | null;
  /**
   * The manager's "Close day": syncing first (with progress from sync.status), then the report;
   * `today` is the store's date the core reported when it opened (the latest day to step to).
   */
  closeDay: { stage: 'syncing' | 'report'; report: DayReport | null; today: string | null } | null;
  /**
   * Close day was pressed after the core had signed the screen out (idle): it opens once the same
   * manager signs in again, as pressed, instead of waiting for a second press.
   */
  closeDayAfterSignIn: boolean;
  /** The manager's "Connect to server" form (a new terminal, or one the server revoked). */
  showEnrol: boolean;
  setShowEnrol(show: boolean): void;
  enrolTerminal(serverUrl: string, code: string): Promise<boolean>;
  setSync(status: SyncStatus): void;
  refreshSync(): Promise<void>;
  openCloseDay(): Promise<void>;
  /** Another day's report in the open panel (a day closed after midnight, a reprint). */
  showDayReport(day: string): Promise<void>;
  closeCloseDay(): void;
};

/** What the last scan meant, on the counter screen; never a card number (brand and last four at most). */
export type ScanNotice = {
  scan: DeviceScan;
  /** The member on screen when an unknown card was scanned: the card can be linked to them. */
  linkTo: { memberId: string; name: string | null } | null;
  linked: boolean;
};

export type DeviceHealth = { name: string; state: EventPayload<'device.status'>['state']; code: EventPayload<'device.status'>['code']; message: string; enabled: boolean };

export type DeviceSlice = {
  /** Keyboard-wedge detector thresholds on this screen. */
  wedge: WedgeSettings;
  setWedge(settings: Partial<WedgeSettings>): void;
  scanNotice: ScanNotice | null;
  /** The last scans from every device, newest first, for the device test panel. */
  recentScans: DeviceScan[];
  /** The device test panel's last "Test beep": which device and whether it beeped (or why not). */
  feedbackResult: { deviceId: string; kind: 'good' | 'error'; error: ApiError | null } | null;
  testFeedback(deviceId: string, kind: 'good' | 'error'): Promise<void>;
  /** The manager's device test panel: candidates and configured devices with live status. */
  showDevices: boolean;
  deviceList: MethodResult<'devices.list'> | null;
  setShowDevices(show: boolean): void;
  refreshDevices(refresh?: boolean): Promise<void>;
  /** The devices' state as it is now, for any signed-in screen (events keep it current after). */
  refreshDeviceHealth(): Promise<void>;
  configureDevice(args: MethodArgs<'devices.configure'>): Promise<boolean>;
  /** A device.scan event (every screen sees every device's scans). */
  receiveScan(scan: DeviceScan): void;
  receiveDeviceStatus(status: EventPayload<'device.status'>): void;
  /**
   * Every configured device's last known state, for the counter's "not working" notice: read at
   * sign-in (devices.health), then from the device.status events every screen gets.
   */
  deviceHealth: Record<string, DeviceHealth>;
  /** A keyboard-wedge burst from this screen, handed to the core. */
  keyboardScan(text: string): Promise<void>;
  openMember(memberId: string): Promise<void>;
  linkScannedCard(): Promise<void>;
  dismissScan(): void;
};

/** The first-run wizard (its progress is the core's: setup.status) and the manager's settings area. */
export type SetupSlice = {
  setup: SetupStatus | null;
  showSettings: boolean;
  /** The file name of the diagnostics bundle just saved, to confirm it on screen. */
  lastDiagnostics: string | null;
  setShowSettings(show: boolean): void;
  refreshSetup(): Promise<void>;
  saveSetupStore(values: { storeName?: string; terminalName?: string; country?: string; currency?: string; timeZone?: string }): Promise<boolean>;
  /** Enrols with the server (under the wizard's terminal name), then finishes the connect step. */
  connectFromSetup(serverUrl: string, code: string): Promise<boolean>;
  /** Standalone mode: installs the rule set from a local file (its text). */
  installProgrammeFromSetup(text: string): Promise<boolean>;
  /** A standalone terminal's product catalogue file (catalogue.install); false with the error shown. */
  installCatalogueFromSetup(text: string): Promise<boolean>;
  finishSetupStep(step: 'connect' | 'devices' | 'done', mode?: 'server' | 'standalone'): Promise<boolean>;
  restartSetup(): Promise<void>;
  saveDiagnostics(): Promise<void>;
};

export type ErrorSlice = {
  error: ApiError | null;
  showError(error: ApiError | null): void;
};

export type AppState = SessionSlice & StatusSlice & MemberSlice & CartSlice & ProgrammeSlice & OfferSlice & SyncSlice & DeviceSlice & SetupSlice & ErrorSlice;

export type SliceCreator<S> = (client: ApiClient) => StateCreator<AppState, [], [], S>;

/**
 * What belongs to the member on screen, as it is when none is: it goes whenever another member (or
 * none) takes their place, whichever way (a phone lookup, a card scan, Another member, Next
 * customer). The sale's lines are not the member's and stay.
 */
export const memberChoicesCleared = (): Pick<AppState, 'history' | 'redeemPoints' | 'customerPin' | 'cartRewards' | 'rewards' | 'offers' | 'cartOffers' | 'refund' | 'referralCode' | 'lastDonation'> => ({
  history: [],
  redeemPoints: 0,
  customerPin: '',
  cartRewards: [],
  rewards: [],
  offers: [],
  cartOffers: [],
  refund: null,
  referralCode: null,
  lastDonation: null,
});
