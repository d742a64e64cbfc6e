// The error taxonomy (DESIGN.md "Errors"). Services throw these; GraphQL carries the code in
// extensions.code, the REST adapter maps it to a status. They extend GraphQLError so yoga's error
// masking passes them through while anything unexpected becomes a logged, generic 500.
import { GraphQLError } from "graphql";

export const ERROR_STATUS = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** Well-formed, but what it names cannot be done: a monitor whose server yields no certificate. */
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, http: { status: ERROR_STATUS[code] }, ...extensions } });
  }
}

export const badInput = (message: string) => new AppError("BAD_USER_INPUT", message);
export const unauthenticated = (message: string) => new AppError("UNAUTHENTICATED", message);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const notFound = (message: string) => new AppError("NOT_FOUND", message);
export const conflict = (message: string) => new AppError("CONFLICT", message);
export const unprocessable = (message: string) => new AppError("UNPROCESSABLE", message);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(
    "RATE_LIMITED",
    `Rate limit exceeded. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`,
    {
      retryAfterSeconds,
      http: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
    },
  );

/** Seconds a RATE_LIMITED error asks the caller to wait, for the Retry-After header. */
export function retryAfterOf(error: GraphQLError): number | undefined {
  const seconds = error.extensions?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds : undefined;
}
