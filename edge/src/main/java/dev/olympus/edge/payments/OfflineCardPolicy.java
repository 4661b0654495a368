package dev.olympus.edge.payments;

/**
 * How much card money the edge accepts without the processor, in minor units (cents).
 *
 * @param floorLimitMinor the most one card payment may be
 * @param outageLimitMinor the most all card payments not yet settled may add up to: the risk the
 *     restaurant takes during one outage (settled payments no longer count, so the budget refills
 *     as the queue drains)
 */
public record OfflineCardPolicy(long floorLimitMinor, long outageLimitMinor) {
  public OfflineCardPolicy {
    if (floorLimitMinor < 0 || outageLimitMinor < floorLimitMinor) {
      throw new IllegalArgumentException(
          "offline card limits need 0 <= floor limit <= outage limit, were "
              + floorLimitMinor
              + " and "
              + outageLimitMinor);
    }
  }
}
