import { type ConstraintSchema, parameters, schemas } from "../../generated/constraints.js";
import { InteractValidationError } from "./errors.js";

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "string" ? "a string" : typeof value;

function typeMatches(type: ConstraintSchema["type"], value: unknown): boolean {
  switch (type) {
    case undefined:
      return true;
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

/** Checks value against a schema of the spec and throws an {@link InteractValidationError} naming the first broken bound. */
export function assertValid(schema: ConstraintSchema, value: unknown, field: string): void {
  if (value === null && schema.nullable) return;
  if (!typeMatches(schema.type, value)) {
    const article = schema.type === "integer" || schema.type === "object" || schema.type === "array" ? "an" : "a";
    throw new InteractValidationError(
      field,
      "type",
      `${field} must be ${article} ${schema.type} (got ${typeof value === "number" ? value : describe(value)})`,
      schema.type,
    );
  }
  if (schema.enum && !schema.enum.includes(value as never)) {
    throw new InteractValidationError(
      field,
      "enum",
      `${field} must be one of ${schema.enum.join(", ")} (got ${JSON.stringify(value)})`,
      schema.enum,
    );
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      throw new InteractValidationError(
        field,
        "minimum",
        `${field} must be at least ${schema.minimum} (got ${value})`,
        schema.minimum,
      );
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      throw new InteractValidationError(
        field,
        "maximum",
        `${field} must be at most ${schema.maximum} (got ${value})`,
        schema.maximum,
      );
    }
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      throw new InteractValidationError(
        field,
        "minLength",
        `${field} must be at least ${schema.minLength} character${schema.minLength === 1 ? "" : "s"} long (got ${value.length})`,
        schema.minLength,
      );
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      throw new InteractValidationError(
        field,
        "maxLength",
        `${field} must be at most ${schema.maxLength} characters long (got ${value.length})`,
        schema.maxLength,
      );
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      throw new InteractValidationError(field, "pattern", `${field} must match ${schema.pattern}`, schema.pattern);
    }
  }
  if (schema.properties && typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const childField = (name: string) => (field === "body" ? name : `${field}.${name}`);
    for (const name of schema.required ?? []) {
      if (record[name] === undefined) {
        throw new InteractValidationError(childField(name), "required", `${childField(name)} is required`);
      }
    }
    for (const [name, child] of Object.entries(schema.properties)) {
      if (record[name] !== undefined) assertValid(child, record[name], childField(name));
    }
  }
  if (schema.items && Array.isArray(value)) {
    value.forEach((item, index) => {
      assertValid(schema.items as ConstraintSchema, item, `${field}[${index}]`);
    });
  }
}

/** Validates a create-session body against `CreateSessionRequest`. */
export const validateCreateSession = (body: unknown): void => assertValid(schemas.CreateSessionRequest, body, "body");

/** Validates an execute body against `ExecuteRequest`. */
export const validateExecute = (body: unknown): void => assertValid(schemas.ExecuteRequest, body, "body");

/** Validates a session id against the `SessionId` path parameter. */
export const validateSessionId = (sessionId: unknown): void =>
  assertValid(parameters.SessionId.schema, sessionId, "sessionId");

/** Validates the list `status` filter against `SessionStatus`. */
export const validateStatusFilter = (status: unknown): void => {
  if (status !== undefined) assertValid(parameters.SessionStatusFilter.schema, status, "status");
};
