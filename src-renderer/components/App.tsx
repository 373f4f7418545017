import { useWedgeScanner } from '../devices/use-wedge-scanner';
import { useAppStore } from '../store/store-context';
import { AddMemberToSale } from './AddMemberToSale';
import { CloseDayPanel } from './CloseDayPanel';
import { DeviceAlert } from './DeviceAlert';
import { DevicePanel } from './DevicePanel';
import { EnrolPanel } from './EnrolPanel';
import { ErrorBanner } from './ErrorBanner';
import { LookupPanel } from './LookupPanel';
import { MemberPanel } from './MemberPanel';
import { ProgrammeInfo } from './ProgrammeInfo';
import { RefundPanel } from './RefundPanel';
import { ScanNotice } from './ScanNotice';
import { ReceiptView } from './ReceiptView';
import { SalePanel } from './SalePanel';
import { SettingsPanel } from './SettingsPanel';
import { SetupWizard } from './SetupWizard';
import { SignInScreen } from './SignInScreen';
import { StatusBar } from './StatusBar';
import { useEscapeCloses } from './use-escape-closes';
import { useLocalisedValidity } from './use-localised-validity';

export function App() {
  const auth = useAppStore((s) => s.auth);
  const member = useAppStore((s) => s.member);
  const receipt = useAppStore((s) => s.receipt);
  const anonymous = useAppStore((s) => s.anonymous);
  const refund = useAppStore((s) => s.refund);
  const showProgram = useAppStore((s) => s.showProgram);
  const closingDay = useAppStore((s) => s.closeDay !== null);
  const enrolling = useAppStore((s) => s.showEnrol);
  const showDevices = useAppStore((s) => s.showDevices && s.auth?.user?.role === 'manager');
  const showSettings = useAppStore((s) => s.showSettings && s.auth?.user?.role === 'manager');
  const setup = useAppStore((s) => s.setup);
  // Before any early return: scans are caught on every screen, even the sign-in one (never typed into the PIN).
  useWedgeScanner();
  useEscapeCloses();
  useLocalisedValidity();
  if (!auth || !setup) return <StatusBar />;
  // The first-run wizard until it is finished: before the first manager anyone at the new terminal
  // fills it in; after that it needs a signed-in manager (a cashier meanwhile gets the counter).
  const wizard = !setup.complete && (auth.needsSetup || auth.user?.role === 'manager');
  if (wizard) {
    return (
      <>
        <SetupWizard setup={setup} />
        <StatusBar />
      </>
    );
  }
  if (!auth.user) {
    return (
      <>
        <SignInScreen />
        <StatusBar />
      </>
    );
  }
  return (
    <>
      {/* Above the counter, where they are seen: below it, a long member panel hid them (an unknown
          product's barcode said nothing a cashier could see). */}
      {!showDevices && <DeviceAlert />}
      <ScanNotice />
      {closingDay || enrolling || showDevices || showSettings ? (
        <main className="counter">{closingDay ? <CloseDayPanel /> : enrolling ? <EnrolPanel /> : showSettings ? <SettingsPanel /> : <DevicePanel />}</main>
      ) : (
        <main className="counter">
          <div className="left">
            {/* Keyed by the member: a card scanned for another member while a balance adjustment or a
                donation was half typed left that form open, and saving it changed the new member's points. */}
            {showProgram ? <ProgrammeInfo /> : receipt ? <ReceiptView /> : refund ? <RefundPanel /> : member ? <MemberPanel key={member.memberId} /> : anonymous ? <AddMemberToSale /> : <LookupPanel />}
          </div>
          <div className="right">{!receipt && (member || anonymous) ? <SalePanel /> : null}</div>
        </main>
      )}
      <ErrorBanner />
      <StatusBar />
    </>
  );
}
