// What create, run and exec tell the init the same way: the log level and
// where its log lines and the plan go, from the global --debug; and the
// paths a user gives relative to the working directory.
//
// Permissions: none (absolute() reads the working directory: --allow-read).

import type { Context } from "./command.ts";
import { log } from "../log/log.ts";
import { LogLevel } from "../bootstrap/ids.ts";
import { type Plan, planJson } from "../bootstrap/plan.ts";

/** The init's log level, and the callbacks that print its lines and (--debug) its plan. */
export function initLogOptions(ctx: Context): {
  readonly logLevel: number;
  readonly onPlan?: (plan: Plan) => void;
  readonly onLog: (level: string, msg: string) => void;
} {
  return {
    logLevel: ctx.debug ? LogLevel.debug : LogLevel.warn,
    onPlan: ctx.debug ? (plan) => log.debug(`plan: ${planJson(plan)}`) : undefined,
    onLog: (level, msg) => {
      if (level === "error") log.error(`init: ${msg}`);
      else if (level === "warn") log.warn(`init: ${msg}`);
      else log.debug(`init: ${msg}`);
    },
  };
}

/** A flag's path made absolute against the working directory (runc does the same). */
export function absolute(path: string | undefined): string | undefined {
  if (path === undefined || path.startsWith("/")) return path;
  return `${Deno.cwd()}/${path}`;
}
