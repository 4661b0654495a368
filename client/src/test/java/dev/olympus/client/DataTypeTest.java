package dev.olympus.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A change frame's data type: from its wire type first, else from its collection. */
class DataTypeTest {
  @Test
  void of_wireTypeWins_thenCollection_elseOther() {
    assertThat(DataType.of("order_update", "anything")).isEqualTo(DataType.ORDERS);
    assertThat(DataType.of("kitchen_ticket", "kitchen_tickets")).isEqualTo(DataType.KITCHEN);
    assertThat(DataType.of(null, "kitchen_tickets")).isEqualTo(DataType.KITCHEN);
    assertThat(DataType.of("record_update", "tables")).isEqualTo(DataType.TABLES);
    assertThat(DataType.of("something_new", "loyalty")).isEqualTo(DataType.OTHER);
    assertThat(DataType.of(null, null)).isEqualTo(DataType.OTHER);
  }
}
