package dev.olympus.core.orders;

import static dev.olympus.core.orders.OrderStatus.COMPLETED;
import static dev.olympus.core.orders.OrderStatus.CONFIRMED;
import static dev.olympus.core.orders.OrderStatus.PENDING;
import static dev.olympus.core.orders.OrderStatus.PREPARING;
import static dev.olympus.core.orders.OrderStatus.READY;
import static dev.olympus.core.orders.OrderStatus.VOID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrderLifecycleTest {
  @Test
  void transition_happyPath_movesForwardOneStepAtATime() {
    OrderStatus s = PENDING;
    for (OrderStatus next : new OrderStatus[] {CONFIRMED, PREPARING, READY, COMPLETED}) {
      s = OrderLifecycle.transition(s, next, false);
    }
    assertThat(s).isEqualTo(COMPLETED);
  }

  @Test
  void transition_skippingAhead_isAllowed() {
    assertThat(OrderLifecycle.checkTransition(PENDING, COMPLETED, false)).isEmpty();
  }

  @Test
  void transition_backwards_isRefusedNamingBothStatuses() {
    assertThatThrownBy(() -> OrderLifecycle.transition(READY, PREPARING, false))
        .isInstanceOfSatisfying(
            OrderRuleException.class,
            e -> {
              assertThat(e.refusal().code()).isEqualTo("illegal_transition");
              assertThat(e.getMessage()).contains("ready").contains("preparing");
            });
  }

  @ParameterizedTest
  @EnumSource(
      value = OrderStatus.class,
      names = {"PENDING", "CONFIRMED", "PREPARING", "READY"})
  void transition_voidFromAnyOpenStatus_isAllowedWithoutPrivilege(OrderStatus from) {
    assertThat(OrderLifecycle.checkTransition(from, VOID, false)).isEmpty();
  }

  @Test
  void transition_voidCompleted_needsThePrivilege() {
    assertThat(OrderLifecycle.checkTransition(COMPLETED, VOID, false))
        .hasValueSatisfying(
            r -> {
              assertThat(r.code()).isEqualTo("privilege_required");
              assertThat(r.message()).contains(OrderLifecycle.VOID_COMPLETED_PRIVILEGE);
            });
    assertThat(OrderLifecycle.checkTransition(COMPLETED, VOID, true)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(OrderStatus.class)
  void transition_outOfVoid_isAlwaysRefused(OrderStatus to) {
    assertThat(OrderLifecycle.checkTransition(VOID, to, true)).isPresent();
  }

  @Test
  void transition_toTheSameStatus_isRefusedAsAlreadyThere() {
    assertThat(OrderLifecycle.checkTransition(READY, READY, false))
        .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("already_in_status"));
  }

  @ParameterizedTest
  @EnumSource(OrderStatus.class)
  void itemsEditable_onlyWhileTheOrderIsOpen(OrderStatus status) {
    boolean closed = status == COMPLETED || status == VOID;
    assertThat(OrderLifecycle.checkItemsEditable(status).isPresent()).isEqualTo(closed);
    if (closed) {
      assertThatThrownBy(() -> OrderLifecycle.requireItemsEditable(status))
          .isInstanceOf(OrderRuleException.class)
          .hasMessageContaining(status.wireName());
    }
  }

  @Test
  void status_parse_acceptsWireNamesAndNamesTheChoicesOtherwise() {
    assertThat(OrderStatus.parse("preparing")).isEqualTo(PREPARING);
    assertThatThrownBy(() -> OrderStatus.parse("cooking")).hasMessageContaining("pending");
  }

  @Test
  void orderNumber_display_padsToFourDigitsAndGrowsPastThem() {
    LocalDate day = LocalDate.of(2026, 11, 22);
    assertThat(new OrderNumber("loc-1", day, 1).display()).isEqualTo("0001");
    assertThat(new OrderNumber("loc-1", day, 42).display()).isEqualTo("0042");
    assertThat(new OrderNumber("loc-1", day, 12345).display()).isEqualTo("12345");
    assertThatThrownBy(() -> new OrderNumber("loc-1", day, 0)).hasMessageContaining("starts at 1");
  }
}
