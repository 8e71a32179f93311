import type { ConstraintSchema, RequestConstraint } from "../../generated/constraints.js";
import { InteractValidationError, type ValidationRule } from "./errors.js";

/** The bound rules, in the order they are checked; a `…Length` bounds a string's length, the others a number. */
const BOUNDS = ["minimum", "maximum", "minLength", "maxLength"] as const;

/** The string formats the validator knows; any other `format` is documentation only. */
const FORMATS: Readonly<Record<string, RegExp>> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/** Number of bytes a string takes in UTF-8. */
const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

/** True when value meets the schema (a `oneOf` branch is often just a `required` list). */
const matches = (schema: ConstraintSchema, value: unknown, field: string): boolean =>
  validationError(() => assertValid(schema, value, field)) === null;

/** Throws the {@link InteractValidationError} of a broken rule; its message is the field's name and what it must be. */
const fail = (
  field: string,
  rule: ValidationRule,
  text: string,
  limit?: number | string | readonly unknown[],
): never => {
  throw new InteractValidationError(field, rule, `${field} ${text}`, limit);
};

/** Checks the value itself: type, enum, the numeric and length bounds, UTF-8 size, pattern and format. */
function assertOwnBounds(schema: ConstraintSchema, value: unknown, field: string, kind: string): void {
  const { type, enum: allowed, pattern } = schema;
  if (
    type &&
    !(type === "integer" ? Number.isInteger(value) : type === "number" ? Number.isFinite(value) : kind === type)
  ) {
    const got = kind === "number" ? value : kind === "string" ? "a string" : kind;
    fail(field, "type", `must be a${/^[aio]/.test(type) ? "n" : ""} ${type} (got ${got})`, type);
  }
  if (allowed && !allowed.includes(value as never)) {
    fail(field, "enum", `must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`, allowed);
  }
  for (const rule of BOUNDS) {
    const bound = schema[rule];
    const isLength = rule.endsWith("Length");
    const lower = rule.startsWith("min");
    if (bound === undefined || kind !== (isLength ? "string" : "number")) continue;
    const got = isLength ? (value as string).length : (value as number);
    if (lower ? got < bound : got > bound) {
      const unit = isLength ? ` character${bound === 1 ? "" : "s"} long` : "";
      fail(field, rule, `must be at ${lower ? "least" : "most"} ${bound}${unit} (got ${got})`, bound);
    }
  }
  const maxBytes = schema["x-maxBytes"];
  if (maxBytes !== undefined && kind === "string" && utf8Bytes(value as string) > maxBytes) {
    fail(field, "maxBytes", `must be at most ${maxBytes} bytes of UTF-8 (got ${utf8Bytes(value as string)})`, maxBytes);
  }
  if (pattern !== undefined && kind === "string" && !new RegExp(pattern).test(value as string)) {
    fail(field, "pattern", `must match ${pattern}`, pattern);
  }
  const format = schema.format === undefined ? undefined : FORMATS[schema.format];
  if (format && kind === "string" && !format.test(value as string)) {
    fail(field, "format", `must be a ${schema.format} (got ${JSON.stringify(value)})`, schema.format);
  }
}

/** Checks the value's structure: an object's required and declared properties, `oneOf`, then an array's items. */
function assertStructure(schema: ConstraintSchema, value: unknown, field: string, kind: string): void {
  const { properties, oneOf, items } = schema;
  if (kind === "object") {
    const record = value as Record<string, unknown>;
    const child = (name: string) => (field === "body" ? name : `${field}.${name}`);
    for (const name of schema.required ?? []) {
      if (record[name] === undefined) fail(child(name), "required", "is required");
    }
    for (const name in properties) {
      if (record[name] !== undefined) assertValid(properties[name] as ConstraintSchema, record[name], child(name));
    }
  }
  if (oneOf && oneOf.filter((branch) => matches(branch, value, field)).length !== 1) {
    // The common case names fields: "body must have exactly one of code, prompt".
    const names = oneOf.flatMap((branch) => branch.required ?? []);
    const what = names.length === oneOf.length ? names.join(", ") : `${oneOf.length} alternatives`;
    fail(field, "oneOf", `must have exactly one of ${what}`, names.length === oneOf.length ? names : undefined);
  }
  if (items && kind === "array")
    (value as unknown[]).forEach((item, index) => {
      assertValid(items, item, `${field}[${index}]`);
    });
}

/** Checks value against a schema of the spec and throws an {@link InteractValidationError} naming the first broken bound. */
export const assertValid = (schema: ConstraintSchema, value: unknown, field: string): void => {
  if (value === null && schema.nullable) return;
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  assertOwnBounds(schema, value, field, kind);
  assertStructure(schema, value, field, kind);
};

/** True when a path parameter's value (by its name in the operation's path template) meets the spec's constraints. */
export const isValidParam = (operation: RequestConstraint, name: string, value: string): boolean => {
  const parameter = operation.parameters.find((candidate) => candidate.in === "path" && candidate.name === name);
  return parameter !== undefined && matches(parameter.schema, value, name);
};

/** Runs a validator and returns the {@link InteractValidationError} it throws, or null; other errors still throw. */
export const validationError = (validate: () => void): InteractValidationError | null => {
  try {
    validate();
    return null;
  } catch (error) {
    if (error instanceof InteractValidationError) return error;
    throw error;
  }
};

/** The parts of a request that {@link validateRequest} checks; a part left out is not checked. */
export interface RequestParts {
  /** Path parameters by their name in the path template (`sessionId`). */
  readonly params?: Readonly<Record<string, string | undefined>>;
  /** The query string. */
  readonly query?: { get(name: string): string | null };
  /** The parsed JSON body. */
  readonly body?: unknown;
}

/**
 * Checks a request against everything the spec says of its operation (path parameters, query parameters, body) and
 * throws an {@link InteractValidationError} naming the first broken bound: a new bound in the spec needs no code.
 */
export const validateRequest = (operation: RequestConstraint, parts: RequestParts): void => {
  const { params, query } = parts;
  for (const { name, in: where, required, schema } of operation.parameters) {
    if (where === "path" && params) assertValid(schema, params[name], name);
    if (where !== "query" || !query) continue;
    const value = query.get(name);
    if (value !== null) assertValid(schema, value, name);
    else if (required) fail(name, "required", "is required");
  }
  if ("body" in parts && operation.body !== null) assertValid(operation.body, parts.body, "body");
};
