import { useAppStore } from '../store/store-context';
import { CloseDayPanel } from './CloseDayPanel';
import { EnrolPanel } from './EnrolPanel';
import { ErrorBanner } from './ErrorBanner';
import { LookupPanel } from './LookupPanel';
import { MemberPanel } from './MemberPanel';
import { ProgrammeInfo } from './ProgrammeInfo';
import { RefundPanel } from './RefundPanel';
import { ReceiptView } from './ReceiptView';
import { SalePanel } from './SalePanel';
import { SignInScreen } from './SignInScreen';
import { StatusBar } from './StatusBar';

export function App() {
  const auth = useAppStore((s) => s.auth);
  const member = useAppStore((s) => s.member);
  const receipt = useAppStore((s) => s.receipt);
  const anonymous = useAppStore((s) => s.anonymous);
  const refund = useAppStore((s) => s.refund);
  const showProgram = useAppStore((s) => s.showProgram);
  const closingDay = useAppStore((s) => s.closeDay !== null);
  const enrolling = useAppStore((s) => s.showEnrol);
  if (!auth) return <StatusBar />;
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
      {closingDay || enrolling ? (
        <main className="counter">{closingDay ? <CloseDayPanel /> : <EnrolPanel />}</main>
      ) : (
        <main className="counter">
          <div className="left">
            {showProgram ? <ProgrammeInfo /> : receipt ? <ReceiptView /> : refund ? <RefundPanel /> : member ? <MemberPanel /> : anonymous ? null : <LookupPanel />}
          </div>
          <div className="right">{!receipt && (member || anonymous) ? <SalePanel /> : null}</div>
        </main>
      )}
      <ErrorBanner />
      <StatusBar />
    </>
  );
}
