import { KasaError } from '../../../src-shared/api/errors';
import { MembersRepo } from '../members-repo';
import { OffersRepo } from '../offers-repo';
import type { HandlerModule } from './handler-types';

/** The member panel's offers: what the server issued to this member and this terminal can still use. */
export const offerHandlers: HandlerModule<'offers.forMember'> = (ctx) => {
  const members = new MembersRepo(ctx.db);
  const offers = new OffersRepo(ctx.db);
  return {
    'offers.forMember': (args) => {
      const member = members.byId(args.memberId);
      if (!member) throw new KasaError('NOT_FOUND', `No member with id ${args.memberId}`);
      return { memberId: member.memberId, offers: offers.usable(member.memberId, { at: ctx.now(), timeZone: ctx.settings.timeZone }) };
    },
  };
};
