// Counts this process's open UDP sockets (Linux: /proc/self/fd links matched against /proc/net/udp{,6} inodes),
// so tests can assert that closed peers leave no ICE socket behind.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

function udpInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

export function openUdpSockets(): number {
  const inodes = udpInodes();
  let count = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    let target = "";
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match && inodes.has(match[1]!)) count++;
  }
  return count;
}
