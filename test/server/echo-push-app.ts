// A fastify app whose one route answers with the push body PushAdmission parsed, for tests of how
// a body is read and refused without the rest of the server.
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { PushAdmission } from '../../src-server/push-admission';

export async function echoPushApp(): Promise<{ app: FastifyInstance; send: (payload: string, contentType?: string) => Promise<LightMyRequestResponse> }> {
  const admission = new PushAdmission(1);
  const app = Fastify();
  await app.register(async (scope) => {
    admission.keepBodiesRaw(scope);
    scope.post('/push', async (request) => admission.run(request, async (body) => body));
  });
  const send = (payload: string, contentType = 'application/json') => app.inject({ method: 'POST', url: '/push', headers: { 'content-type': contentType }, payload });
  return { app, send };
}
