// The console's pages, in navigation order. To add a page: write src-console/pages/<area>-page.tsx
// exporting a component that takes ConsolePageProps, add its title to src-console/i18n/{en,tr}.ts
// under nav, and add one line here.
import type { ComponentType } from 'react';
import type { ConsoleClient } from './api/console-client';
import { CataloguePage } from './pages/catalogue-page';
import { ExceptionsPage } from './pages/exceptions-page';
import { InsightsPage } from './pages/insights-page';
import { MembersPage } from './pages/members-page';
import { ProgrammePage } from './pages/programme-page';
import { TerminalsPage } from './pages/terminals-page';

export type ConsolePageProps = {
  client: ConsoleClient;
  /** The signed-in admin's name (what admin_audit records for their changes). */
  adminName: string;
  /** Opens a member's page on the Members page (from an exception, say). */
  openMember: (memberId: string) => void;
  /** The member the Members page opens at first: one another page asked for. */
  memberToOpen: string | null;
};

/** `titleKey`: the page's name in the translations (nav.*), shown in the navigation. */
export type ConsolePage = { id: string; titleKey: string; component: ComponentType<ConsolePageProps> };

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { id: 'programme', titleKey: 'nav.programme', component: ProgrammePage },
  { id: 'catalogue', titleKey: 'nav.catalogue', component: CataloguePage },
  { id: 'exceptions', titleKey: 'nav.exceptions', component: ExceptionsPage },
  { id: 'members', titleKey: 'nav.members', component: MembersPage },
  { id: 'insights', titleKey: 'nav.insights', component: InsightsPage },
  { id: 'terminals', titleKey: 'nav.terminals', component: TerminalsPage },
];
