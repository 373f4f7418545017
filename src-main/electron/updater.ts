// Background updates with electron-updater from the chain's own server (generic provider). The
// decision when to restart into a downloaded version is the core's pure policy (update-policy.ts):
// never mid-sale. Code-signing requirements: docs/installation.md "Updating".
import { autoUpdater } from 'electron-updater';
import { decideUpdate, type UpdateReadiness } from '../core/update-policy';

const CHECK_EVERY_MS = 4 * 3600_000;
const DECIDE_EVERY_MS = 60_000;

export function startUpdater(feedUrl: string, askCore: () => Promise<UpdateReadiness | null>, report: (event: string, detail: string) => void): void {
  autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
  autoUpdater.autoDownload = true;
  // Applied only when the policy says so, never as a side effect of quitting mid-sale.
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  let downloadedAt: number | null = null;
  autoUpdater.on('update-downloaded', (info) => {
    downloadedAt = performance.now();
    report('update.downloaded', info.version);
  });
  autoUpdater.on('error', (error) => report('update.error', error.message));
  const check = () => void autoUpdater.checkForUpdates().catch((error: unknown) => report('update.error', error instanceof Error ? error.message : String(error)));
  check();
  setInterval(check, CHECK_EVERY_MS).unref();
  setInterval(() => {
    if (downloadedAt === null) return;
    const since = performance.now() - downloadedAt;
    void askCore().then((readiness) => {
      if (!readiness) return;
      const decision = decideUpdate(since, readiness);
      if (!decision.apply) return;
      report('update.applying', decision.reason);
      // Silent install, and start the new version again.
      autoUpdater.quitAndInstall(true, true);
    });
  }, DECIDE_EVERY_MS).unref();
}
