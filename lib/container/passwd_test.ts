import { assertEquals } from "../testing/assert.ts";
import { envHasHome, homeFor, parsePasswd } from "./passwd.ts";

const PASSWD = `root:x:0:0:root:/root:/bin/sh
# a comment
broken line
alice:x:1000:1000:Alice:/home/alice:/bin/sh
bad:x:notanumber:1:x:/nowhere:/bin/sh
nohome:x:1001:1001:x::/bin/sh
`;

Deno.test("parsePasswd() skips comments and malformed lines", () => {
  assertEquals(parsePasswd(PASSWD).map((e) => e.name), ["root", "alice", "nohome"]);
});

Deno.test("homeFor() gives the passwd home, else / (runc's default)", () => {
  assertEquals(homeFor(PASSWD, 1000), "/home/alice");
  assertEquals(homeFor(PASSWD, 0), "/root");
  assertEquals(homeFor(PASSWD, 4242), "/");
  assertEquals(homeFor(PASSWD, 1001), "/");
  assertEquals(homeFor(null, 0), "/");
});

Deno.test("envHasHome() looks for HOME= only", () => {
  assertEquals(envHasHome(["PATH=/bin", "HOME=/x"]), true);
  assertEquals(envHasHome(["HOMEDIR=/x"]), false);
  assertEquals(envHasHome(undefined), false);
});
