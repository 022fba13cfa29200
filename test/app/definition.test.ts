/**
 * The app definition as Zapier's runtime serialises it, checked with zapier-platform-schema (the app-level rules
 * `validate --without-style` runs, plus the per-operation schemas, which also demand a `sample`) and with Zapier's
 * publishing checks that can be judged offline. The codes are those of Zapier's integration-checks reference
 * (docs/zapier.md lists them); each test names the ones it covers, so a regression fails CI instead of `push`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import zapier from 'zapier-platform-core';
import App from '../../index';
import { normalizeBaseUrl } from '../../zapier/base-url';
import { ZAPIER_DOCS_URL } from '../../zapier/docs-links';

interface SchemaResult {
  errors: { stack: string }[];
}
interface SchemaModule {
  validate(definition: unknown): SchemaResult;
}
/* eslint-disable @typescript-eslint/no-require-imports -- zapier-platform-schema ships no types */
const TriggerSchema = require('zapier-platform-schema/lib/schemas/TriggerSchema') as SchemaModule;
const CreateSchema = require('zapier-platform-schema/lib/schemas/CreateSchema') as SchemaModule;
const SearchSchema = require('zapier-platform-schema/lib/schemas/SearchSchema') as SchemaModule;

type Handler = (event: object) => Promise<{ results: unknown }>;
const createAppHandler = (zapier as unknown as { createAppHandler(app: object): Handler }).createAppHandler;

interface FieldDefinition {
  key: string;
  label?: string;
  helpText?: string;
  dynamic?: string;
  search?: string;
  children?: FieldDefinition[];
}
interface OutputField {
  key: string;
  label?: string;
  required?: boolean;
  type?: string;
  list?: boolean;
}
interface OperationDefinition {
  key: string;
  display: { label?: string; description?: string; hidden?: boolean };
  operation: {
    type?: string;
    inputFields?: FieldDefinition[];
    sample?: Record<string, unknown>;
    outputFields?: OutputField[];
    performList?: unknown;
    performSubscribe?: unknown;
    performUnsubscribe?: unknown;
  };
}
interface Definition {
  triggers: Record<string, OperationDefinition>;
  creates: Record<string, OperationDefinition>;
  searches: Record<string, OperationDefinition>;
  searchOrCreates: Record<string, { key: string; display: { label: string; description: string }; search: string; create: string }>;
  authentication: { fields: FieldDefinition[]; connectionLabel?: string };
}

const ROOT = join(__dirname, '../..');
const run = (command: string) => createAppHandler(App)({ command, calledFromCli: true }).then((output) => output.results);
let definition: Definition;
const operations = (): [string, OperationDefinition][] => [
  ...Object.entries(definition.triggers),
  ...Object.entries(definition.creates),
  ...Object.entries(definition.searches),
];
const visible = () => operations().filter(([, op]) => !op.display.hidden);
const allFields = (): FieldDefinition[] =>
  [...definition.authentication.fields, ...operations().flatMap(([, op]) => op.operation.inputFields ?? [])].flatMap((field) => [
    field,
    ...(field.children ?? []),
  ]);

/** Every string in a value, with its path (for the https and link checks). */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => strings(item, `${path}.${key}`));
  return [];
}

// Words Title Case leaves in lower case (Zapier's style guide), and words written as they are spelled.
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
const isTitleCase = (label: string): boolean =>
  label
    .split(/\s+/)
    .every((word, index) => /^[A-Z(0-9]/.test(word) || (index > 0 && SMALL_WORDS.has(word.replace(/[()]/g, '')) && word === word.toLowerCase()));

beforeAll(async () => {
  definition = (await run('definition')) as Definition;
});

describe('app definition: schema', () => {
  it('passes the app-level schema validation (what validate --without-style runs)', async () => {
    expect(await run('validate')).toEqual([]);
  });

  it('lists the operations of issues 2, 4 and 11', () => {
    expect(Object.keys(definition.triggers).sort()).toEqual(
      ['application_list', 'integrity_alert', 'new_log_entry', 'new_log_entry_instant', 'recent_action_list', 'recent_entry_list'].sort(),
    );
    expect(Object.keys(definition.creates).sort()).toEqual(['log_entries', 'log_entry', 'verify_audit_trail']);
    expect(Object.keys(definition.searches).sort()).toEqual(['find_entry_by_id', 'find_log_entries']);
  });

  it.each([
    ['triggers', TriggerSchema],
    ['creates', CreateSchema],
    ['searches', SearchSchema],
  ] as const)('every one of the %s passes its own schema, sample included (D012)', (kind, schema) => {
    for (const [key, operation] of Object.entries(definition[kind])) {
      expect({ key, errors: schema.validate(operation).errors.map((e) => e.stack) }).toEqual({ key, errors: [] });
    }
  });
});

describe('app definition: Zapier integration checks judged offline', () => {
  it('D018: labels of operations, fields and output fields are in Title Case', () => {
    const labels = [
      ...visible().map(([key, op]) => [key, op.display.label ?? '']),
      ...Object.entries(definition.searchOrCreates).map(([key, soc]) => [key, soc.display.label]),
      ...allFields().map((field) => [field.key, field.label ?? '']),
      ...visible().flatMap(([, op]) => (op.operation.outputFields ?? []).map((field) => [field.key, field.label ?? ''])),
    ];
    expect(labels.length).toBeGreaterThan(50);
    expect(labels.filter(([, label]) => !isTitleCase(label ?? ''))).toEqual([]);
  });

  it('D021: trigger descriptions start with "Triggers when " and every description ends with "."', () => {
    for (const [key, op] of operations()) {
      const description = op.display.description ?? '';
      expect({ key, endsWithPeriod: description.endsWith('.') }).toEqual({ key, endsWithPeriod: true });
      if (key in definition.triggers) expect({ key, description }).toEqual({ key, description: expect.stringMatching(/^Triggers when /) });
    }
  });

  it('D024 + D010 + D023: each sample has every required output field, with the declared type; polling samples have an id; dates carry a time zone', () => {
    const typeOk = (type: string | undefined, value: unknown): boolean => {
      if (value === null || value === undefined) return true;
      switch (type) {
        case 'string':
          return typeof value === 'string';
        case 'integer':
          return Number.isInteger(value);
        case 'number':
          return typeof value === 'number';
        case 'boolean':
          return typeof value === 'boolean';
        case 'datetime':
          return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(value);
        default:
          return true;
      }
    };
    for (const [key, op] of visible()) {
      const sample = op.operation.sample ?? {};
      if (op.operation.type === 'polling') expect({ key, id: sample['id'] }).toEqual({ key, id: expect.anything() });
      for (const field of op.operation.outputFields ?? []) {
        const [parent, child] = field.key.split('[]');
        const values =
          child === undefined ? [sample[field.key]] : ((sample[parent ?? ''] as Record<string, unknown>[] | undefined) ?? []).map((item) => item[child]);
        if (field.required) expect({ key, field: field.key, inSample: field.key in sample }).toEqual({ key, field: field.key, inSample: true });
        for (const value of values) {
          const ok = field.list ? Array.isArray(value) || value === null : typeOk(field.type, value);
          expect({ key, field: field.key, value, typeMatches: ok }).toEqual({ key, field: field.key, value, typeMatches: true });
        }
      }
      for (const [path, value] of strings(sample)) {
        if (/^\d{4}-\d{2}-\d{2}T/.test(value)) expect({ key, path, value }).toEqual({ key, path, value: expect.stringMatching(/(Z|[+-]\d{2}:\d{2})$/) });
      }
    }
  });

  it('D011: every input field (auth and line items included) has help text that differs from its label', () => {
    const fields = allFields().filter((field) => !field.children); // Zapier allows no help text on a line-item group
    expect(fields.length).toBeGreaterThan(30);
    for (const field of fields) {
      expect({ key: field.key, help: Boolean(field.helpText) && field.helpText !== field.label }).toEqual({ key: field.key, help: true });
    }
  });

  it('D002 + D008: every auth field help links (valid markdown, https) to a section of docs/zapier.md that exists', () => {
    const doc = readFileSync(join(ROOT, 'docs/zapier.md'), 'utf8');
    const anchors = new Set(
      [...doc.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
        (heading ?? '').toLowerCase().replace(/[^\w\s-]/g, '').trim().replace(/\s/g, '-'),
      ),
    );
    for (const field of definition.authentication.fields) {
      const links = [...(field.helpText ?? '').matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)].map(([, , url]) => url ?? '');
      expect({ key: field.key, links: links.length }).toEqual({ key: field.key, links: 1 });
      const [url = ''] = links;
      expect(url.startsWith(`${ZAPIER_DOCS_URL}#`)).toBe(true);
      expect({ url, anchorExists: anchors.has(url.split('#')[1] ?? '') }).toEqual({ url, anchorExists: true });
    }
  });

  it('D008: every help link to docs/zapier.md (any field) points at a section that exists', () => {
    const doc = readFileSync(join(ROOT, 'docs/zapier.md'), 'utf8');
    const anchors = new Set([...doc.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => (heading ?? '').toLowerCase().replace(/[^\w\s-]/g, '').trim().replace(/\s/g, '-')));
    const links = allFields().flatMap((field) => [...(field.helpText ?? '').matchAll(/\]\(([^)\s]+)\)/g)].map(([, url]) => url ?? ''));
    expect(links.length).toBeGreaterThan(4);
    for (const url of links.filter((link) => link.startsWith(ZAPIER_DOCS_URL))) {
      expect({ url, anchorExists: anchors.has(url.split('#')[1] ?? '') }).toEqual({ url, anchorExists: true });
    }
  });

  it('D007: every URL in the definition is https, except the loopback example of local development', () => {
    const urls = strings(definition).flatMap(([path, value]) => [...value.matchAll(/\bhttps?:\/\/[^\s)`'"]+/g)].map(([url]) => [path, url]));
    expect(urls.length).toBeGreaterThan(5);
    const insecure = urls.filter(([, url]) => url?.startsWith('http://') && !/^http:\/\/127\.0\.0\.1[:/]/.test(url));
    expect(insecure).toEqual([]);
  });

  it('D007: the connection refuses an http API Base URL unless it is this computer', () => {
    expect(normalizeBaseUrl('http://audit.example.com')).toEqual({ problem: expect.stringMatching(/^API Base URL must start with https:\/\//) });
    expect(normalizeBaseUrl('https://audit.example.com')).toBe('https://audit.example.com');
    expect(normalizeBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('D004 + D005 + D014: id fields use dynamic dropdowns where the API can list the values, and dropdowns point at hidden triggers', () => {
    // Actor and entity ids are the caller's own identifiers (no list of them exists); they stay free text.
    const FREE_TEXT_IDS = new Set(['actorId', 'entityId', 'organizationId', 'applicationId']);
    for (const [key, op] of operations()) {
      for (const field of op.operation.inputFields ?? []) {
        if (/Id$/.test(field.key) && !FREE_TEXT_IDS.has(field.key)) expect({ key, field: field.key, dynamic: field.dynamic }).toEqual({ key, field: field.key, dynamic: expect.any(String) });
        if (field.key === 'applicationId') expect(field.dynamic).toBeDefined();
        if (field.search) expect(field.dynamic).toBeDefined();
        if (field.dynamic) {
          const [trigger] = field.dynamic.split('.');
          expect({ dynamic: field.dynamic, hiddenTrigger: definition.triggers[trigger ?? '']?.display.hidden }).toEqual({ dynamic: field.dynamic, hiddenTrigger: true });
        }
      }
    }
  });

  it('D003, D006, D009, D015, D017, D022: connection label; hooks subscribe, unsubscribe and list; searches and creates have static input fields; search-or-create is consistent', () => {
    expect(definition.authentication.connectionLabel).toBeTruthy();
    for (const [key, trigger] of Object.entries(definition.triggers)) {
      if (trigger.operation.type !== 'hook') continue;
      expect({ key, list: Boolean(trigger.operation.performList), subscribe: Boolean(trigger.operation.performSubscribe), unsubscribe: Boolean(trigger.operation.performUnsubscribe) })
        .toEqual({ key, list: true, subscribe: true, unsubscribe: true });
    }
    for (const [key, op] of [...Object.entries(definition.searches), ...Object.entries(definition.creates)]) {
      expect({ key, staticFields: Array.isArray(op.operation.inputFields) && op.operation.inputFields.length > 0 }).toEqual({ key, staticFields: true });
    }
    for (const [key, soc] of Object.entries(definition.searchOrCreates)) {
      expect(definition.searches[soc.search]).toBeDefined();
      expect(definition.creates[soc.create]).toBeDefined();
      // Both branches give later steps the same fields.
      const keys = (op: OperationDefinition | undefined) => (op?.operation.outputFields ?? []).map((field) => field.key).sort();
      expect({ key, fields: keys(definition.creates[soc.create]) }).toEqual({ key, fields: keys(definition.searches[soc.search]) });
      expect(Object.keys(definition.creates[soc.create]?.operation.sample ?? {}).sort()).toEqual(Object.keys(definition.searches[soc.search]?.operation.sample ?? {}).sort());
    }
  });
});
