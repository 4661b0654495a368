package dev.olympus.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireEnumsTest {
  @Test
  void strategyParse_everyWireName_roundTrips() {
    for (String name :
        new String[] {
          "last_write_wins", "server_wins", "client_wins", "merge", "append_only", "custom:orders"
        }) {
      assertThat(Strategy.parse(name).wireName()).isEqualTo(name);
      assertThat(Strategy.parse(name).toString()).isEqualTo(name);
    }
    assertThat(Strategy.parse("merge")).isEqualTo(Strategy.MERGE);
  }

  @Test
  void strategyParse_custom_keepsResolverName() {
    Strategy s = Strategy.parse("custom:orders");

    assertThat(s.kind()).isEqualTo(Strategy.Kind.CUSTOM);
    assertThat(s.customName()).isEqualTo("orders");
    assertThat(s).isEqualTo(Strategy.custom("orders"));
  }

  @Test
  void strategyParse_unknownName_throwsNamingValueAndChoices() {
    assertThatThrownBy(() -> Strategy.parse("first_write_wins"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'first_write_wins'")
        .hasMessageContaining("last_write_wins")
        .hasMessageContaining("custom:<name>");
  }

  @Test
  void strategyParse_customWithoutName_throwsNamingValue() {
    assertThatThrownBy(() -> Strategy.parse("custom:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'custom:'");
  }

  @Test
  void strategyParse_bareCustomOrWrongCase_throws() {
    assertThatThrownBy(() -> Strategy.parse("custom"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'custom'");
    assertThatThrownBy(() -> Strategy.parse("MERGE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'MERGE'");
  }

  @Test
  void strategyParse_null_throwsSayingMissing() {
    assertThatThrownBy(() -> Strategy.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void strategyConstructor_customNameOnNonCustomKind_throws() {
    assertThatThrownBy(() -> new Strategy(Strategy.Kind.MERGE, "orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("custom:<name>");
    assertThatThrownBy(() -> Strategy.custom(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void priorityParse_wireNames_roundTripInRankOrder() {
    assertThat(Priority.parse("critical")).isEqualTo(Priority.CRITICAL);
    assertThat(Priority.parse("high")).isEqualTo(Priority.HIGH);
    assertThat(Priority.parse("normal")).isEqualTo(Priority.NORMAL);
    assertThat(Priority.parse("low")).isEqualTo(Priority.LOW);
    assertThat(Priority.CRITICAL.rank()).isLessThan(Priority.HIGH.rank());
    assertThat(Priority.HIGH.rank()).isLessThan(Priority.NORMAL.rank());
    assertThat(Priority.NORMAL.rank()).isLessThan(Priority.LOW.rank());
    for (Priority p : Priority.values()) {
      assertThat(Priority.parse(p.wireName())).isEqualTo(p);
    }
  }

  @Test
  void priorityParse_unknownName_throwsNamingValueAndChoices() {
    assertThatThrownBy(() -> Priority.parse("urgent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'urgent'")
        .hasMessageContaining("critical, high, normal, low");
  }

  @Test
  void opActionParse_wireNames_roundTrip() {
    for (OpAction a : OpAction.values()) {
      assertThat(OpAction.parse(a.wireName())).isEqualTo(a);
    }
    assertThat(OpAction.parse("patch")).isEqualTo(OpAction.PATCH);
  }

  @Test
  void opActionParse_unknownName_throwsNamingValueAndChoices() {
    assertThatThrownBy(() -> OpAction.parse("upsert"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'upsert'")
        .hasMessageContaining("put, patch, delete");
  }

  @Test
  void outcomeParse_wireNames_roundTrip() {
    for (Outcome o : Outcome.values()) {
      assertThat(Outcome.parse(o.wireName())).isEqualTo(o);
    }
  }

  @Test
  void outcomeParse_unknownName_throwsNamingValueAndChoices() {
    assertThatThrownBy(() -> Outcome.parse("ignored"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ignored'")
        .hasMessageContaining("duplicate");
  }
}
