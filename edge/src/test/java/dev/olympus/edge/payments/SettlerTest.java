package dev.olympus.edge.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.syncer.Backoff;
import dev.olympus.edge.testing.ManualClock;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettlerTest {
  @TempDir Path dir;
  Database db;
  FakeStripe stripe;
  StripeProcessor stripeProcessor;
  ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
  SettlementQueue queue;
  OfflineAuthorizer authorizer;

  @BeforeEach
  void open() throws Exception {
    stripe = new FakeStripe();
    stripeProcessor =
        new StripeProcessor(stripe.url(), FakeStripe.SECRET_KEY, Duration.ofSeconds(5));
    openDatabase();
  }

  /** Opens (or re-opens, as after a restart) the edge's database. */
  void openDatabase() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    queue = new SettlementQueue(db.jdbi());
    authorizer = new OfflineAuthorizer(db.jdbi(), new OfflineCardPolicy(10_000, 100_000), clock);
  }

  @AfterEach
  void close() {
    db.close();
    stripe.close();
  }

  Settler settler(CardProcessor processor) {
    return settler(processor, SettlementListener.NONE);
  }

  Settler settler(CardProcessor processor, SettlementListener listener) {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random(7));
    return new Settler(queue, processor, backoff, clock, listener);
  }

  void takeOffline(String paymentId, long amount, String card) {
    assertThat(
            authorizer
                .authorize(
                    PaymentRequest.card(paymentId, "order-" + paymentId, amount, "usd", card))
                .approved())
        .isTrue();
    clock.advance(Duration.ofMillis(10));
  }

  @Test
  void settleDue_settlesOldestFirstAndRecordsTheProcessorsAnswer() {
    takeOffline("p1", 1_000, "pm_card_visa");
    takeOffline("p2", 2_000, "pm_card_visa");
    takeOffline("p3", 3_000, "pm_card_visa");

    Settler.Pass pass = settler(stripeProcessor).settleDue();

    assertThat(pass.settled()).isEqualTo(3);
    assertThat(stripe.received())
        .extracting(r -> r.form().get("metadata[payment_id]"))
        .containsExactly("p1", "p2", "p3");
    assertThat(queue.all())
        .allSatisfy(
            e -> {
              assertThat(e.status()).isEqualTo(SettlementEntry.SETTLED);
              assertThat(e.processorRef()).startsWith("pi_");
              assertThat(e.processorStatus()).isEqualTo("succeeded");
            });
    assertThat(stripe.charges()).isEqualTo(3);
  }

  @Test
  void orderVoidedWhileItsChargeIsOnTheWay_theChargeIsStillRecordedAsSettled() {
    takeOffline("p1", 4_200, "pm_card_visa");
    // The void cancels the entry while the processor is charging the card.
    CardProcessor voidedMeanwhile =
        request -> {
          ChargeResult charged = stripeProcessor.charge(request);
          db.jdbi().useHandle(h -> SettlementQueue.cancel(h, "p1", "order voided", clock.millis()));
          return charged;
        };
    List<SettlementEntry> answered = new java.util.ArrayList<>();

    Settler.Pass pass =
        settler(voidedMeanwhile, (h, entry, result) -> answered.add(entry)).settleDue();

    assertThat(pass.settled()).isEqualTo(1);
    assertThat(stripe.charges()).isEqualTo(1);
    assertThat(queue.find("p1").orElseThrow().status())
        .as("the money moved, so the books say settled (and the log says refund it)")
        .isEqualTo(SettlementEntry.SETTLED);
    assertThat(answered).extracting(SettlementEntry::paymentId).containsExactly("p1");
  }

  @Test
  void crashBetweenTheProcessorsAnswerAndTheLocalCommit_isNotChargedTwice() {
    takeOffline("p1", 4_200, "pm_card_visa");
    // The edge dies right after Stripe charged the card, before the answer is committed.
    CardProcessor crashesAfterCharging =
        request -> {
          stripeProcessor.charge(request);
          throw new IllegalStateException("power cut");
        };
    assertThatThrownBy(() -> settler(crashesAfterCharging).settleDue()).hasMessage("power cut");
    assertThat(queue.find("p1").orElseThrow().status()).isEqualTo(SettlementEntry.PENDING);

    // Restart: a new process opens the same database and settles again.
    db.close();
    openDatabase();
    Settler.Pass pass = settler(stripeProcessor).settleDue();

    assertThat(pass.settled()).isEqualTo(1);
    List<FakeStripe.Received> sent = stripe.received();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).header("Idempotency-Key"))
        .isEqualTo(sent.get(0).header("Idempotency-Key"))
        .isEqualTo(ChargeRequest.idempotencyKeyFor("p1"));
    assertThat(stripe.charges()).isEqualTo(1);
    SettlementEntry settled = queue.find("p1").orElseThrow();
    assertThat(settled.status()).isEqualTo(SettlementEntry.SETTLED);
    assertThat(settled.processorRef()).isEqualTo("pi_fake1");
  }

  @Test
  void listenerFailure_rollsTheAnswerBackAndTheRetryIsReplayedNotRecharged() {
    takeOffline("p1", 1_500, "pm_card_visa");
    SettlementListener failing =
        (h, entry, result) -> {
          h.execute("UPDATE card_settlements SET message = 'half-written' WHERE payment_id = 'p1'");
          throw new IllegalStateException("payment record write failed");
        };
    assertThatThrownBy(() -> settler(stripeProcessor, failing).settleDue())
        .hasMessageContaining("payment record write failed");
    SettlementEntry after = queue.find("p1").orElseThrow();
    assertThat(after.status()).isEqualTo(SettlementEntry.PENDING);
    assertThat(after.message()).isNull();

    settler(stripeProcessor).settleDue();

    assertThat(queue.find("p1").orElseThrow().status()).isEqualTo(SettlementEntry.SETTLED);
    assertThat(stripe.charges()).isEqualTo(1);
  }

  @Test
  void declinedCard_isMarkedDeclinedWithTheMessageAndNotRetried() {
    takeOffline("p1", 1_000, "pm_card_chargeDeclined");
    takeOffline("p2", 1_000, "pm_card_visa");
    Settler settler = settler(stripeProcessor);

    Settler.Pass pass = settler.settleDue();
    clock.advance(Duration.ofHours(1));
    settler.settleDue();

    assertThat(pass.declined()).isEqualTo(1);
    assertThat(pass.settled()).isEqualTo(1);
    SettlementEntry declined = queue.find("p1").orElseThrow();
    assertThat(declined.status()).isEqualTo(SettlementEntry.DECLINED);
    assertThat(declined.message()).isEqualTo("Your card was declined.");
    assertThat(declined.declineCode()).isEqualTo("generic_decline");
    assertThat(stripe.received()).hasSize(2);
  }

  @Test
  void networkDown_backsOffKeepingTheOrderThenSettlesWhenBack() {
    takeOffline("p1", 1_000, "pm_card_visa");
    takeOffline("p2", 1_000, "pm_card_visa");
    Settler settler = settler(stripeProcessor);
    stripe.setDown(true);

    Settler.Pass down = settler.settleDue();

    assertThat(down.processorUnavailable()).isTrue();
    SettlementEntry head = queue.find("p1").orElseThrow();
    assertThat(head.attempts()).isEqualTo(1);
    assertThat(head.lastError()).contains("p1");
    assertThat(head.nextAttemptAt()).isGreaterThan(clock.millis());
    assertThat(stripe.received()).hasSize(1); // p2 waits behind p1

    stripe.setDown(false);
    settler.settleDue(); // still backing off: nothing sent
    assertThat(stripe.received()).hasSize(1);

    clock.advance(Duration.ofSeconds(2));
    Settler.Pass back = settler.settleDue();

    assertThat(back.settled()).isEqualTo(2);
    assertThat(stripe.received())
        .extracting(r -> r.form().get("metadata[payment_id]"))
        .containsExactly("p1", "p1", "p2");
    assertThat(stripe.charges()).isEqualTo(2);
  }

  @Test
  void retryNow_afterTheLinkCameBack_settlesWithoutWaitingOutTheBackoff() {
    takeOffline("p1", 1_000, "pm_card_visa");
    Settler settler = settler(stripeProcessor);
    stripe.setDown(true);
    settler.settleDue();
    settler.settleDue();
    settler.settleDue();
    assertThat(queue.find("p1").orElseThrow().nextAttemptAt()).isGreaterThan(clock.millis());

    stripe.setDown(false);
    settler.retryNow(); // the edge's link is back: no waiting out a backoff of up to 5 minutes
    Settler.Pass back = settler.settleDue();

    assertThat(back.settled()).isEqualTo(1);
    assertThat(queue.find("p1").orElseThrow().status()).isEqualTo(SettlementEntry.SETTLED);
    assertThat(stripe.charges()).isEqualTo(1);
  }

  @Test
  void start_settlesInTheBackgroundWhenWoken() {
    try (Settler settler = settler(stripeProcessor)) {
      settler.start(Duration.ofHours(1));
      takeOffline("p1", 1_000, "pm_card_visa");

      settler.wake();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> queue.find("p1").orElseThrow().status().equals(SettlementEntry.SETTLED));
    }
  }
}
