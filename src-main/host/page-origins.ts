// Where the host's page can be opened from, and so which browser origins may open its API socket.
// On loopback: this PC's own names. Listening on the store network (always with TLS): the names and
// addresses its certificate is for, and this machine's own addresses (a tablet that accepted a
// self-signed certificate opens the till by its address). Any other origin is a page the host did
// not serve: refused, even if a name of it resolves here (DNS rebinding).
import { X509Certificate } from 'node:crypto';
import os from 'node:os';

export type PageOrigins = {
  /** Whether a browser's Origin header names a place this host's page is served from. */
  accepts(origin: string): boolean;
  /** Addresses to open the page at from another device on the network (none on loopback). */
  networkUrls: string[];
};

const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** A host name as browsers write it in an origin: lower case, IPv6 compressed in brackets. */
function canonicalHost(host: string): string | null {
  try {
    const bare = host.startsWith('[') ? host.slice(1, -1) : host;
    return new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return null;
  }
}

/** The DNS names and addresses a certificate is for (subjectAltName), '*.store.lan' kept as a pattern. */
function certificateHosts(certPem: Buffer | undefined): string[] {
  if (!certPem) return [];
  let altNames: string | undefined;
  try {
    altNames = new X509Certificate(certPem).subjectAltName;
  } catch {
    return [];
  }
  return (altNames ?? '')
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1]?.trim() ?? '')
    .filter((name) => name !== '')
    .map((name) => (name.startsWith('*.') ? `*.${canonicalHost(name.slice(2)) ?? name.slice(2)}` : (canonicalHost(name) ?? name)));
}

/** This machine's addresses on its networks (not loopback, not link-local IPv6, which needs a zone). */
function machineAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && !a.internal && !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')))
    .map((a) => canonicalHost(a.address) ?? a.address);
}

export function pageOrigins(bind: string, scheme: 'http' | 'https', port: number, certPem?: Buffer): PageOrigins {
  const loopback = LOOPBACK_HOSTS.map((h) => canonicalHost(h) ?? h);
  const onNetwork = !loopback.includes(canonicalHost(bind) ?? bind);
  const certHosts = certificateHosts(certPem);
  // Listening on every interface, the machine's addresses are read again when a page is not from a
  // known name: a till whose address DHCP changed would otherwise refuse its tablets until a restart.
  const ownHosts = () => (UNSPECIFIED.has(bind) ? [...machineAddresses(), canonicalHost(os.hostname()) ?? ''] : [canonicalHost(bind) ?? bind]);
  const hosts = new Set([...loopback, ...(onNetwork ? certHosts.filter((h) => !h.startsWith('*.')) : [])]);
  const patterns = onNetwork ? certHosts.filter((h) => h.startsWith('*.')).map((h) => h.slice(1)) : [];
  const defaultPort = scheme === 'https' ? '443' : '80';

  const accepts = (origin: string): boolean => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== `${scheme}:` || (url.port || defaultPort) !== String(port)) return false;
    // A wildcard name covers one label, as in TLS: *.store.lan is till-1.store.lan, not a.b.store.lan.
    if (hosts.has(url.hostname) || patterns.some((suffix) => url.hostname.endsWith(suffix) && !url.hostname.slice(0, -suffix.length).includes('.'))) return true;
    return onNetwork && ownHosts().includes(url.hostname);
  };
  const portPart = String(port) === defaultPort ? '' : `:${port}`;
  const networkUrls = onNetwork ? [...new Set([...certHosts.filter((h) => !h.startsWith('*.')), ...ownHosts()])].filter((h) => h !== '' && !loopback.includes(h)).map((h) => `${scheme}://${h}${portPart}/`) : [];
  return { accepts, networkUrls };
}
