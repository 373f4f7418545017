// Codes the server records (ledger entry kinds, adjustment reason codes) named in the console's
// language; a code this console does not know (a newer server's) is shown as recorded.
import type { TFunction } from 'i18next';
import { ADJUSTMENT_REASON_CODES } from '../../src-shared/console/adjustment-reasons';
import { LEDGER_KINDS } from '../../src-shared/ledger/entry';

export const entryKindLabel = (kind: string, t: TFunction): string => ((LEDGER_KINDS as readonly string[]).includes(kind) ? t(`entryKinds.${kind}`) : kind);

export const reasonCodeLabel = (code: string, t: TFunction): string => ((ADJUSTMENT_REASON_CODES as readonly string[]).includes(code) ? t(`reasonCodes.${code}`) : code);
