package dev.olympus.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncConfigTest {
  private static final Map<String, CollectionPolicy> NO_TABLES = Map.of();

  @Test
  void defaults_listedCollections_haveIssuePrioritiesAndStrategies() {
    SyncConfig d = SyncConfig.defaults();

    assertThat(d.policyFor("payments"))
        .isEqualTo(new CollectionPolicy(Priority.CRITICAL, Strategy.APPEND_ONLY));
    assertThat(d.policyFor("orders"))
        .isEqualTo(new CollectionPolicy(Priority.HIGH, Strategy.custom("orders")));
    assertThat(d.policyFor("time_punches"))
        .isEqualTo(new CollectionPolicy(Priority.HIGH, Strategy.MERGE));
    assertThat(d.policyFor("inventory_movements"))
        .isEqualTo(new CollectionPolicy(Priority.NORMAL, Strategy.APPEND_ONLY));
    assertThat(d.policyFor("tables"))
        .isEqualTo(new CollectionPolicy(Priority.NORMAL, Strategy.LAST_WRITE_WINS));
    assertThat(d.policyFor("menu_items"))
        .isEqualTo(new CollectionPolicy(Priority.LOW, Strategy.SERVER_WINS));
    assertThat(d.policyFor("payment_settlements"))
        .isEqualTo(new CollectionPolicy(Priority.CRITICAL, Strategy.LAST_WRITE_WINS));
    assertThat(d.policyFor("inventory_counts"))
        .isEqualTo(new CollectionPolicy(Priority.NORMAL, Strategy.SERVER_WINS));
    assertThat(d.policyFor("inventory_alerts"))
        .isEqualTo(new CollectionPolicy(Priority.NORMAL, Strategy.LAST_WRITE_WINS));
    assertThat(d.policyFor("kitchen_tickets"))
        .isEqualTo(new CollectionPolicy(Priority.LOW, Strategy.LAST_WRITE_WINS));
    assertThat(d.tables()).hasSize(10);
  }

  @Test
  void defaults_unlistedCollection_isNormalLastWriteWins() {
    assertThat(SyncConfig.defaults().policyFor("customers"))
        .isEqualTo(new CollectionPolicy(Priority.NORMAL, Strategy.LAST_WRITE_WINS));
  }

  @Test
  void defaults_scalarSettings_areValid() {
    SyncConfig d = SyncConfig.defaults();

    assertThat(d.intervalSeconds()).isEqualTo(30);
    assertThat(d.batchSize()).isEqualTo(100);
    assertThat(d.retryAttempts()).isEqualTo(3);
    assertThat(d.conflictStrategy()).isEqualTo(Strategy.LAST_WRITE_WINS);
  }

  @Test
  void policyFor_unlistedCollection_usesConfiguredDefaultStrategy() {
    SyncConfig c = new SyncConfig(10, 50, 3, Strategy.SERVER_WINS, NO_TABLES);

    assertThat(c.policyFor("anything"))
        .isEqualTo(new CollectionPolicy(Priority.NORMAL, Strategy.SERVER_WINS));
  }

  @Test
  void constructor_intervalOutOfRange_throwsNamingValue() {
    assertThatThrownBy(() -> new SyncConfig(0, 100, 5, Strategy.MERGE, NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval_seconds")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> new SyncConfig(86_401, 100, 5, Strategy.MERGE, NO_TABLES))
        .hasMessageContaining("was 86401");
  }

  @Test
  void constructor_batchSizeOutOfRange_throwsNamingValue() {
    assertThatThrownBy(() -> new SyncConfig(30, 0, 5, Strategy.MERGE, NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch_size")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> new SyncConfig(30, 10_001, 5, Strategy.MERGE, NO_TABLES))
        .hasMessageContaining("was 10001");
    assertThat(new SyncConfig(30, 10_000, 5, Strategy.MERGE, NO_TABLES).batchSize())
        .isEqualTo(10_000);
  }

  @Test
  void constructor_retryAttemptsOutOfRange_throwsNamingValue() {
    assertThatThrownBy(() -> new SyncConfig(30, 100, 0, Strategy.MERGE, NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry_attempts")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> new SyncConfig(30, 100, 101, Strategy.MERGE, NO_TABLES))
        .hasMessageContaining("was 101");
  }

  @Test
  void constructor_missingOrAppendOnlyDefaultStrategy_throws() {
    assertThatThrownBy(() -> new SyncConfig(30, 100, 5, null, NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conflict_strategy is missing");
    assertThatThrownBy(() -> new SyncConfig(30, 100, 5, Strategy.APPEND_ONLY, NO_TABLES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("append_only")
        .hasMessageContaining("per table");
  }

  @Test
  void constructor_badCollectionName_throwsNamingIt() {
    Map<String, CollectionPolicy> tables =
        Map.of("Orders-2", new CollectionPolicy(Priority.HIGH, Strategy.MERGE));

    assertThatThrownBy(() -> new SyncConfig(30, 100, 5, Strategy.MERGE, tables))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Orders-2'");
  }

  @Test
  void constructor_nullPolicy_throwsIllegalArgumentNamingTable() {
    Map<String, CollectionPolicy> tables = new HashMap<>();
    tables.put("orders", null);

    // Regression: Map.copyOf used to throw a bare NullPointerException before the check ran.
    assertThatThrownBy(() -> new SyncConfig(30, 100, 5, Strategy.MERGE, tables))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tables.orders is null");
  }

  @Test
  void constructor_nullTables_meansNone() {
    SyncConfig c = new SyncConfig(30, 100, 5, Strategy.MERGE, null);

    assertThat(c.tables()).isEmpty();
  }

  @Test
  void constructor_tables_areCopiedImmutably() {
    Map<String, CollectionPolicy> tables = new HashMap<>();
    tables.put("orders", new CollectionPolicy(Priority.HIGH, Strategy.MERGE));
    SyncConfig c = new SyncConfig(30, 100, 5, Strategy.MERGE, tables);
    tables.clear();

    assertThat(c.tables()).containsKey("orders");
    assertThatThrownBy(() -> c.tables().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withBatchSizeAndInterval_changeOnlyThatSetting() {
    SyncConfig d = SyncConfig.defaults();

    assertThat(d.withBatchSize(7).batchSize()).isEqualTo(7);
    assertThat(d.withBatchSize(7).tables()).isEqualTo(d.tables());
    assertThat(d.withIntervalSeconds(5).intervalSeconds()).isEqualTo(5);
    assertThatThrownBy(() -> d.withBatchSize(0)).hasMessageContaining("was 0");
  }
}
