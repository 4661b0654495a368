package dev.olympus.edge.kitchen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;

/**
 * Turns a fired order's printer routes into queued print jobs: one ticket per printer with the
 * items routed there. Job ids are {@code fireId + "/" + printerId}, so firing the same order again
 * with the same fire id (a retried request) queues nothing new, while a deliberate re-fire uses a
 * new fire id.
 */
public final class FiredTickets {
  private FiredTickets() {}

  /**
   * Queues the tickets inside the caller's transaction (the one recording the fire).
   *
   * @param ticketFor the ticket for a printer id and the items routed to it (the caller adds the
   *     order number, type, table, station name …)
   * @return the ids of the jobs newly queued
   */
  public static List<String> enqueue(
      Handle h,
      String fireId,
      KitchenRoutes routes,
      BiFunction<String, List<TicketItem>, KitchenTicket> ticketFor,
      EscPosTicketEncoder encoder,
      long now) {
    List<String> queued = new ArrayList<>();
    for (Map.Entry<String, List<FiredItem>> route : routes.printers().entrySet()) {
      String printerId = route.getKey();
      List<TicketItem> items = route.getValue().stream().map(FiredItem::toTicketItem).toList();
      String jobId = fireId + "/" + printerId;
      byte[] bytes = encoder.encode(ticketFor.apply(printerId, items));
      if (PrintQueue.enqueue(h, jobId, printerId, bytes, now)) {
        queued.add(jobId);
      }
    }
    return queued;
  }
}
