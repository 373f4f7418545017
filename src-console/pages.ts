// The console's pages, in navigation order. To add a page: write src-console/pages/<area>-page.tsx
// exporting a component that takes ConsolePageProps, and add one line here.
import type { ComponentType } from 'react';
import type { ConsoleClient } from './api/console-client';
import { ExceptionsPage } from './pages/exceptions-page';
import { InsightsPage } from './pages/insights-page';
import { MembersPage } from './pages/members-page';
import { ProgrammePage } from './pages/programme-page';
import { TerminalsPage } from './pages/terminals-page';

export type ConsolePageProps = {
  client: ConsoleClient;
  /** The signed-in admin's name (what admin_audit records for their changes). */
  adminName: string;
};

export type ConsolePage = { id: string; title: string; component: ComponentType<ConsolePageProps> };

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { id: 'programme', title: 'Programme', component: ProgrammePage },
  { id: 'exceptions', title: 'Exceptions', component: ExceptionsPage },
  { id: 'members', title: 'Members', component: MembersPage },
  { id: 'insights', title: 'Insights', component: InsightsPage },
  { id: 'terminals', title: 'Terminals and stores', component: TerminalsPage },
];
