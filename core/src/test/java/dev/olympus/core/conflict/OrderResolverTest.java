package dev.olympus.core.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.RecordState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderResolverTest {
  private final OrderResolver resolver = new OrderResolver();

  @Test
  void resolve_olderWriteHasLaterStatus_statusOnlyMovesForward() {
    RecordState server = order(Map.of("status", "preparing"), 10, "edge-a");
    RecordState incoming = order(Map.of("status", "confirmed"), 20, "edge-b");

    assertThat(resolver.resolve(server, incoming).data()).containsEntry("status", "preparing");
    assertThat(resolver.resolve(incoming, server).data()).containsEntry("status", "preparing");
  }

  @Test
  void resolve_incomingHasLaterStatus_takesIt() {
    RecordState server = order(Map.of("status", "pending"), 20, "edge-a");
    RecordState incoming = order(Map.of("status", "ready"), 10, "edge-b");

    assertThat(resolver.resolve(server, incoming).data()).containsEntry("status", "ready");
  }

  @Test
  void resolve_voidedOnEitherSide_wins() {
    RecordState completed = order(Map.of("status", "completed"), 20, "edge-a");
    RecordState voided = order(Map.of("status", "voided"), 10, "edge-b");

    assertThat(resolver.resolve(completed, voided).data()).containsEntry("status", "voided");
    assertThat(resolver.resolve(voided, completed).data()).containsEntry("status", "voided");
  }

  @Test
  void resolve_voidAsTheEdgesOrderEndpointsWriteIt_winsOverAnOpenStatus() {
    // Regression: OrderStatus.VOID is "void" on the wire; ranked as unknown, it lost to
    // "confirmed".
    RecordState confirmed = order(Map.of("status", "confirmed"), 20, "edge-a");
    RecordState voided = order(Map.of("status", "void"), 10, "edge-b");

    assertThat(resolver.resolve(confirmed, voided).data()).containsEntry("status", "void");
    assertThat(resolver.resolve(voided, confirmed).data()).containsEntry("status", "void");
  }

  @Test
  void resolve_statusOnOneSideOnly_keepsIt() {
    // Regression: a side without status made List.of(..).indexOf(null) throw.
    RecordState server = order(Map.of("table", 3), 20, "edge-a");
    RecordState incoming = order(Map.of("status", "confirmed"), 10, "edge-b");

    assertThat(resolver.resolve(server, incoming).data()).containsEntry("status", "confirmed");
    assertThat(resolver.resolve(incoming, server).data()).containsEntry("status", "confirmed");
    assertThat(resolver.resolve(server, server).data()).doesNotContainKey("status");
  }

  @Test
  void resolve_unknownStatus_losesToAKnownOne() {
    RecordState server = order(Map.of("status", "weird"), 20, "edge-a");
    RecordState incoming = order(Map.of("status", "pending"), 10, "edge-b");

    assertThat(resolver.resolve(server, incoming).data()).containsEntry("status", "pending");
  }

  @Test
  void resolve_moneyFields_keepServerValuesEvenWhenIncomingIsNewer() {
    RecordState server = order(Map.of("total", 1500, "tax", 120, "note", "x"), 10, "cloud");
    RecordState incoming =
        order(Map.of("total", 999, "tax", 1, "tip", 200, "note", "y"), 20, "edge-a");

    Map<String, Object> data = resolver.resolve(server, incoming).data();

    assertThat(data).containsEntry("total", 1500L).containsEntry("tax", 120L);
    // A money field only the incoming side has is kept: the server has no value to prefer.
    assertThat(data).containsEntry("tip", 200L);
    assertThat(data).containsEntry("note", "y");
  }

  @Test
  void resolve_kitchenNotesOnBothSides_keepsBoth() {
    RecordState server = order(Map.of("kitchen_notes", "no onions"), 10, "edge-a");
    RecordState incoming = order(Map.of("kitchen_notes", "extra cheese"), 20, "edge-b");

    String notes = (String) resolver.resolve(server, incoming).data().get("kitchen_notes");

    assertThat(notes).contains("no onions").contains("extra cheese");
  }

  @Test
  void resolve_kitchenNotesOneContainsTheOther_keepsTheLongerOnce() {
    RecordState server = order(Map.of("kitchen_notes", "no onions"), 10, "edge-a");
    RecordState incoming = order(Map.of("kitchen_notes", "no onions\nextra cheese"), 20, "edge-b");

    assertThat(resolver.resolve(server, incoming).data())
        .containsEntry("kitchen_notes", "no onions\nextra cheese");
  }

  @Test
  void resolve_kitchenNotesOnOneSide_keepsIt() {
    RecordState server = order(Map.of("kitchen_notes", "no onions"), 20, "edge-a");
    RecordState incoming = order(Map.of("kitchen_notes", " "), 30, "edge-b");

    assertThat(resolver.resolve(server, incoming).data())
        .containsEntry("kitchen_notes", "no onions");
  }

  @Test
  void resolve_otherFields_lastWriteWinsWithNodeTieBreak() {
    RecordState server = order(Map.of("table", "5", "guests", 2), 10, "edge-a");
    RecordState newer = order(Map.of("table", "7"), 20, "edge-b");
    RecordState tieHigherNode = order(Map.of("table", "9"), 10, "edge-c");

    Map<String, Object> data = resolver.resolve(server, newer).data();
    assertThat(data).containsEntry("table", "7");
    // A field only the older side has is kept.
    assertThat(data).containsEntry("guests", 2L);
    assertThat(resolver.resolve(server, tieHigherNode).data()).containsEntry("table", "9");
    assertThat(resolver.resolve(tieHigherNode, server).data()).containsEntry("table", "9");
  }

  @Test
  void resolve_newerSideDeleted_resultIsDeleted() {
    RecordState server = order(Map.of("status", "pending"), 10, "edge-a");
    RecordState deleted = new RecordState("orders", "o1", Map.of(), 20, "edge-b", Map.of(), true);

    assertThat(resolver.resolve(server, deleted).deleted()).isTrue();
  }

  @Test
  void equals_anyTwoResolvers_areEqual() {
    assertThat(new OrderResolver()).isEqualTo(resolver).hasSameHashCodeAs(resolver);
  }

  private static RecordState order(Map<String, Object> data, long version, String origin) {
    return new RecordState("orders", "o1", data, version, origin, Map.of(), false);
  }
}
