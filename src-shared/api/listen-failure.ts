// A port that could not be listened on, said for the person starting the host or the server
// (node's own "listen EADDRINUSE: address already in use" names no way out).
import { codeOf, KasaError } from './errors';

/** What to say for `error` from listening on `address`:`port`; null for a failure this cannot explain. */
export function listenFailure(error: unknown, address: string, port: number, flags: { port: string; address: string }): KasaError | null {
  switch (codeOf(error)) {
    case 'EADDRINUSE':
      return new KasaError('UNAVAILABLE', `Port ${port} on ${address} is in use by another program (or another Kasa): start with another ${flags.port}, or stop that program`);
    case 'EACCES':
      return new KasaError('FORBIDDEN', `Listening on port ${port} of ${address} needs rights this user does not have (ports below 1024 do): choose ${flags.port} 1024 or above`);
    case 'EADDRNOTAVAIL':
      return new KasaError('VALIDATION', `${address} is not an address of this machine: check ${flags.address}`);
    default:
      return null;
  }
}
