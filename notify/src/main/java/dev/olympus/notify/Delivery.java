package dev.olympus.notify;

/** How one attempt to deliver a notification went. */
sealed interface Delivery {
  /** Delivered; {@code providerId} is what the provider calls the message. */
  record Sent(String providerId) implements Delivery {}

  /** Not delivered this time, worth trying again later (a provider 5xx, a timeout). */
  record Retry(String error) implements Delivery {}

  /** Not delivered and never will be (a rejected number, a 4xx): marked failed at once. */
  record Failed(String error) implements Delivery {}
}
