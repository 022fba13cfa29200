/**
 * The app definition as Zapier's runtime serialises it, checked with zapier-platform-schema: the app-level rules
 * (`validate --without-style` runs the same) plus the per-operation schemas, which also demand a `sample` (the
 * app-level check misses that, see docs/zapier.md), and the publishing conventions the offline CLI cannot check.
 */
import zapier from 'zapier-platform-core';
import App from '../../index';

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
}
interface OperationDefinition {
  key: string;
  display: { label?: string; description?: string; hidden?: boolean };
  operation: { inputFields?: FieldDefinition[]; sample?: Record<string, unknown>; outputFields?: { key: string; label?: string; required?: boolean }[] };
}
interface Definition {
  triggers: Record<string, OperationDefinition>;
  creates: Record<string, OperationDefinition>;
  searches: Record<string, OperationDefinition>;
  authentication: { fields: FieldDefinition[] };
}

const run = (command: string) => createAppHandler(App)({ command, calledFromCli: true }).then((output) => output.results);
let definition: Definition;
const operations = (): [string, OperationDefinition][] => [
  ...Object.entries(definition.triggers),
  ...Object.entries(definition.creates),
  ...Object.entries(definition.searches),
];

beforeAll(async () => {
  definition = (await run('definition')) as Definition;
});

describe('app definition', () => {
  it('passes the app-level schema validation (what validate --without-style runs)', async () => {
    expect(await run('validate')).toEqual([]);
  });

  it('lists the operations of issues 2 and 4', () => {
    expect(Object.keys(definition.triggers).sort()).toEqual(
      ['application_list', 'integrity_alert', 'new_log_entry', 'new_log_entry_instant', 'recent_action_list'].sort(),
    );
    expect(Object.keys(definition.creates)).toEqual(['log_entry']);
    expect(Object.keys(definition.searches)).toEqual(['find_log_entries']);
  });

  it.each([
    ['triggers', TriggerSchema],
    ['creates', CreateSchema],
    ['searches', SearchSchema],
  ] as const)('every one of the %s passes its own schema, sample included', (kind, schema) => {
    for (const [key, operation] of Object.entries(definition[kind])) {
      expect({ key, errors: schema.validate(operation).errors.map((e) => e.stack) }).toEqual({ key, errors: [] });
    }
  });

  it('visible operations follow the publishing conventions (D011, D012, D018, D021, D024)', () => {
    for (const [key, op] of operations()) {
      if (op.display.hidden) continue;
      const { label = '', description = '' } = op.display;
      expect({ key, titleCase: label.split(' ').every((word) => /^[A-Z(]/.test(word) || ['or', 'a', 'the'].includes(word)) }).toEqual({ key, titleCase: true });
      expect({ key, description: description.endsWith('.') }).toEqual({ key, description: true });
      if (key in definition.triggers) expect(description).toMatch(/^Triggers when /);
      const sample = op.operation.sample ?? {};
      for (const field of op.operation.outputFields ?? []) {
        expect({ key, field: field.key, labelled: Boolean(field.label) }).toEqual({ key, field: field.key, labelled: true });
        if (field.required) expect({ key, field: field.key, inSample: field.key in sample }).toEqual({ key, field: field.key, inSample: true });
      }
      for (const value of Object.values(sample)) {
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) expect(value).toMatch(/(Z|[+-]\d{2}:\d{2})$/);
      }
    }
  });

  it('every input field (auth included) has help text that differs from its label, and dropdowns point at hidden triggers', () => {
    const fields = [...definition.authentication.fields, ...operations().flatMap(([, op]) => op.operation.inputFields ?? [])];
    expect(fields.length).toBeGreaterThan(20);
    for (const field of fields) {
      expect({ key: field.key, help: Boolean(field.helpText) && field.helpText !== field.label }).toEqual({ key: field.key, help: true });
      if (field.dynamic) {
        const [trigger] = field.dynamic.split('.');
        expect(definition.triggers[trigger ?? '']?.display.hidden).toBe(true);
      }
    }
  });
});
