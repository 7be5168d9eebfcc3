// containerd's command line for a runtime v2 shim, as Go's flag package
// parses it (containerd runtime/v2/shim): `-namespace NS -address ADDR
// -publish-binary BIN -id ID [-bundle DIR] [-debug] start|delete`, each
// flag also as -flag=value or --flag. With no action the process is the
// ttrpc server (started by `start`, with -socket).
//
// Permissions: none.

export interface ShimFlags {
  readonly namespace: string;
  readonly address: string;
  readonly publishBinary: string;
  readonly id: string;
  readonly bundle: string;
  readonly socket: string;
  readonly debug: boolean;
  readonly version: boolean;
  /** "start", "delete", or "" (serve). */
  readonly action: string;
}

const STRINGS = ["namespace", "address", "publish-binary", "id", "bundle", "socket"] as const;
const BOOLS = ["debug", "v"] as const;

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlagError";
  }
}

/** Parses argv; throws FlagError naming an unknown flag or a missing value. */
export function parseShimFlags(argv: readonly string[]): ShimFlags {
  const values = new Map<string, string>();
  const bools = new Set<string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    if ((BOOLS as readonly string[]).includes(name)) {
      if (eq < 0 || body.slice(eq + 1) === "true") bools.add(name);
      continue;
    }
    if (!(STRINGS as readonly string[]).includes(name)) {
      throw new FlagError(`flag provided but not defined: -${name}`);
    }
    if (eq >= 0) values.set(name, body.slice(eq + 1));
    else if (i + 1 < argv.length) values.set(name, argv[++i]);
    else throw new FlagError(`flag needs an argument: -${name}`);
  }
  return {
    namespace: values.get("namespace") ?? "",
    address: values.get("address") ?? "",
    publishBinary: values.get("publish-binary") ?? "containerd",
    id: values.get("id") ?? "",
    bundle: values.get("bundle") ?? "",
    socket: values.get("socket") ?? "",
    debug: bools.has("debug"),
    version: bools.has("v"),
    action: argv[i] ?? "",
  };
}
