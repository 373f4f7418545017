// The terminal config file: what an installer pre-seeds on many terminals (store settings, terminal
// name, server enrolment, kiosk mode, devices) so nobody has to touch each one. Reference and a
// full example: docs/installation.md "Config file reference".
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DeviceConfig } from '../../src-shared/api/contract';
import { KasaError } from '../../src-shared/api/errors';
import { ServerUrl } from '../../src-shared/api/sync-methods';
import { StoreSettings } from './settings';
import type { CallerContext } from './handlers/handler-types';
import { enrolAtStart, type EnrolAtStart } from './sync/unattended-enrol';
import type { TerminalCore } from './terminal-core';
import { seedSetup } from './setup-wizard';
import { startupDetails } from './startup-failure';

const knownLocale = (tag: string) => {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
};
const knownTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};


/** The one-time code, as the file's `server.enrolCode` and the host's `--enrol-code` take it. */
export const EnrolCode = z.string().trim().min(6, 'the one-time code from the programme owner (6-64 characters)').max(64, 'the one-time code from the programme owner (6-64 characters)');

// Every field optional: the first-run wizard asks only for what the file does not give.
export const TerminalConfigSchema = z
  .object({
    store: z
      .object({
        storeName: StoreSettings.shape.storeName.optional(),
        country: StoreSettings.shape.country.optional(),
        currency: StoreSettings.shape.currency.optional(),
        locale: z.string().min(2).max(35).refine(knownLocale, 'a BCP 47 locale such as tr-TR').optional(),
        timeZone: z.string().min(1).max(64).refine(knownTimeZone, 'an IANA time zone such as Europe/Istanbul').optional(),
        redemptionVerification: z.enum(['none', 'customer-pin', 'card-present']).optional(),
        cashierRefundWindowHours: z.number().int().min(0).max(720).optional(),
      })
      .strict()
      .optional(),
    terminal: z.object({ name: z.string().trim().min(1, 'a name such as "Till 1"').max(120) }).strict().optional(),
    server: z
      .object({
        url: ServerUrl,
        enrolCode: EnrolCode,
      })
      .strict()
      .optional(),
    /** Full screen, started at login. */
    kiosk: z.boolean().default(false),
    /** What devices.configure accepts, minus the id (the terminal assigns it). */
    devices: z.array(z.object({ name: z.string().trim().min(1).max(60), enabled: z.boolean().default(true), config: DeviceConfig }).strict()).optional(),
  })
  .strict();
export type TerminalConfig = z.infer<typeof TerminalConfigSchema>;

/** Where an installer puts the machine-wide file; `--config FILE` overrides it. */
export function defaultConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Kasa', 'terminal.json');
  if (platform === 'darwin') return '/Library/Application Support/Kasa/terminal.json';
  return '/etc/kasa/terminal.json';
}

/** One line per bad field, each naming the field's path, e.g. `store.currency: an ISO 4217 code such as TRY`. */
export function describeConfigErrors(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${at ? `${at}.` : ''}${key}: unknown field`);
    return [`${at || '(file)'}: ${issue.message}`];
  });
}

/** `details`: what a terminal that cannot start says on its diagnostics screen (startup-failure.ts). */
export function parseTerminalConfig(value: unknown, source = 'config', details?: Record<string, unknown>): TerminalConfig {
  const parsed = TerminalConfigSchema.safeParse(value);
  if (!parsed.success) throw new KasaError('VALIDATION', `Invalid ${source}:\n  ${describeConfigErrors(parsed.error).join('\n  ')}`, details);
  return parsed.data;
}

/**
 * The file's text as Windows tools save it too: UTF-8 with or without a BOM (Notepad), UTF-16 with
 * its BOM (PowerShell 5's Out-File and `>`). Anything else must be UTF-8: a file saved as "ANSI"
 * would otherwise put replacement characters in the store name on every receipt.
 */
function decodeConfigText(bytes: Buffer, file: string): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    // TextDecoder drops the BOM of its encoding.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new KasaError('VALIDATION', `Config file ${file} is not UTF-8 text (saved as ANSI or another code page?): save it as UTF-8`, startupDetails('config-invalid', { file }));
  }
}

export function loadTerminalConfig(file: string): TerminalConfig {
  let text: string;
  try {
    text = decodeConfigText(fs.readFileSync(file), file);
  } catch (error) {
    if (error instanceof KasaError) throw error;
    throw new KasaError('VALIDATION', `Cannot read config file ${file}: ${error instanceof Error ? error.message : String(error)}`, startupDetails('config-unreadable', { file }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KasaError('VALIDATION', `Config file ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, startupDetails('config-invalid', { file }));
  }
  return parseTerminalConfig(json, `config file ${file}`, startupDetails('config-invalid', { file }));
}

/**
 * The config a terminal starts with: an explicit file (`--config`) must exist; the machine-wide one
 * is used only when an installer put it there.
 */
export function findTerminalConfig(explicitFile: string | undefined): { file: string; config: TerminalConfig } | null {
  const file = explicitFile ?? (fs.existsSync(defaultConfigPath()) ? defaultConfigPath() : null);
  return file ? { file, config: loadTerminalConfig(file) } : null;
}

const installer: CallerContext = { role: 'manager', userId: null };

/**
 * Tells the first-run wizard what the file gives, so it asks only for the rest. Synchronous and
 * before the screen opens (the enrolment itself may take a while and runs after).
 */
export function seedSetupFromConfig(core: TerminalCore, config: TerminalConfig): void {
  const auth = core.dispatch('auth.status', {}, { role: 'public', userId: null });
  const hasManager = auth.ok && !(auth.value as { needsSetup: boolean }).needsSetup;
  seedSetup(
    core.context.db,
    { store: config.store, terminalName: config.terminal?.name, server: Boolean(config.server), devices: Boolean(config.devices?.length) },
    hasManager,
  );
}

/**
 * What the file asks of a running core beyond its store settings (those are passed at creation):
 * enrolment once, and its devices, each added once by name so the file can be applied at every start.
 */
export async function applyTerminalConfig(
  core: TerminalCore,
  config: TerminalConfig,
  enrolOverride?: { serverUrl: string; code: string },
): Promise<{ enrolled: EnrolAtStart | null; devicesAdded: string[] }> {
  const devicesAdded: string[] = [];
  if (config.devices?.length) {
    const listed = core.dispatch('devices.list', {}, installer);
    if (!listed.ok) throw new KasaError(listed.error.code, `Cannot list devices: ${listed.error.message}`);
    const existing = new Set((listed.value as { devices: { name: string }[] }).devices.map((d) => d.name));
    for (const device of config.devices) {
      if (existing.has(device.name)) continue;
      const result = core.dispatch('devices.configure', device, installer);
      if (!result.ok) throw new KasaError(result.error.code, `Device "${device.name}" from the config file: ${result.error.message}`);
      devicesAdded.push(device.name);
    }
  }
  const server = enrolOverride ?? (config.server ? { serverUrl: config.server.url, code: config.server.enrolCode } : null);
  // The terminal name travels with the enrolment (terminal.enrol's `name`).
  const enrol = server && config.terminal ? { ...server, name: config.terminal.name } : server;
  const enrolled = enrol ? await enrolAtStart(core, enrol) : null;
  return { enrolled, devicesAdded };
}
