import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule', () => {
  it('keeps src-shared pure', async () => {
    expect(await importErrors('src-shared/domain/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await importErrors('src-shared/domain/x.ts', "import { createHash } from 'crypto';\nexport const a = createHash;\n")).toHaveLength(1);
    expect(await importErrors('src-shared/domain/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await importErrors('src-shared/domain/x.ts', "import { x } from '../../src-main/core/terminal-core';\nexport const a = x;\n")).toHaveLength(1);
    expect(await importErrors('src-shared/domain/x.ts', "import { z } from 'zod';\nimport { KasaError } from '../api/errors';\nexport const a = [z, KasaError];\n")).toHaveLength(0);
  });

  it('lets the renderer import only src-shared', async () => {
    expect(await importErrors('src-renderer/x.ts', "import { createTerminalCore } from '../src-main/core/terminal-core';\nexport const a = createTerminalCore;\n")).toHaveLength(1);
    expect(await importErrors('src-renderer/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).toHaveLength(1);
    expect(await importErrors('src-renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(1);
    expect(await importErrors('src-renderer/x.ts', "import { api } from '../src-shared/api/contract';\nexport const a = api;\n")).toHaveLength(0);
  });

  it('lets the console import only src-shared, and nothing else import the console', async () => {
    expect(await importErrors('src-console/x.ts', "import { listTerminals } from '../src-server/admin';\nexport const a = listTerminals;\n")).toHaveLength(1);
    expect(await importErrors('src-console/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await importErrors('src-console/x.ts', "import Fastify from 'fastify';\nexport const a = Fastify;\n")).toHaveLength(1);
    expect(await importErrors('src-console/x.ts', "import { App } from '../src-renderer/components/App';\nexport const a = App;\n")).toHaveLength(1);
    expect(await importErrors('src-console/x.ts', "import { RuleSet } from '../src-shared/program/rule-set';\nimport { create } from 'zustand';\nexport const a = [RuleSet, create];\n")).toHaveLength(0);
    // Its words come from i18next, as the renderer's do; the layer still keeps server packages out.
    expect(await importErrors('src-console/x.ts', "import i18next from 'i18next';\nimport { useTranslation } from 'react-i18next';\nexport const a = [i18next, useTranslation];\n")).toHaveLength(0);
    expect(await importErrors('src-console/x.ts', "import pg from 'pg';\nexport const a = pg;\n")).toHaveLength(1);
    expect(await importErrors('src-server/x.ts', "import { CONSOLE_PAGES } from '../src-console/pages';\nexport const a = CONSOLE_PAGES;\n")).toHaveLength(1);
    expect(await importErrors('src-renderer/x.ts', "import { CONSOLE_PAGES } from '../src-console/pages';\nexport const a = CONSOLE_PAGES;\n")).toHaveLength(1);
  });

  it('keeps Electron out of the core and the desktop app out of the server', async () => {
    expect(await importErrors('src-main/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await importErrors('src-main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
    expect(await importErrors('src-main/x.ts', "import { x } from '../src-renderer/app';\nexport const a = x;\n")).toHaveLength(1);
    expect(await importErrors('src-server/x.ts', "import { x } from '../src-main/core/terminal-core';\nexport const a = x;\n")).toHaveLength(1);
    expect(await importErrors('src-server/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).toHaveLength(1);
  });

  it('refuses default exports in source folders', async () => {
    const [result] = await eslint.lintText('const a = 1;\nexport default a;\n', { filePath: 'src-shared/domain/x.ts' });
    expect(result?.messages.some((m) => m.ruleId === 'no-restricted-syntax')).toBe(true);
  });
});
