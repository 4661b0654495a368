package dev.olympus.cloud;

import org.junit.jupiter.api.BeforeAll;

/** Every HTTP test of {@link CloudHttpTest} again, with the cloud on PostgreSQL. */
class CloudHttpPostgresTest extends CloudHttpTest {
  @BeforeAll
  static void start() {
    server =
        CloudServer.start(
            CloudSettings.defaults(dataDir)
                .withHost("127.0.0.1")
                .withDbUrl(TestDatabases.postgresUrl())
                .withAdminToken(ADMIN)
                .withMaxBodyBytes(MAX_BODY));
    http = new HttpClientSupport(server.port());
  }
}
