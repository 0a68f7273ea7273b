// Acting on a call from any node: the call runs here when this node owns the session, else on its owner.
import type { ClusterNode } from "@roomkit/bus-redis";

export async function superviseCall(cluster: ClusterNode, sessionId: string): Promise<void> {
  await cluster.injectText(sessionId, "Tell the caller their parcel shipped.");
  await cluster.reconfigureSession(sessionId, { instructions: "Answer in French." });
  await cluster.sendEvent(sessionId, { type: "text", body: "Supervisor joined" });
  await cluster.endSession(sessionId, "supervisor_hangup");
}
