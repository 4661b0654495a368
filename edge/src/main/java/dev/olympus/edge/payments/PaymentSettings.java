package dev.olympus.edge.payments;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the edge takes card payments: the offline limits and the processor it settles through.
 *
 * @param floorLimitMinor the most one card payment (amount plus tip) may be, in cents
 * @param outageLimitMinor the most all card payments not yet settled may add up to, in cents
 * @param stripeSecretKey the Stripe key ({@code sk_…} or a restricted {@code rk_…}) to settle with;
 *     null: card payments are accepted and queued, and wait until a key is provisioned. Never
 *     synced, never logged ({@link #toString()} leaves it out).
 * @param stripeUrl Stripe's API, or a test server
 * @param settleInterval how often queued payments are retried when nothing wakes the settler
 */
public record PaymentSettings(
    long floorLimitMinor,
    long outageLimitMinor,
    String stripeSecretKey,
    URI stripeUrl,
    Duration settleInterval) {
  /** 50.00 per card payment while the processor is unreachable. */
  public static final long DEFAULT_FLOOR_LIMIT_MINOR = 5_000;

  /** 500.00 of card payments waiting for settlement at most. */
  public static final long DEFAULT_OUTAGE_LIMIT_MINOR = 50_000;

  public static final Duration DEFAULT_SETTLE_INTERVAL = Duration.ofSeconds(30);

  public PaymentSettings {
    Objects.requireNonNull(stripeUrl, "stripeUrl");
    Objects.requireNonNull(settleInterval, "settleInterval");
    new OfflineCardPolicy(floorLimitMinor, outageLimitMinor); // checks the limits
    if (stripeSecretKey != null && stripeSecretKey.isBlank()) {
      stripeSecretKey = null;
    }
    if (stripeSecretKey != null
        && !(stripeSecretKey.startsWith("sk_") || stripeSecretKey.startsWith("rk_"))) {
      throw new IllegalArgumentException(
          "the Stripe key must be a secret (sk_…) or restricted (rk_…) key; a publishable pk_ key"
              + " cannot charge");
    }
    if (settleInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "settle interval must be at least 10 ms, was " + settleInterval);
    }
  }

  /** 50.00 per payment, 500.00 in all, no Stripe key, Stripe's API, a pass every 30 s. */
  public static PaymentSettings defaults() {
    return new PaymentSettings(
        DEFAULT_FLOOR_LIMIT_MINOR,
        DEFAULT_OUTAGE_LIMIT_MINOR,
        null,
        StripeProcessor.STRIPE_API,
        DEFAULT_SETTLE_INTERVAL);
  }

  public OfflineCardPolicy policy() {
    return new OfflineCardPolicy(floorLimitMinor, outageLimitMinor);
  }

  /** Whether queued card payments can be settled (a Stripe key is provisioned). */
  public boolean settles() {
    return stripeSecretKey != null;
  }

  public PaymentSettings withLimits(long floorMinor, long outageMinor) {
    return new PaymentSettings(floorMinor, outageMinor, stripeSecretKey, stripeUrl, settleInterval);
  }

  public PaymentSettings withStripe(String secretKey, URI url) {
    return new PaymentSettings(floorLimitMinor, outageLimitMinor, secretKey, url, settleInterval);
  }

  public PaymentSettings withSettleInterval(Duration interval) {
    return new PaymentSettings(
        floorLimitMinor, outageLimitMinor, stripeSecretKey, stripeUrl, interval);
  }

  /** Without the key: settings get logged, credentials must not be. */
  @Override
  public String toString() {
    return "PaymentSettings[floorLimitMinor="
        + floorLimitMinor
        + ", outageLimitMinor="
        + outageLimitMinor
        + ", stripeSecretKey="
        + (stripeSecretKey == null ? "(none)" : "(set)")
        + ", stripeUrl="
        + stripeUrl
        + ", settleInterval="
        + settleInterval
        + "]";
  }
}
