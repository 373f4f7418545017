import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, methodNames } from '../../src-shared/api/contract';
import { ERROR_CODES } from '../../src-shared/api/errors';

const localApi = fs.readFileSync(path.resolve(__dirname, '../../docs/local-api.md'), 'utf8');

describe('docs/local-api.md', () => {
  it('documents every method, event and error code of the contract', () => {
    for (const name of methodNames) expect(localApi, name).toContain(`\`${name}\``);
    for (const name of Object.keys(events)) expect(localApi, name).toContain(`\`${name}\``);
    for (const code of ERROR_CODES) expect(localApi, code).toContain(`\`${code}\``);
  });
});
