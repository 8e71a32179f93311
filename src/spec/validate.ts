import { type ConstraintSchema, type OperationConstraint, parameters, schemas } from "../../generated/constraints.js";
import { InteractValidationError, type ValidationRule } from "./errors.js";

/** The bound rules, in the order they are checked: which kind of value each applies to, and which way it bounds. */
const BOUNDS = [
  { rule: "minimum", kind: "number", lower: true },
  { rule: "maximum", kind: "number", lower: false },
  { rule: "minLength", kind: "string", lower: true },
  { rule: "maxLength", kind: "string", lower: false },
] as const;

/** Checks value against a schema of the spec and throws an {@link InteractValidationError} naming the first broken bound. */
export const assertValid = (schema: ConstraintSchema, value: unknown, field: string): void => {
  const fail = (rule: ValidationRule, text: string, limit?: number | string | readonly unknown[]): never => {
    throw new InteractValidationError(field, rule, `${field} ${text}`, limit);
  };
  if (value === null && schema.nullable) return;
  const { type, enum: allowed, pattern, properties, items } = schema;
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (
    type &&
    !(type === "integer" ? Number.isInteger(value) : type === "number" ? Number.isFinite(value) : kind === type)
  ) {
    const got = kind === "number" ? value : kind === "string" ? "a string" : kind;
    fail("type", `must be a${/^[aio]/.test(type) ? "n" : ""} ${type} (got ${got})`, type);
  }
  if (allowed && !allowed.includes(value as never)) {
    fail("enum", `must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`, allowed);
  }
  for (const { rule, kind: appliesTo, lower } of BOUNDS) {
    const bound = schema[rule];
    if (bound === undefined || kind !== appliesTo) continue;
    const isLength = appliesTo === "string";
    const got = isLength ? (value as string).length : (value as number);
    if (lower ? got < bound : got > bound) {
      const unit = isLength ? ` character${bound === 1 ? "" : "s"} long` : "";
      fail(rule, `must be at ${lower ? "least" : "most"} ${bound}${unit} (got ${got})`, bound);
    }
  }
  if (pattern !== undefined && kind === "string" && !new RegExp(pattern).test(value as string)) {
    fail("pattern", `must match ${pattern}`, pattern);
  }
  if (properties && kind === "object") {
    const record = value as Record<string, unknown>;
    const child = (name: string) => (field === "body" ? name : `${field}.${name}`);
    for (const name of schema.required ?? []) {
      if (record[name] === undefined)
        throw new InteractValidationError(child(name), "required", `${child(name)} is required`);
    }
    for (const name in properties) {
      if (record[name] !== undefined) assertValid(properties[name] as ConstraintSchema, record[name], child(name));
    }
  }
  if (items && kind === "array")
    (value as unknown[]).forEach((item, index) => {
      assertValid(items, item, `${field}[${index}]`);
    });
};

/** Validates a create-session body against `CreateSessionRequest`. */
export const validateCreateSession = (body: unknown): void => assertValid(schemas.CreateSessionRequest, body, "body");

/** Validates an execute body against `ExecuteRequest`. */
export const validateExecute = (body: unknown): void => assertValid(schemas.ExecuteRequest, body, "body");

/** Validates a session id against the `SessionId` path parameter. */
export const validateSessionId = (sessionId: unknown): void =>
  assertValid(parameters.SessionId.schema, sessionId, "sessionId");

/** Validates the list `status` filter against `SessionStatusFilter`. */
export const validateStatusFilter = (status: unknown): void => {
  if (status !== undefined) assertValid(parameters.SessionStatusFilter.schema, status, "status");
};

/** True when a path parameter's value (by its name in the path template) meets the spec's constraints for it. */
export const isValidParam = (name: string, value: string): boolean => {
  const parameter = Object.values(parameters).find((candidate) => candidate.in === "path" && candidate.name === name);
  return parameter !== undefined && validationError(() => assertValid(parameter.schema, value, name)) === null;
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
export const validateRequest = (operation: OperationConstraint, parts: RequestParts): void => {
  const { params, query } = parts;
  for (const key of params ? operation.pathParams : []) {
    const { name, schema } = parameters[key];
    assertValid(schema, params?.[name], name);
  }
  for (const key of query ? operation.queryParams : []) {
    const { name, schema } = parameters[key];
    const value = query?.get(name) ?? null;
    if (value !== null) assertValid(schema, value, name);
  }
  if ("body" in parts && operation.body !== null) assertValid(schemas[operation.body], parts.body, "body");
};
