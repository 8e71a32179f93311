import { InteractApiError, InteractValidationError } from "../client/index.js";

/** Every error this package reports: an API/network error, or a request refused by validation before sending. */
export type InteractError = InteractApiError | InteractValidationError;

/** Returns the client's typed error as is; wraps anything unexpected so callers can always branch on `code`. */
export const toInteractError = (error: unknown): InteractError => {
  if (error instanceof InteractApiError || error instanceof InteractValidationError) return error;
  return new InteractApiError({
    status: 0,
    code: "client_error",
    message: String((error as Error)?.message ?? error),
    cause: error,
  });
};
