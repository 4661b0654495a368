package dev.olympus.web.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.olympus.web.testing.TestSocket;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncSocketHubTest {
  private static final LocationKey L1 = new LocationKey("t1", "loc-1");
  private static final LocationKey L2 = new LocationKey("t1", "loc-2");
  private static final LocationKey OTHER_TENANT_L1 = new LocationKey("t2", "loc-1");

  private final InMemoryChangeSource source = new InMemoryChangeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<TestSocket> sockets = new ArrayList<>();
  private SyncSocketHub hub;
  private Javalin app;

  /** Tokens are "tok-<tenant>-<location>-<device>-<type>". */
  private static Admission admit(Handshake h) {
    String[] p = h.token().split("-", 5);
    if (p.length != 5 || !p[0].equals("tok")) {
      return Admission.unauthorized("unknown token");
    }
    if (!(p[2] + "-" + p[3]).equals(h.restaurantId())) {
      return Admission.forbidden("the token does not belong to restaurant " + h.restaurantId());
    }
    // "tok-t1-loc-1-pos1" splits as tok, t1, loc, 1, pos1
    return Admission.admitted(new SocketPrincipal(p[1], p[2] + "-" + p[3], p[4], type(p[4])));
  }

  private static String type(String device) {
    return device.startsWith("edge") ? "olympus_edge" : "pos_terminal";
  }

  private void start(Duration heartbeat, int recentFrames) {
    hub =
        SyncSocketHub.builder("edge", source, SyncSocketHubTest::admit)
            .heartbeat(heartbeat)
            .recentFrames(recentFrames)
            .meterRegistry(registry)
            .build();
    app =
        Javalin.create(
                cfg -> {
                  cfg.startup.showJavalinBanner = false;
                  cfg.startup.showOldJavalinVersionWarning = false;
                  cfg.concurrency.useVirtualThreads = true;
                  hub.register(cfg);
                })
            .start("127.0.0.1", 0);
  }

  private void start() {
    start(Duration.ofSeconds(30), 4096);
  }

  @AfterEach
  void stop() {
    sockets.forEach(TestSocket::close);
    if (hub != null) {
      hub.close();
    }
    if (app != null) {
      app.stop();
    }
  }

  private TestSocket connect(LocationKey l, String device, String query) {
    String token = "tok-" + l.tenantId() + "-" + l.locationId() + "-" + device;
    return connectAs(
        token,
        "device_id="
            + device
            + "&restaurant_id="
            + l.locationId()
            + "&user_id=u-"
            + device
            + query);
  }

  private TestSocket connectAs(String token, String query) {
    TestSocket s = TestSocket.open("ws://127.0.0.1:" + app.port() + "/ws/sync?" + query, token);
    sockets.add(s);
    return s;
  }

  private Map<String, Object> welcome(TestSocket s) throws InterruptedException {
    Map<String, Object> w = s.next(2000);
    assertThat(w).containsEntry("type", "welcome");
    return w;
  }

  private long write(LocationKey l, String collection, String id, Map<String, Object> data) {
    long seq = source.write(l, collection, id, data);
    hub.committed(l.tenantId(), Set.of(l.locationId()));
    return seq;
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  @Test
  void committed_twoDevicesOfOneLocation_bothGetTheChangeWithKindSeqAndPrevSeq() throws Exception {
    start();
    long before = source.write(L1, "orders", "o0", Map.of("status", "pending"));
    TestSocket a = connect(L1, "pos1", "");
    TestSocket b = connect(L1, "pos2", "");
    Map<String, Object> w = welcome(a);
    assertThat(w)
        .containsEntry("server", "edge")
        .containsEntry("stream", "test:t1")
        .containsEntry("restaurant_id", "loc-1")
        .containsEntry("heartbeat_seconds", 30.0);
    assertThat(num(w.get("latest_seq"))).isEqualTo(before);
    welcome(b);

    long s1 = write(L1, "orders", "o1", Map.of("status", "pending", "total", 12));
    List<Map<String, Object>> createdFrames = List.of(a.next(2000), b.next(2000));
    long s2 = write(L1, "orders", "o1", Map.of("status", "preparing", "total", 12));
    for (TestSocket s : List.of(a, b)) {
      Map<String, Object> created = createdFrames.get(s == a ? 0 : 1);
      assertThat(created)
          .containsEntry("type", "order_update")
          .containsEntry("data_type", "orders")
          .containsEntry("action", "created")
          .containsEntry("collection", "orders")
          .containsEntry("id", "o1")
          .containsEntry("deleted", false)
          .containsEntry("origin", "node-a");
      assertThat(num(created.get("seq"))).isEqualTo(s1);
      assertThat(num(created.get("prev_seq"))).isEqualTo(before);
      Map<String, Object> changed = s.next(2000);
      assertThat(changed).containsEntry("action", "status_changed");
      assertThat(changed.get("data")).isEqualTo(Map.of("status", "preparing", "total", 12));
      assertThat(num(changed.get("seq"))).isEqualTo(s2);
      assertThat(num(changed.get("prev_seq"))).isEqualTo(s1);
      assertThat(num(changed.get("version"))).isEqualTo(source.versionOf(L1, "orders", "o1"));
    }
    write(L1, "tables", "t9", Map.of("status", "occupied"));
    assertThat(a.next(2000))
        .containsEntry("type", "table_update")
        .containsEntry("action", "occupied");
  }

  @Test
  void connect_clientOffersPerMessageDeflate_serverDeclinesIt() throws Exception {
    start();
    String path =
        "/ws/sync?device_id=pos-1&restaurant_id=loc-1&user_id=u-1&access_token=tok-t1-loc-1-pos-1";
    try (Socket socket = new Socket("127.0.0.1", app.port())) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n"
                      + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> head = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.add(line.toLowerCase(Locale.ROOT));
      }
      assertThat(head.get(0)).startsWith("http/1.1 101");
      assertThat(head).noneMatch(h -> h.startsWith("sec-websocket-extensions"));
    }
  }

  @Test
  void committed_anotherLocationOrTenant_getsNothing() throws Exception {
    start();
    TestSocket mine = connect(L1, "pos1", "&since=0");
    TestSocket otherLocation = connect(L2, "pos2", "&since=0");
    TestSocket otherTenant = connect(OTHER_TENANT_L1, "pos3", "&since=0");
    welcome(mine);
    welcome(otherLocation);
    assertThat(welcome(otherTenant)).containsEntry("stream", "test:t2");

    write(L1, "orders", "secret", Map.of("status", "pending"));
    // The other tenant's location has the same id; it must not matter.
    hub.committed("t2", Set.of("loc-1"));

    assertThat(mine.next(2000)).containsEntry("id", "secret");
    assertThat(otherLocation.nextOrNull(300)).isNull();
    assertThat(otherTenant.nextOrNull(100)).isNull();
  }

  @Test
  void connect_withSince_replaysInOrderThenGoesLive() throws Exception {
    start(Duration.ofSeconds(30), 16); // most of the replay comes from the source, not memory
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      seqs.add(source.write(L1, "menu_items", "m" + i, Map.of("name", "dish " + i)));
    }
    TestSocket s = connect(L1, "pos1", "&since=" + seqs.get(99));
    welcome(s);
    long prev = seqs.get(99);
    for (int i = 100; i < 600; i++) {
      Map<String, Object> f = s.next(2000);
      assertThat(num(f.get("seq"))).isEqualTo(seqs.get(i));
      assertThat(num(f.get("prev_seq"))).isEqualTo(prev);
      prev = seqs.get(i);
    }
    long live = write(L1, "menu_items", "m0", Map.of("name", "dish 0", "available", false));
    Map<String, Object> f = s.next(2000);
    assertThat(num(f.get("seq"))).isEqualTo(live);
    assertThat(num(f.get("prev_seq"))).isEqualTo(prev);
    assertThat(s.nextOrNull(200)).isNull();
  }

  @Test
  void resume_fromAnEarlierSeq_replaysFromThereWithPrevSeq() throws Exception {
    start();
    long s1 = source.write(L1, "orders", "a", Map.of("status", "pending"));
    long s2 = source.write(L1, "orders", "b", Map.of("status", "pending"));
    TestSocket s = connect(L1, "pos1", "&since=0");
    welcome(s);
    assertThat(num(s.next(2000).get("seq"))).isEqualTo(s1);
    assertThat(num(s.next(2000).get("seq"))).isEqualTo(s2);

    s.send("{\"type\":\"resume\",\"since\":" + s1 + "}");
    Map<String, Object> again = s.next(2000);
    assertThat(num(again.get("seq"))).isEqualTo(s2);
    assertThat(num(again.get("prev_seq"))).isEqualTo(s1);
  }

  @Test
  void onMessage_malformedOrUnknownFrames_answerErrorsAndOthersKeepTheirStream() throws Exception {
    start();
    TestSocket bad = connect(L1, "pos1", "");
    TestSocket good = connect(L1, "pos2", "");
    welcome(bad);
    welcome(good);

    bad.send("{not json");
    assertThat(bad.next(2000))
        .containsEntry("type", "error")
        .containsEntry("error", "invalid_json");
    bad.send("[1,2]");
    assertThat(bad.next(2000)).containsEntry("error", "invalid_frame");
    bad.send("{\"type\":\"subscribe\"}");
    Map<String, Object> unknown = bad.next(2000);
    assertThat(unknown).containsEntry("error", "unknown_type");
    assertThat((String) unknown.get("message")).contains("'subscribe'").contains("ping");
    bad.send("{\"type\":\"resume\",\"since\":-3}");
    assertThat(bad.next(2000)).containsEntry("error", "invalid_field");
    bad.send("{\"type\":\"ping\"}");
    assertThat(bad.next(2000)).containsEntry("type", "pong");

    bad.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(SyncSocketHub.MAX_FRAME_BYTES) + "\"}");
    assertThat(bad.awaitClose(3000)).isEqualTo(CloseCodes.TOO_BIG);

    write(L1, "orders", "o1", Map.of("status", "pending"));
    assertThat(good.next(2000)).containsEntry("id", "o1");
    good.send("{\"type\":\"ping\"}");
    assertThat(good.next(2000)).containsEntry("type", "pong");
  }

  @Test
  void connect_badTokensOrParameters_closeWithClearCodes() throws Exception {
    start();
    TestSocket noToken = connectAs(null, "device_id=d&restaurant_id=loc-1");
    assertThat(noToken.awaitClose(3000)).isEqualTo(CloseCodes.UNAUTHORIZED);
    assertThat(noToken.closeReason).contains("Bearer");

    TestSocket unknown = connectAs("nope", "device_id=d&restaurant_id=loc-1");
    assertThat(unknown.awaitClose(3000)).isEqualTo(CloseCodes.UNAUTHORIZED);

    TestSocket otherPlace = connectAs("tok-t1-loc-2-pos1", "device_id=pos1&restaurant_id=loc-1");
    assertThat(otherPlace.awaitClose(3000)).isEqualTo(CloseCodes.FORBIDDEN);
    assertThat(otherPlace.closeReason).contains("loc-1");

    TestSocket noRestaurant = connectAs("tok-t1-loc-1-pos1", "device_id=pos1");
    assertThat(noRestaurant.awaitClose(3000)).isEqualTo(CloseCodes.BAD_REQUEST);
    assertThat(noRestaurant.closeReason).contains("restaurant_id");

    TestSocket badSince =
        connectAs("tok-t1-loc-1-pos1", "device_id=pos1&restaurant_id=loc-1&since=soon");
    assertThat(badSince.awaitClose(3000)).isEqualTo(CloseCodes.BAD_REQUEST);
    assertThat(badSince.closeReason).contains("'soon'");

    TestSocket query =
        TestSocket.open(
            "ws://127.0.0.1:"
                + app.port()
                + "/ws/sync?device_id=pos1&restaurant_id=loc-1&access_token=tok-t1-loc-1-pos1",
            null);
    sockets.add(query);
    welcome(query);
    assertThat(hub.totalConnections()).isEqualTo(1);
  }

  @Test
  void heartbeat_fractionalInterval_sendsHeartbeatsAndDropsASilentConnection() throws Exception {
    start(Duration.ofMillis(200), 4096);
    TestSocket silent = connect(L1, "pos1", "");
    TestSocket chatty = connect(L1, "pos2", "");
    assertThat(welcome(silent)).containsEntry("heartbeat_seconds", 0.2);
    welcome(chatty);
    long end = System.currentTimeMillis() + 1200;
    int heartbeats = 0;
    while (System.currentTimeMillis() < end) {
      chatty.send("{\"type\":\"ping\"}");
      Thread.sleep(100);
    }
    for (Map<String, Object> f : chatty.frames) {
      if ("heartbeat".equals(f.get("type"))) {
        heartbeats++;
      }
    }
    assertThat(heartbeats).isGreaterThanOrEqualTo(3);
    assertThat(silent.awaitClose(2000)).isEqualTo(CloseCodes.SILENT);
    assertThat(silent.closeReason).contains("2 heartbeats");
    assertThat(chatty.closeCode).isNotDone();
    assertThat(hub.totalConnections()).isEqualTo(1);
    assertThat(
            registry
                .get("olympus_ws_dropped_connections")
                .tag("reason", "silent")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void healthAndStatus_countConnectionsDevicesAndLastChange() throws Exception {
    start();
    TestSocket a = connect(L1, "pos1", "");
    TestSocket b = connect(L1, "edge1", "");
    TestSocket c = connect(L2, "pos9", "");
    welcome(a);
    welcome(b);
    welcome(c);
    assertThat(hub.totalConnections()).isEqualTo(3);
    assertThat(hub.connectedRestaurants()).isEqualTo(2);
    assertThat(registry.get("olympus_ws_connections").gauge().value()).isEqualTo(3);

    long seq = write(L1, "orders", "o1", Map.of("status", "pending"));
    a.next(2000);
    LocationStatus status = hub.status(L1);
    assertThat(status.connections()).isEqualTo(2);
    assertThat(status.devices())
        .extracting(LocationStatus.Device::deviceId, LocationStatus.Device::userId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("pos1", "u-pos1"),
            org.assertj.core.groups.Tuple.tuple("edge1", "u-edge1"));
    assertThat(status.lastChangeSeq()).isEqualTo(seq);
    assertThat(status.lastChangeAt()).isNotNull();

    c.close();
    await().atMost(Duration.ofSeconds(3)).until(() -> hub.connectedRestaurants() == 1);
    assertThat(hub.totalConnections()).isEqualTo(2);
    assertThat(hub.status(L2).connections()).isZero();
  }

  @Test
  void trigger_reachesOnlyTheLocationsDevicesOfThatType() throws Exception {
    start();
    TestSocket edge = connect(L1, "edge1", "");
    TestSocket pos = connect(L1, "pos1", "");
    TestSocket otherEdge = connect(L2, "edge2", "");
    welcome(edge);
    welcome(pos);
    welcome(otherEdge);

    assertThat(hub.trigger(L1, "olympus_edge", "high")).isEqualTo(1);
    assertThat(edge.next(2000))
        .containsEntry("type", "sync_trigger")
        .containsEntry("priority", "high");
    assertThat(pos.nextOrNull(200)).isNull();
    assertThat(otherEdge.nextOrNull(50)).isNull();
  }

  @Test
  void committed_manyChangesFast_everyConnectionGetsAllInOrderOnce() throws Exception {
    start(Duration.ofSeconds(30), 64);
    TestSocket a = connect(L1, "pos1", "");
    TestSocket b = connect(L1, "pos2", "");
    long start = num(welcome(a).get("latest_seq"));
    welcome(b);
    int n = 1000;
    for (int i = 0; i < n; i++) {
      write(L1, "orders", "o" + i, Map.of("status", "pending"));
    }
    for (TestSocket s : List.of(a, b)) {
      long prev = start;
      for (int i = 0; i < n; i++) {
        Map<String, Object> f = s.next(5000);
        assertThat(num(f.get("prev_seq"))).isEqualTo(prev);
        assertThat(num(f.get("seq"))).isGreaterThan(prev);
        prev = num(f.get("seq"));
      }
      assertThat(s.nextOrNull(100)).isNull();
    }
  }

  @Test
  void committed_reservedCollection_reachesEdgesOnlyAndPrevSeqStaysExact() throws Exception {
    start();
    TestSocket edge = connect(L1, "edge1", "");
    TestSocket pos = connect(L1, "pos1", "");
    long start = num(welcome(edge).get("latest_seq"));
    welcome(pos);
    long hidden = write(L1, "_devices", "pos7", Map.of("device_type", "pos_terminal"));
    assertThat(edge.next(2000)).containsEntry("collection", "_devices");
    long shown = write(L1, "orders", "o1", Map.of("status", "pending"));

    Map<String, Object> f = pos.next(2000);
    assertThat(f).containsEntry("id", "o1");
    assertThat(num(f.get("prev_seq"))).isEqualTo(start);
    assertThat(num(edge.next(2000).get("prev_seq"))).isEqualTo(hidden);
    assertThat(shown).isGreaterThan(hidden);
  }

  @Test
  void replay_sourceStoredTheAction_frameCarriesItInsteadOfCreated() throws Exception {
    start();
    source.write(L1, "orders", "o1", Map.of("status", "completed"), "completed");
    source.write(L1, "orders", "o2", Map.of("status", "pending"));
    TestSocket s = connect(L1, "pos1", "&since=0");
    welcome(s);
    assertThat(s.next(2000)).containsEntry("id", "o1").containsEntry("action", "completed");
    assertThat(s.next(2000)).containsEntry("id", "o2").containsEntry("action", "created");
  }
}
