package dev.olympus.notify;

/** Delivers notifications of one channel; called on the delivery thread only. */
interface Sender {
  /**
   * One attempt.
   *
   * @param n the notification as it was before this attempt ({@code attempts} counts earlier
   *     attempts: more than zero means an earlier one may have reached the provider)
   */
  Delivery send(Notification n);
}
