export {
  describeRealtimeProviderContract,
  type ProviderContractOptions,
  type ProviderContractSubject,
} from "./realtime-provider-contract.ts";
export {
  type ClientReceived,
  describeRealtimeTransportContract,
  type TransportContractOptions,
  type TransportContractSubject,
} from "./realtime-transport-contract.ts";
export { contractSession, toneFrame } from "./contract-helpers.ts";
