package dev.olympus.edge.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.testing.ManualClock;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineAuthorizerTest {
  @TempDir Path dir;
  Database db;
  ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
  SettlementQueue queue;
  OfflineAuthorizer authorizer;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    queue = new SettlementQueue(db.jdbi());
    // 50.00 per card payment, 100.00 unsettled in all.
    authorizer = new OfflineAuthorizer(db.jdbi(), new OfflineCardPolicy(5_000, 10_000), clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void authorize_cash_alwaysWorksAndQueuesNothing() {
    authorizer.authorize(PaymentRequest.card("c1", "o", 5_000, "usd", "pm_card_visa"));
    authorizer.authorize(PaymentRequest.card("c2", "o", 5_000, "usd", "pm_card_visa"));

    Authorization a = authorizer.authorize(PaymentRequest.cash("cash-1", "o", 1_000_000));

    assertThat(a.approved()).isTrue();
    assertThat(a.code()).isEqualTo("cash");
    assertThat(a.queuedForSettlement()).isFalse();
    assertThat(queue.all()).hasSize(2);
  }

  @Test
  void authorize_cardUnderTheFloorLimit_isQueuedWithAKeyFromThePaymentId() {
    Authorization a =
        authorizer.authorize(PaymentRequest.card("pay-1", "order-1", 2_500, "usd", "pm_card_visa"));

    assertThat(a.approved()).isTrue();
    assertThat(a.code()).isEqualTo("offline_approved");
    SettlementEntry e = queue.find("pay-1").orElseThrow();
    assertThat(e.status()).isEqualTo(SettlementEntry.PENDING);
    assertThat(e.idempotencyKey()).isEqualTo(ChargeRequest.idempotencyKeyFor("pay-1"));
    assertThat(e.amountMinor()).isEqualTo(2_500);
    assertThat(e.createdAt()).isEqualTo(clock.millis());
  }

  @Test
  void authorize_cardOverTheFloorLimit_isRefusedWithTheLimit() {
    Authorization a =
        authorizer.authorize(PaymentRequest.card("pay-1", "o", 5_001, "usd", "pm_card_visa"));

    assertThat(a.approved()).isFalse();
    assertThat(a.code()).isEqualTo("over_floor_limit");
    assertThat(a.message()).contains("50.00").contains("50.01");
    assertThat(queue.all()).isEmpty();
  }

  @Test
  void authorize_pastTheOutageLimit_isRefusedUntilPaymentsSettle() {
    assertThat(authorizer.authorize(PaymentRequest.card("a", "o", 5_000, "usd", "pm_x")).approved())
        .isTrue();
    assertThat(authorizer.authorize(PaymentRequest.card("b", "o", 4_000, "usd", "pm_x")).approved())
        .isTrue();

    Authorization third = authorizer.authorize(PaymentRequest.card("c", "o", 1_001, "usd", "pm_x"));
    assertThat(third.approved()).isFalse();
    assertThat(third.code()).isEqualTo("over_outage_limit");
    assertThat(third.message()).contains("100.00").contains("90.00");
    assertThat(authorizer.authorize(PaymentRequest.card("d", "o", 1_000, "usd", "pm_x")).approved())
        .isTrue();

    // Once settled, payments no longer count against the outage budget.
    SettlementEntry a = queue.find("a").orElseThrow();
    queue.recordAnswer(
        a,
        new ChargeResult(
            ChargeResult.Outcome.APPROVED, "pi_1", "succeeded", null, null, null, 200, false),
        clock.millis(),
        SettlementListener.NONE);
    assertThat(authorizer.authorize(PaymentRequest.card("c", "o", 1_001, "usd", "pm_x")).approved())
        .isTrue();
  }

  @Test
  void authorize_cardWithoutStoredToken_isRefused() {
    Authorization a = authorizer.authorize(PaymentRequest.card("p", "o", 100, "usd", null));

    assertThat(a.approved()).isFalse();
    assertThat(a.code()).isEqualTo("no_stored_card");
  }

  @Test
  void paymentRequest_cardWithoutCurrency_isRefusedNamingIt() {
    assertThatThrownBy(() -> PaymentRequest.card("p", "o", 100, null, "pm_card_visa"))
        .hasMessageContaining("ISO 4217");
  }

  @Test
  void authorize_savedCard_keepsItsCustomerForSettlement() {
    authorizer.authorize(PaymentRequest.card("p", "o", 100, "usd", "pm_card_visa", "cus_7"));

    assertThat(queue.find("p").orElseThrow().toChargeRequest().customer()).isEqualTo("cus_7");
  }

  @Test
  void authorize_samePaymentAgain_isAnsweredAsBeforeAndQueuedOnce() {
    PaymentRequest p = PaymentRequest.card("pay-1", "o", 1_000, "usd", "pm_card_visa");
    authorizer.authorize(p);

    Authorization again = authorizer.authorize(p);
    Authorization other =
        authorizer.authorize(PaymentRequest.card("pay-1", "o", 2_000, "usd", "pm_card_visa"));

    assertThat(again.approved()).isTrue();
    assertThat(again.code()).isEqualTo("already_queued");
    assertThat(other.approved()).isFalse();
    assertThat(other.code()).isEqualTo("payment_id_reused");
    assertThat(queue.all()).hasSize(1);
  }

  @Test
  void authorize_concurrentTerminals_neverExceedTheOutageLimit() throws Exception {
    List<Future<Authorization>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 40; i++) {
        String id = "pay-" + i;
        results.add(
            pool.submit(
                () -> authorizer.authorize(PaymentRequest.card(id, "o", 700, "usd", "pm_x"))));
      }
    }
    long approved = 0;
    for (Future<Authorization> f : results) {
      approved += f.get().approved() ? 1 : 0;
    }

    assertThat(approved).isEqualTo(14); // 14 * 7.00 = 98.00 <= 100.00 < 15 * 7.00
    assertThat(queue.pendingTotal()).isEqualTo(9_800);
  }
}
