package dev.olympus.cloud.iot;

import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.cloud.HttpClientSupport;
import dev.olympus.cloud.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link IotHttpTest} again, with the cloud on PostgreSQL. */
class IotHttpPostgresTest extends IotHttpTest {
  @BeforeAll
  static void start() {
    server =
        CloudServer.start(
            CloudSettings.defaults(dataDir)
                .withHost("127.0.0.1")
                .withDbUrl(TestDatabases.postgresUrl())
                .withAdminToken(ADMIN)
                .withMaxBodyBytes(MAX_BODY)
                .withIot(IotSettings.defaults().withBatchLimits(64 * 1024, 256 * 1024)));
    http = new HttpClientSupport(server.port());
  }
}
