/**
 * The Olympus terminal SDK: live changes of a restaurant over WebSocket from its edge (falling back
 * to the cloud, "green mode"), delivered once and in order, and writes that survive being offline.
 *
 * <pre>{@code
 * OlympusClient client =
 *     OlympusClient.builder()
 *         .endpoints("http://edge.local:8081", "https://cloud.example.com") // preferred first
 *         .deviceToken(System.getenv("OLYMPUS_DEVICE_TOKEN"))
 *         .deviceId("pos-3")
 *         .restaurantId("milton")
 *         .userId("maria")
 *         .stateDirectory(Path.of("/data/olympus")) // cursors and the offline queue
 *         .build();
 *
 * client.onConnectionChange(s -> statusLight.show(s.state())); // CONNECTED, CONNECTING, OFFLINE
 * client.orderUpdates(c -> kitchenScreen.show(c.id(), c.action(), c.data()));
 * client.tableUpdates(c -> floorPlan.mark(c.id(), c.action()));
 * client.onWriteFailure(f -> log.warn("refused: {} {}", f.httpStatus(), f.message()));
 * client.start(); // register listeners before start()
 *
 * String orderId = UuidV7.next();
 * client.broadcastOrderUpdate(orderId, "created", Map.of("status", "pending", "total", 25.50));
 * client.broadcastOrderUpdate(orderId, "status_changed", Map.of("status", "preparing"));
 * client.updateTableStatus("table-4", "occupied");
 * ...
 * client.close(); // queued writes stay on disk and go out after the next start()
 * }</pre>
 *
 * <p>Guarantees: per stream a persisted cursor and {@code prev_seq} gap detection (the client sends
 * {@code resume}); a record version already delivered is never delivered again, even after a
 * failover from the edge's stream to the cloud's (within {@link
 * dev.olympus.client.OlympusClient.Builder#dedupCapacity(int)} records). Writes carry a UUIDv7 op
 * id as {@code Idempotency-Key} and are retried with it, so a server applies each once; a 4xx is
 * reported and dropped, never retried. Types in {@code dev.olympus.client.internal} are not API.
 */
package dev.olympus.client;
