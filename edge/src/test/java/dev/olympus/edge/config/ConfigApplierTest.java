package dev.olympus.edge.config;

import static dev.olympus.edge.config.ConfigFixtures.delete;
import static dev.olympus.edge.config.ConfigFixtures.delta;
import static dev.olympus.edge.config.ConfigFixtures.payload;
import static dev.olympus.edge.config.ConfigFixtures.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigApplierTest {
  static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

  @TempDir Path dir;
  Database db;
  ConfigApplier applier;
  ConfigCache cache;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, TestEdges.API_KEY, ConfigFixtures.PROPERTY);
    applier =
        new ConfigApplier(db.jdbi(), ConfigFixtures.PROPERTY, Clock.fixed(T0, ZoneOffset.UTC));
    cache = new ConfigCache(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void applyFull_emptyCache_storesEveryEntityAndTheVersionInTheEncryptedDatabase()
      throws Exception {
    applier.applyFull(payload(7));

    assertThat(cache.version()).isEqualTo(7);
    assertThat(cache.list("employees"))
        .extracting(ConfigEntity::id)
        .containsExactly("emp-1", "emp-2");
    assertThat(cache.find("menu_items", "mi-1").orElseThrow().text("name")).contains("Burger");
    assertThat(cache.property().orElseThrow().id()).isEqualTo("loc-1");
    assertThat(cache.enterprise().orElseThrow().text("name")).contains("Olympus Burgers");
    ConfigSyncState s = cache.state().orElseThrow();
    assertThat(s.lastSyncAt()).isEqualTo(T0);
    assertThat(s.lastFullSyncAt()).isEqualTo(T0);
    assertThat(s.status()).isEqualTo(SyncStatus.SYNCED);
    // Encrypted at rest: the PIN hash is nowhere in the clear, neither in the database file nor
    // in its WAL, where a fresh write still is.
    List<Path> files;
    try (var listing = Files.list(dir)) {
      files =
          listing
              .filter(f -> f.getFileName().toString().startsWith(EdgeDatabase.FILE_NAME))
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    for (Path f : files) {
      assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
          .as("%s in the clear", f.getFileName())
          .doesNotContain("Lovelace")
          .doesNotContain("$2a$")
          .doesNotStartWith("SQLite format 3");
    }
  }

  @Test
  void listBy_aField_findsTheEntitiesThatPointAtAnother() {
    applier.applyFull(payload(7));

    assertThat(cache.listBy("employees", "role_id", "role-mgr"))
        .extracting(ConfigEntity::id)
        .containsExactly("emp-1", "emp-2");
    assertThat(cache.listBy("menu_items", "slu_id", "slu-404")).isEmpty();
    assertThatThrownBy(() -> cache.listBy("menu_items", "x') OR 1=1 --", "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void applyFull_again_replacesTheCacheEntitiesMissingFromTheNewSnapshotAreGone() {
    applier.applyFull(payload(7));
    var smaller =
        new dev.olympus.core.config.FullSyncPayload(
            9,
            "2026-11-22T01:00:00Z",
            "loc-1",
            Map.of("id", "t1", "name", "Olympus Burgers"),
            Map.of("id", "loc-1", "name", "Downtown"),
            Map.of("menu_items", List.of(Map.of("id", "mi-9", "name", "Shake", "price", 4))));

    applier.applyFull(smaller);

    assertThat(cache.version()).isEqualTo(9);
    assertThat(cache.list("menu_items")).extracting(ConfigEntity::id).containsExactly("mi-9");
    assertThat(cache.count("employees")).isZero();
  }

  @Test
  void applyDelta_atItsFromVersion_upsertsAndDeletesAndMovesTheVersion() throws Exception {
    applier.applyFull(payload(7));

    applier.applyDelta(
        delta(
            7,
            9,
            upsert("menu_items", "mi-1", Map.of("name", "Cheeseburger", "price", 10.5)),
            upsert("menu_items", "mi-3", Map.of("name", "Salad", "price", 7)),
            delete("menu_items", "mi-2")));

    assertThat(cache.version()).isEqualTo(9);
    assertThat(cache.find("menu_items", "mi-1").orElseThrow().text("name"))
        .contains("Cheeseburger");
    assertThat(cache.list("menu_items"))
        .extracting(ConfigEntity::id)
        .containsExactly("mi-1", "mi-3");
    assertThat(cache.state().orElseThrow().lastFullSyncAt()).isEqualTo(T0);
  }

  @Test
  void applyDelta_fromAnotherVersion_isRefusedAndChangesNothing() {
    applier.applyFull(payload(7));

    assertThatThrownBy(
            () ->
                applier.applyDelta(delta(5, 8, upsert("menu_items", "mi-1", Map.of("name", "X")))))
        .isInstanceOf(ConfigApplier.VersionMismatchException.class)
        .hasMessageContaining("at version 7")
        .hasMessageContaining("starts at 5");
    assertThat(cache.version()).isEqualTo(7);
    assertThat(cache.find("menu_items", "mi-1").orElseThrow().text("name")).contains("Burger");
  }

  @Test
  void applyDelta_onAnEmptyCache_asksForAFullSync() {
    assertThatThrownBy(() -> applier.applyDelta(delta(0, 1)))
        .isInstanceOf(ConfigApplier.VersionMismatchException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void applyDelta_withAChangeThatCannotBeApplied_keepsTheOldConfigAndVersion() {
    applier.applyFull(payload(7));

    // The third change carries another entity's data: found after two good ones.
    assertThatThrownBy(
            () ->
                applier.applyDelta(
                    delta(
                        7,
                        10,
                        upsert("menu_items", "mi-1", Map.of("name", "Cheeseburger")),
                        delete("employees", "emp-1"),
                        upsert("menu_items", "mi-2", Map.of("id", "mi-999", "name", "Bad")))))
        .isInstanceOf(ConfigApplier.ApplyException.class)
        .hasMessageContaining("mi-999");

    assertThat(cache.version()).isEqualTo(7);
    assertThat(cache.find("menu_items", "mi-1").orElseThrow().text("name")).contains("Burger");
    assertThat(cache.find("employees", "emp-1")).isPresent();
  }

  @Test
  void applyDelta_failingAfterItsRowsAreWritten_rollsEverythingBack() {
    applier.applyFull(payload(7));
    applier.afterRowsWritten(
        rows -> {
          throw new IllegalStateException("disk full after " + rows + " rows (injected)");
        });

    assertThatThrownBy(
            () ->
                applier.applyDelta(
                    delta(
                        7,
                        8,
                        upsert("menu_items", "mi-1", Map.of("name", "Cheeseburger")),
                        delete("employees", "emp-1"))))
        .hasMessageContaining("injected");

    assertThat(cache.version()).isEqualTo(7);
    assertThat(cache.find("menu_items", "mi-1").orElseThrow().text("name")).contains("Burger");
    assertThat(cache.find("employees", "emp-1")).isPresent();
  }

  @Test
  void applyFull_failingAfterItsRowsAreWritten_keepsTheOldSnapshot() {
    applier.applyFull(payload(7));
    applier.afterRowsWritten(
        rows -> {
          throw new IllegalStateException("injected after " + rows + " rows");
        });

    assertThatThrownBy(() -> applier.applyFull(payload(12))).hasMessageContaining("injected");

    assertThat(cache.version()).isEqualTo(7);
    assertThat(cache.count("employees")).isEqualTo(2);
  }

  @Test
  void applyFull_ofAnotherProperty_isRefused() {
    var other =
        new dev.olympus.core.config.FullSyncPayload(
            3,
            "2026-11-22T01:00:00Z",
            "loc-2",
            Map.of("id", "t1"),
            Map.of("id", "loc-2"),
            Map.of());

    assertThatThrownBy(() -> applier.applyFull(other))
        .isInstanceOf(ConfigApplier.ApplyException.class)
        .hasMessageContaining("'loc-2'")
        .hasMessageContaining("'loc-1'");
    assertThat(cache.state()).isEmpty();
  }
}
