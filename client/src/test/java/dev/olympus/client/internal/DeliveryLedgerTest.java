package dev.olympus.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryLedgerTest {
  @TempDir Path dir;

  private static final Map<String, Object> CONFIRMED = Map.of("status", "confirmed", "n", 7);

  @Test
  void alreadyDelivered_sameVersionOrOlder_isTrue_newerWithOtherContent_isFalse() throws Exception {
    try (DeliveryLedger l = DeliveryLedger.open(dir, 100)) {
      long confirmed = DeliveryLedger.contentDigest(CONFIRMED, false);
      l.recordDelivered("edge:e1", 1, "orders", "o1", 10, confirmed);

      assertThat(l.alreadyDelivered("orders", "o1", 10, confirmed)).isTrue();
      assertThat(l.alreadyDelivered("orders", "o1", 9, 42)).isTrue();
      long ready = DeliveryLedger.contentDigest(Map.of("status", "ready", "n", 7), false);
      assertThat(l.alreadyDelivered("orders", "o1", 11, ready)).isFalse();
      assertThat(l.alreadyDelivered("orders", "o2", 10, confirmed)).isFalse();
    }
  }

  @Test
  void alreadyDelivered_newerVersionWithTheContentLastDelivered_isTrueAlsoAfterAReopen()
      throws Exception {
    // One write seen through two tiers: committed by the edge (version 10), then retried to the
    // cloud, which applied it under a version of its own (11) with the same content.
    long confirmed = DeliveryLedger.contentDigest(CONFIRMED, false);
    try (DeliveryLedger l = DeliveryLedger.open(dir, 100)) {
      l.recordDelivered("edge:e1", 1, "orders", "o1", 10, confirmed);
      assertThat(l.alreadyDelivered("orders", "o1", 11, confirmed)).isTrue();
    }
    try (DeliveryLedger reopened = DeliveryLedger.open(dir, 100)) {
      assertThat(reopened.alreadyDelivered("orders", "o1", 11, confirmed)).isTrue();
      assertThat(
              reopened.alreadyDelivered(
                  "orders", "o1", 11, DeliveryLedger.contentDigest(CONFIRMED, true)))
          .as("the same data, deleted, is a change")
          .isFalse();
    }
  }

  @Test
  void contentDigest_sameDataInAnotherFieldOrder_isEqual_otherData_isNot() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("status", "confirmed");
    a.put("items", java.util.List.of(Map.of("sku", "b1", "qty", 2)));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("items", java.util.List.of(Map.of("qty", 2, "sku", "b1")));
    b.put("status", "confirmed");

    assertThat(DeliveryLedger.contentDigest(a, false))
        .isEqualTo(DeliveryLedger.contentDigest(b, false))
        .isNotEqualTo(DeliveryLedger.contentDigest(Map.of("status", "confirmed"), false))
        .isNotZero();
  }
}
