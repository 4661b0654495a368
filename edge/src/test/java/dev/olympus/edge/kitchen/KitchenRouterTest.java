package dev.olympus.edge.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KitchenRouterTest {
  // Grill items print on the grill printer and show on the hot-line KDS; drinks go to the bar
  // printer in the dining room only; the expo device prints everything hot at the pass.
  static final Map<String, List<Map<String, Object>>> CONFIG =
      Map.of(
          "menu_items",
          List.of(
              Map.of("id", "burger", "name", "Burger", "price", "9.50", "print_class_id", "hot"),
              Map.of("id", "fries", "name", "Fries", "price", "3.00", "print_class_id", "hot"),
              Map.of("id", "beer", "name", "Beer", "price", "6.00", "print_class_id", "drinks"),
              Map.of("id", "gift", "name", "Gift card", "price", "25.00")),
          "print_class_routing",
          List.of(
              Map.of("print_class_id", "hot", "rvc_id", "dining", "order_device_id", "grill"),
              Map.of("print_class_id", "hot", "rvc_id", "dining", "order_device_id", "expo"),
              Map.of("print_class_id", "hot", "rvc_id", "drive", "order_device_id", "grill"),
              Map.of("print_class_id", "drinks", "rvc_id", "dining", "order_device_id", "bar")),
          "order_device_printers",
          List.of(
              Map.of("order_device_id", "grill", "printer_id", "p-grill"),
              Map.of("order_device_id", "expo", "printer_id", "p-expo"),
              Map.of("order_device_id", "expo", "printer_id", "p-grill"),
              Map.of("order_device_id", "bar", "printer_id", "p-bar")),
          "order_device_kds",
          List.of(Map.of("order_device_id", "grill", "kds_device_id", "kds-hot")));

  static final FiredItem BURGER = new FiredItem("l1", "burger", "Burger", 2, List.of(), null);
  static final FiredItem BEER = new FiredItem("l2", "beer", "Beer", 1, List.of(), null);
  static final FiredItem FRIES = new FiredItem("l3", "fries", "Fries", 1, List.of("Salt"), null);
  static final FiredItem GIFT = new FiredItem("l4", "gift", "Gift card", 1, List.of(), null);

  final KitchenRouter router = KitchenRouter.fromConfig(CONFIG);

  @Test
  void route_diningRoomOrder_sendsEachItemToItsPrintClassDevices() {
    KitchenRoutes routes = router.route("dining", List.of(BURGER, BEER, FRIES));

    assertThat(routes.printers().keySet()).containsExactly("p-bar", "p-expo", "p-grill");
    assertThat(routes.printers().get("p-grill")).containsExactly(BURGER, FRIES); // once each
    assertThat(routes.printers().get("p-expo")).containsExactly(BURGER, FRIES);
    assertThat(routes.printers().get("p-bar")).containsExactly(BEER);
    assertThat(routes.kdsDevices()).containsOnlyKeys("kds-hot");
    assertThat(routes.kdsDevices().get("kds-hot")).containsExactly(BURGER, FRIES);
    assertThat(routes.unrouted()).isEmpty();
  }

  @Test
  void route_dependsOnTheRevenueCentre() {
    KitchenRoutes routes = router.route("drive", List.of(BURGER, BEER));

    assertThat(routes.printers()).containsOnlyKeys("p-grill");
    assertThat(routes.printers().get("p-grill")).containsExactly(BURGER);
    assertThat(routes.unrouted()).containsExactly(BEER); // no drinks routing at the drive-through
  }

  @Test
  void route_itemWithoutPrintClassOrUnknownItem_isReportedUnrouted() {
    FiredItem ghost = new FiredItem("l9", "not-on-menu", null, 1, List.of(), null);

    KitchenRoutes routes = router.route("dining", List.of(GIFT, ghost));

    assertThat(routes.printers()).isEmpty();
    assertThat(routes.kdsDevices()).isEmpty();
    assertThat(routes.unrouted()).containsExactly(GIFT, ghost);
  }

  @Test
  void route_emptyConfig_routesNothing() {
    KitchenRoutes routes = KitchenRouter.fromConfig(Map.of()).route("dining", List.of(BURGER));

    assertThat(routes.unrouted()).containsExactly(BURGER);
  }

  @Test
  void firedItem_toTicketItem_keepsQuantityNameAndModifiers() {
    assertThat(FRIES.toTicketItem()).isEqualTo(new TicketItem(1, "Fries", List.of("Salt"), null));
  }
}
