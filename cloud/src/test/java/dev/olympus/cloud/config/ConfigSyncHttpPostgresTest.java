package dev.olympus.cloud.config;

import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.HttpClientSupport;
import dev.olympus.cloud.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link ConfigSyncHttpTest} again, with the cloud on PostgreSQL. */
class ConfigSyncHttpPostgresTest extends ConfigSyncHttpTest {
  @BeforeAll
  static void start() {
    server = CloudServer.start(settings().withDbUrl(TestDatabases.postgresUrl()));
    http = new HttpClientSupport(server.port());
  }
}
