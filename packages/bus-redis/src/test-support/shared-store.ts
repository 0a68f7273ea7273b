import type { ConversationStore } from "@roomkit/core";

/**
 * The store as one node sees it when several in-process nodes share it (as they would share one Postgres): every
 * method but `close`, which does nothing, so closing one node's RoomKit leaves the others' store open.
 */
export function sharedView(store: ConversationStore): ConversationStore {
  return {
    createRoom: (room) => store.createRoom(room),
    getRoom: (roomId) => store.getRoom(roomId),
    updateRoom: (room) => store.updateRoom(room),
    listRooms: (options) => store.listRooms(options),
    putBinding: (binding) => store.putBinding(binding),
    getBinding: (roomId, channelId) => store.getBinding(roomId, channelId),
    listBindings: (roomId) => store.listBindings(roomId),
    removeBinding: (roomId, channelId) => store.removeBinding(roomId, channelId),
    appendEvent: (event) => store.appendEvent(event),
    getEvent: (roomId, eventId) => store.getEvent(roomId, eventId),
    listEvents: (roomId, options) => store.listEvents(roomId, options),
    close: () => Promise.resolve(),
  };
}
