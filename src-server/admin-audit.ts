// Every change the programme owner makes (or the server makes on their behalf) is recorded in
// admin_audit with who did it, in the transaction that makes it.
import type { Queryable } from './db/database';

export const auditAdminAction = (tx: Queryable, actor: string, action: string, details: object = {}) =>
  tx.query('INSERT INTO admin_audit (actor, action, details) VALUES ($1, $2, $3)', [actor, action, JSON.stringify(details)]);
