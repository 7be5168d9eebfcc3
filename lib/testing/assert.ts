// The stand-in for @std/assert (JSR is out of reach here): std's names over
// node:assert/strict, so moving to @std/assert is a change of this file only.
// Used by tests only.
//
// Permissions: none.

import assertNode from "node:assert/strict";

export function assert(value: unknown, message?: string): asserts value {
  assertNode.ok(value, message);
}

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assertNode.deepStrictEqual(actual, expected, message);
}

export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  assertNode.notDeepStrictEqual(actual, expected, message);
}

export function assertMatch(actual: string, expected: RegExp, message?: string): void {
  assertNode.match(actual, expected, message);
}

export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  assertNode.ok(
    actual.includes(expected),
    message ?? `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
  );
}

// deno-lint-ignore no-explicit-any
type ErrorClass<E extends Error> = new (...args: any[]) => E;

/** Asserts fn throws (an instance of errorClass, with msgIncludes); returns the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  errorClass?: ErrorClass<E>,
  msgIncludes?: string,
): E {
  try {
    fn();
  } catch (err) {
    checkError(err, errorClass, msgIncludes);
    return err as E;
  }
  throw new assertNode.AssertionError({ message: "Expected function to throw." });
}

export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  errorClass?: ErrorClass<E>,
  msgIncludes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (err) {
    checkError(err, errorClass, msgIncludes);
    return err as E;
  }
  throw new assertNode.AssertionError({ message: "Expected function to reject." });
}

function checkError<E extends Error>(err: unknown, cls?: ErrorClass<E>, includes?: string) {
  if (cls && !(err instanceof cls)) {
    throw new assertNode.AssertionError({
      message: `Expected error to be instance of "${cls.name}", got ${String(err)}`,
    });
  }
  if (includes !== undefined && !String((err as Error)?.message).includes(includes)) {
    throw new assertNode.AssertionError({
      message: `Expected error message to include ${JSON.stringify(includes)}, got ${
        JSON.stringify((err as Error)?.message)
      }`,
    });
  }
}
