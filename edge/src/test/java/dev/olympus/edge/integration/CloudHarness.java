package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.Json;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real cloud, in-process, on loopback. Started by reflection because the cloud module is built
 * in parallel with this one: these tests switch themselves on once {@code olympus-cloud} with
 * {@code dev.olympus.cloud.CloudServer} is installed, and are skipped before that.
 */
final class CloudHarness implements AutoCloseable {
  static final String ADMIN = "admin-token-for-edge-integration-tests";

  private final AutoCloseable server;
  final int port;

  private CloudHarness(AutoCloseable server, int port) {
    this.server = server;
    this.port = port;
  }

  static void assumeCloudAvailable() {
    try {
      Class.forName("dev.olympus.cloud.CloudServer");
    } catch (ClassNotFoundException e) {
      Assumptions.abort("olympus-cloud is not installed yet: cloud integration skipped");
    }
  }

  /** Starts a cloud on {@code dataDir} (port 0: any free port). */
  static CloudHarness start(Path dataDir, int port) throws Exception {
    assumeCloudAvailable();
    Class<?> settingsType = Class.forName("dev.olympus.cloud.CloudSettings");
    Object settings = settingsType.getMethod("defaults", Path.class).invoke(null, dataDir);
    settings = settingsType.getMethod("withHost", String.class).invoke(settings, "127.0.0.1");
    settings = settingsType.getMethod("withPort", int.class).invoke(settings, port);
    settings = settingsType.getMethod("withAdminToken", String.class).invoke(settings, ADMIN);
    Class<?> serverType = Class.forName("dev.olympus.cloud.CloudServer");
    AutoCloseable server =
        (AutoCloseable) serverType.getMethod("start", settingsType).invoke(null, settings);
    int actual = (int) serverType.getMethod("port").invoke(server);
    return new CloudHarness(server, actual);
  }

  /**
   * The running {@code dev.olympus.cloud.CloudServer}, for tests that read its store in-process.
   */
  Object server() {
    return server;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  String base() {
    return url().toString();
  }

  void createTenant(String tenant) throws Exception {
    admin("POST", "/api/v1/admin/tenants", Map.of("id", tenant, "name", "Tenant " + tenant));
  }

  void createLocation(String tenant, String location) throws Exception {
    admin(
        "POST",
        "/api/v1/admin/tenants/" + tenant + "/locations",
        Map.of("id", location, "name", "Location " + location));
  }

  /** Registers a device and returns its token. */
  String registerDevice(String tenant, String location, String deviceId, String type)
      throws Exception {
    JsonNode r =
        admin(
            "POST",
            "/api/v1/admin/tenants/" + tenant + "/locations/" + location + "/devices",
            Map.of("device_id", deviceId, "device_type", type));
    return r.get("token").asText();
  }

  /**
   * Creates tenant {@code t1} with location {@code loc-1} and registers its edge {@code edge-1}:
   * the settings of that edge, with its data in {@code edgeDir} (syncing only when told).
   */
  EdgeSettings edgeOfOneLocation(Path edgeDir) throws Exception {
    createTenant("t1");
    createLocation("t1", "loc-1");
    String token = registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
    return TestEdges.settings(edgeDir, url(), token, "loc-1").withDeviceId("edge-1");
  }

  JsonNode admin(String method, String path, Object body) throws Exception {
    var r = TestEdges.send(method, base() + path, ADMIN, body == null ? null : Json.write(body));
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return Json.MAPPER.readTree(r.body());
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
