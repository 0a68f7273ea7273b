import { expect, test } from "bun:test";
import { parseServerEvent } from "./parse-server-event.ts";

// Found by scripts/fuzz (openai-events): an event whose `type` names an Object.prototype member was looked up in the
// mapper table through the prototype, so `__proto__`, `hasOwnProperty` and `valueOf` threw out of the socket's
// message handler (an uncaught exception) and `toString` produced a string instead of an event.
test.each(["__proto__", "hasOwnProperty", "valueOf", "toString", "constructor", "isPrototypeOf"])(
  "a server event of type %p is a custom event, never a throw",
  (type) => {
    const event = parseServerEvent(JSON.stringify({ type, event_id: "e1" }));
    expect(event).toMatchObject({ type: "custom", rawType: type, known: false });
  },
);
