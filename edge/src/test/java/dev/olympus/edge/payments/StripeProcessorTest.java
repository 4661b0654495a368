package dev.olympus.edge.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.edge.TestEdges;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StripeProcessorTest {
  FakeStripe stripe;
  StripeProcessor processor;

  @BeforeEach
  void start() throws Exception {
    stripe = new FakeStripe();
    processor = new StripeProcessor(stripe.url(), FakeStripe.SECRET_KEY, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    stripe.close();
  }

  @Test
  void charge_sendsStripesPaymentIntentRequest() throws Exception {
    ChargeResult result =
        processor.charge(ChargeRequest.of("pay-1", "order-7", 1250, "USD", "pm_card_visa"));

    FakeStripe.Received r = stripe.received().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/payment_intents");
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + FakeStripe.SECRET_KEY);
    assertThat(r.header("Idempotency-Key")).isEqualTo("olympus-payment-pay-1");
    assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(r.form())
        .containsEntry("amount", "1250")
        .containsEntry("currency", "usd")
        .containsEntry("payment_method", "pm_card_visa")
        .containsEntry("confirm", "true")
        .containsEntry("off_session", "true")
        .containsEntry("capture_method", "automatic")
        .containsEntry("payment_method_types[]", "card")
        .containsEntry("metadata[order_id]", "order-7")
        .containsEntry("metadata[payment_id]", "pay-1");
    assertThat(result.outcome()).isEqualTo(ChargeResult.Outcome.APPROVED);
    assertThat(result.processorRef()).startsWith("pi_");
    assertThat(result.status()).isEqualTo("succeeded");
    assertThat(result.replayed()).isFalse();
  }

  @Test
  void charge_cardSavedToACustomer_sendsTheCustomer() throws Exception {
    processor.charge(ChargeRequest.of("pay-9", "o", 100, "usd", "pm_card_visa", "cus_42"));

    assertThat(stripe.received().get(0).form()).containsEntry("customer", "cus_42");
  }

  @Test
  void formBody_keepsStripesBracketsAndEncodesValues() {
    String body =
        StripeProcessor.formBody(ChargeRequest.of("p 1", "o&1", 5, "eur", "pm_card_visa"));

    assertThat(body)
        .startsWith("amount=5&currency=eur&payment_method=pm_card_visa&payment_method_types[]=card")
        .contains("metadata[order_id]=o%261")
        .contains("metadata[payment_id]=p+1");
  }

  @Test
  void charge_manualCapture_isApprovedAsRequiresCapture() throws Exception {
    ChargeRequest manual =
        new ChargeRequest(
            "pay-2",
            "o",
            900,
            "usd",
            "pm_card_visa",
            null,
            ChargeRequest.CaptureMethod.MANUAL,
            ChargeRequest.idempotencyKeyFor("pay-2"));

    ChargeResult result = processor.charge(manual);

    assertThat(stripe.received().get(0).form()).containsEntry("capture_method", "manual");
    assertThat(result.approved()).isTrue();
    assertThat(result.status()).isEqualTo("requires_capture");
  }

  @Test
  void charge_declinedCard_isDeclinedWithStripesCodesAndMessage() throws Exception {
    ChargeResult result =
        processor.charge(
            ChargeRequest.of("pay-3", "o", 500, "usd", "pm_card_chargeDeclinedInsufficientFunds"));

    assertThat(result.outcome()).isEqualTo(ChargeResult.Outcome.DECLINED);
    assertThat(result.httpStatus()).isEqualTo(402);
    assertThat(result.status()).isEqualTo("card_error");
    assertThat(result.code()).isEqualTo("card_declined");
    assertThat(result.declineCode()).isEqualTo("insufficient_funds");
    assertThat(result.message()).isEqualTo("Your card has insufficient funds.");
    assertThat(result.processorRef()).startsWith("pi_");
  }

  @Test
  void charge_unknownPaymentMethod_isRejectedNotRetried() throws Exception {
    ChargeResult result = processor.charge(ChargeRequest.of("pay-4", "o", 500, "usd", "pm_gone"));

    assertThat(result.outcome()).isEqualTo(ChargeResult.Outcome.REJECTED);
    assertThat(result.code()).isEqualTo("resource_missing");
    assertThat(result.message()).contains("pm_gone");
  }

  @Test
  void charge_sameIdempotencyKeyTwice_isChargedOnceAndReplayed() throws Exception {
    ChargeRequest request = ChargeRequest.of("pay-5", "o", 700, "usd", "pm_card_visa");

    ChargeResult first = processor.charge(request);
    ChargeResult second = processor.charge(request);

    assertThat(second.processorRef()).isEqualTo(first.processorRef());
    assertThat(second.replayed()).isTrue();
    assertThat(stripe.charges()).isEqualTo(1);
  }

  @Test
  void charge_sameKeyWithOtherParameters_isRejectedAsStripeDoes() throws Exception {
    processor.charge(ChargeRequest.of("pay-6", "o", 700, "usd", "pm_card_visa"));

    ChargeResult other =
        processor.charge(ChargeRequest.of("pay-6", "o", 800, "usd", "pm_card_visa"));

    assertThat(other.outcome()).isEqualTo(ChargeResult.Outcome.REJECTED);
    assertThat(other.status()).isEqualTo("idempotency_error");
    assertThat(stripe.charges()).isEqualTo(1);
  }

  @Test
  void charge_wrongKey_isUnavailableAndSaysToCheckTheKey() {
    StripeProcessor wrong =
        new StripeProcessor(stripe.url(), "sk_test_wrong", Duration.ofSeconds(5));

    assertThatThrownBy(() -> wrong.charge(ChargeRequest.of("p", "o", 1, "usd", "pm_card_visa")))
        .isInstanceOf(ProcessorUnavailableException.class)
        .hasMessageContaining("401")
        .hasMessageContaining("secret key");
  }

  @Test
  void charge_droppedConnectionOrDeadHost_isUnavailable() {
    stripe.setDown(true);
    assertThatThrownBy(() -> processor.charge(ChargeRequest.of("p", "o", 1, "usd", "pm_card_visa")))
        .isInstanceOf(ProcessorUnavailableException.class)
        .hasMessageContaining("payment p");

    StripeProcessor dead =
        new StripeProcessor(TestEdges.DEAD_CLOUD, FakeStripe.SECRET_KEY, Duration.ofSeconds(2));
    assertThatThrownBy(() -> dead.charge(ChargeRequest.of("p", "o", 1, "usd", "pm_card_visa")))
        .isInstanceOf(ProcessorUnavailableException.class);
    assertThat(stripe.charges()).isZero();
  }

  @Test
  void constructor_publishableKey_isRefused() {
    assertThatThrownBy(() -> new StripeProcessor(stripe.url(), "pk_test_x", Duration.ofSeconds(1)))
        .hasMessageContaining("publishable");
  }
}
