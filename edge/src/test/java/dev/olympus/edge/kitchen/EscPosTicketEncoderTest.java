package dev.olympus.edge.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscPosTicketEncoderTest {
  final EscPosTicketEncoder encoder = new EscPosTicketEncoder(EscPosTicketEncoder.WIDTH_58MM);

  /** Builds expected bytes from hex commands and ASCII text. */
  static final class Bytes {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes hex(String hex) {
      out.writeBytes(HexFormat.ofDelimiter(" ").parseHex(hex));
      return this;
    }

    Bytes text(String ascii) {
      out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  @Test
  void encode_ticket_isExactlyTheEscPosCommandsAndText() {
    KitchenTicket ticket =
        new KitchenTicket(
            "0042",
            "takeout",
            null,
            "12",
            null,
            "12:34",
            List.of(
                new TicketItem(2, "Cheeseburger", List.of("No onion", "Bacon"), null),
                new TicketItem(1, "Fries", List.of(), "well done")));

    byte[] expected =
        new Bytes()
            .hex("1B 40") // ESC @ initialize
            .hex("1B 74 00") // ESC t 0: PC437
            .hex("1B 61 01") // ESC a 1: centre
            .hex("1B 45 01") // ESC E 1: bold on
            .hex("1D 21 11") // GS ! 0x11: double width and height
            .text("#0042")
            .hex("0A")
            .hex("1D 21 01") // GS ! 0x01: double height
            .text("TAKEOUT")
            .hex("0A")
            .hex("1D 21 00") // normal size
            .hex("1B 45 00") // bold off
            .hex("1B 61 00") // left
            .text("Table: 12\n")
            .text("Fired: 12:34\n")
            .text("-".repeat(32) + "\n")
            .hex("1B 45 01 1D 21 01")
            .text("2 x Cheeseburger\n")
            .hex("1D 21 00 1B 45 00")
            .text("   + No onion\n")
            .text("   + Bacon\n")
            .hex("1B 45 01 1D 21 01")
            .text("1 x Fries\n")
            .hex("1D 21 00 1B 45 00")
            .text("   * well done\n")
            .text("-".repeat(32) + "\n")
            .hex("1B 64 04") // ESC d 4: feed four lines
            .hex("1D 56 00") // GS V 0: full cut
            .bytes();

    assertThat(HexFormat.of().formatHex(encoder.encode(ticket)))
        .isEqualTo(HexFormat.of().formatHex(expected));
  }

  @Test
  void encode_controlCharactersInAName_printAsSpacesAndCannotCutThePaper() {
    KitchenTicket ticket =
        new KitchenTicket(
            "1",
            "dine_in",
            null,
            null,
            null,
            null,
            List.of(new TicketItem(1, "Soup\u001dV\u0000\u001b@", List.of(), null)));

    byte[] bytes = encoder.encode(ticket);

    String hex = HexFormat.of().formatHex(bytes);
    assertThat(hex).containsOnlyOnce("1d5600"); // the one cut at the end
    assertThat(hex).containsOnlyOnce("1b40"); // the one initialize at the start
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("1 x Soup V  @");
  }

  @Test
  void encode_accentsUsePc437AndUnknownCharactersPrintAsQuestionMarks() {
    KitchenTicket ticket =
        new KitchenTicket(
            "1",
            "dine_in",
            null,
            null,
            null,
            null,
            List.of(new TicketItem(1, "Crème brûlée 🍮", List.of(), null)));

    String hex = HexFormat.of().formatHex(encoder.encode(ticket));

    // è = 0x8A, û = 0x96, é = 0x82 in code page 437
    assertThat(hex)
        .contains(
            HexFormat.of().formatHex("1 x Cr".getBytes(StandardCharsets.US_ASCII))
                + "8a"
                + HexFormat.of().formatHex("me br".getBytes(StandardCharsets.US_ASCII))
                + "96"
                + HexFormat.of().formatHex("l".getBytes(StandardCharsets.US_ASCII))
                + "82"
                + HexFormat.of().formatHex("e ?".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void wrap_longLines_breakAtSpacesAndIndentTheContinuation() {
    assertThat(EscPosTicketEncoder.wrap("   + Extra cheese and a lot of pickles please", 20))
        .containsExactly("   + Extra cheese", "     and a lot of", "     pickles please");
    assertThat(EscPosTicketEncoder.wrap("1 x Supercalifragilisticexpialidocious", 16))
        .containsExactly("1 x", "  Supercalifragi", "  listicexpialid", "  ocious");
  }

  @Test
  void constructor_tooNarrow_isRefused() {
    assertThatThrownBy(() -> new EscPosTicketEncoder(8)).hasMessageContaining("16 columns");
  }
}
