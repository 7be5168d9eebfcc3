// The gRPC status codes the shim answers with, and runo's errors mapped
// onto them the way containerd's errdefs reads them back: an unknown task
// is NotFound, a second Create AlreadyExists, a broken config
// InvalidArgument, a task in the wrong state FailedPrecondition.
//
// Permissions: none.

export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** An error with the gRPC code the caller gets. */
export class ShimError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = "ShimError";
  }
}

/** runo's error codes (mod.ts's error classes) → gRPC codes. */
const BY_RUNO_CODE: Readonly<Record<string, number>> = {
  NOT_FOUND: Code.NOT_FOUND,
  ALREADY_EXISTS: Code.ALREADY_EXISTS,
  INVALID_ID: Code.INVALID_ARGUMENT,
  INVALID_STATE: Code.FAILED_PRECONDITION,
  INVALID_CONFIG: Code.INVALID_ARGUMENT,
  INVALID_BUNDLE: Code.INVALID_ARGUMENT,
  INVALID_EXEC: Code.INVALID_ARGUMENT,
  NOT_SUPPORTED: Code.UNIMPLEMENTED,
};

/** The status a thrown error becomes. */
export function statusOf(err: unknown): { code: number; message: string } {
  if (err instanceof ShimError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  const runoCode = (err as { code?: unknown })?.code;
  const code = typeof runoCode === "string" ? BY_RUNO_CODE[runoCode] : undefined;
  return { code: code ?? Code.UNKNOWN, message };
}

export const notFound = (what: string) => new ShimError(Code.NOT_FOUND, `${what}: not found`);
