// Function and file sizes of the tree, for tests/unit/limits_test.ts.
// TypeScript functions come from Deno's own parser (Deno.lint.runPlugin,
// available under `deno test`); C functions from a small scanner that
// knows the tree's kernel style well enough: comments, strings, character
// literals and preprocessor lines are blanked, and a top-level `{` after a
// `)` opens a function body.
//
// Permissions: none (the callers read the files).

/** One function: its qualified name, first line and length in lines. */
export interface FunctionSize {
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

/** Line numbers (1-based) of offsets in `text`. */
function lineOf(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

// deno-lint-ignore no-explicit-any
type AnyNode = any;

/** The name a function node is known by in its own scope, or undefined. */
function ownName(node: AnyNode, text: string): string | undefined {
  if (node.id?.name) return node.id.name;
  const p = node.parent;
  const key = p?.key?.name ?? p?.key?.value;
  switch (p?.type) {
    case "VariableDeclarator":
      return p.id?.name;
    case "MethodDefinition":
    case "PropertyDefinition":
    case "Property":
      return key === undefined ? undefined : String(key);
    case "CallExpression":
    case "NewExpression": {
      const [s, e] = p.callee.range;
      return `(${text.slice(s, e)} callback)`;
    }
    case "ExportDefaultDeclaration":
      return "default";
  }
  return undefined;
}

/** "outer.inner": the names of the enclosing functions, classes and object properties. */
function qualifiedName(node: AnyNode, text: string): string {
  const parts = [ownName(node, text) ?? "(anonymous)"];
  for (let n = node.parent; n; n = n.parent) {
    if (
      n.type === "FunctionDeclaration" || n.type === "FunctionExpression" ||
      n.type === "ArrowFunctionExpression"
    ) {
      const name = ownName(n, text);
      if (name) parts.unshift(name);
    } else if ((n.type === "ClassDeclaration" || n.type === "ClassExpression") && n.id?.name) {
      parts.unshift(n.id.name);
    } else if (n.type === "VariableDeclarator" && n.init?.type === "ObjectExpression") {
      parts.unshift(n.id?.name ?? "(object)");
    } else if (n.type === "CallExpression" && n.parent?.type === "VariableDeclarator") {
      // `const command = defineCommand({ run() {} })`: command.run
      parts.unshift(n.parent.id?.name ?? "(call)");
      break;
    }
  }
  return [...new Set(parts)].join(".");
}

/** Every function, method and arrow function of a TypeScript file. */
export function tsFunctions(file: string, text: string): FunctionSize[] {
  const line = lineOf(text);
  const out: FunctionSize[] = [];
  const visit = (node: AnyNode) => {
    const [s, e] = node.range;
    const first = line(s);
    out.push({ name: qualifiedName(node, text), line: first, lines: line(e) - first + 1 });
  };
  const plugin: Deno.lint.Plugin = {
    name: "sizes",
    rules: {
      functions: {
        create: () => ({
          FunctionDeclaration: visit,
          FunctionExpression: visit,
          ArrowFunctionExpression: visit,
        }),
      },
    },
  };
  Deno.lint.runPlugin(plugin, file, text);
  return out;
}

/** C source with comments, strings, character literals and # lines blanked (newlines kept). */
export function blankC(text: string): string {
  const out = text.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i];
    if (lineStart && /[ \t]/.test(c)) {
      i++;
      continue;
    }
    if (lineStart && c === "#") {
      let j = i;
      while (j < text.length && !(text[j] === "\n" && text[j - 1] !== "\\")) j++;
      blank(i, j);
      i = j;
      continue;
    }
    lineStart = c === "\n";
    if (c === "/" && text[i + 1] === "*") {
      const j = text.indexOf("*/", i + 2);
      const end = j < 0 ? text.length : j + 2;
      blank(i, end);
      i = end;
    } else if (c === "/" && text[i + 1] === "/") {
      const j = text.indexOf("\n", i);
      const end = j < 0 ? text.length : j;
      blank(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      blank(i, j + 1);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join("");
}

/** Every function definition of a C file: a top-level block opened after a `)`. */
export function cFunctions(text: string): FunctionSize[] {
  const code = blankC(text);
  const line = lineOf(code);
  const out: FunctionSize[] = [];
  let depth = 0;
  let open: { name: string; line: number } | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "{") {
      if (depth === 0) open = functionHead(code, i, line);
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0 && open) {
        out.push({ name: open.name, line: open.line, lines: line(i) - open.line + 1 });
        open = undefined;
      }
    }
  }
  return out;
}

/** For a top-level `{` at `at`: the function it opens (name, first line), or undefined. */
function functionHead(
  code: string,
  at: number,
  line: (offset: number) => number,
): { name: string; line: number } | undefined {
  let i = at - 1;
  while (i >= 0 && /\s/.test(code[i])) i--;
  if (code[i] !== ")") return undefined; // a struct, enum or initializer
  for (let depth = 0; i >= 0; i--) {
    if (code[i] === ")") depth++;
    else if (code[i] === "(" && --depth === 0) break;
  }
  const m = /([A-Za-z_]\w*)\s*$/.exec(code.slice(Math.max(0, i - 200), i));
  if (!m) return undefined;
  const nameAt = i - m[0].length;
  return { name: m[1], line: line(nameAt) };
}
