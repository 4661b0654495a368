package dev.olympus.edge.kitchen;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Encodes kitchen tickets as ESC/POS bytes (Epson's command set, which kitchen printers speak on
 * raw TCP port 9100):
 *
 * <pre>
 * ESC @            initialize                 1B 40
 * ESC t 0          code page PC437            1B 74 00
 * ESC a n          justify (0 left, 1 centre) 1B 61 n
 * ESC E n          bold off/on                1B 45 n
 * GS ! n           character size             1D 21 n  (0x00 normal, 0x01 double height,
 *                                                        0x11 double width and height)
 * LF               print and feed one line    0A
 * ESC d n          print and feed n lines     1B 64 n
 * GS V 0           full cut                   1D 56 00
 * </pre>
 *
 * The header (order number in double size, order type in double height) is centred and bold; each
 * item is a bold double-height line {@code "2 x Cheeseburger"} with its modifiers and note indented
 * below. Text is PC437; characters it lacks print as {@code ?}, and control characters in names or
 * notes print as spaces, so an item name can never smuggle a command (a cut, a drawer kick) to the
 * printer.
 */
public final class EscPosTicketEncoder {
  /** Columns of font A on 80 mm paper. */
  public static final int WIDTH_80MM = 48;

  /** Columns of font A on 58 mm paper. */
  public static final int WIDTH_58MM = 32;

  static final byte ESC = 0x1B;
  static final byte GS = 0x1D;
  static final byte LF = 0x0A;

  private static final Charset PC437 = Charset.forName("IBM437");
  private static final byte NORMAL = 0x00;
  private static final byte DOUBLE_HEIGHT = 0x01;
  private static final byte DOUBLE_SIZE = 0x11;

  private final int width;

  /**
   * @param width columns per line at normal size ({@link #WIDTH_80MM}, {@link #WIDTH_58MM})
   */
  public EscPosTicketEncoder(int width) {
    if (width < 16) {
      throw new IllegalArgumentException("a ticket needs at least 16 columns, was " + width);
    }
    this.width = width;
  }

  public byte[] encode(KitchenTicket ticket) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    command(out, ESC, '@');
    command(out, ESC, 't', 0);
    command(out, ESC, 'a', 1);
    command(out, ESC, 'E', 1);
    command(out, GS, '!', DOUBLE_SIZE);
    line(out, "#" + ticket.orderNumber(), width / 2);
    command(out, GS, '!', DOUBLE_HEIGHT);
    line(out, ticket.orderType().replace('_', ' ').toUpperCase(Locale.ROOT), width);
    if (ticket.voided()) {
      line(out, "*** VOID ***", width);
    }
    command(out, GS, '!', NORMAL);
    command(out, ESC, 'E', 0);
    command(out, ESC, 'a', 0);
    if (ticket.station() != null) {
      line(out, "Station: " + ticket.station(), width);
    }
    if (ticket.table() != null) {
      line(out, "Table: " + ticket.table(), width);
    }
    if (ticket.server() != null) {
      line(out, "Server: " + ticket.server(), width);
    }
    if (ticket.firedAt() != null) {
      line(out, "Fired: " + ticket.firedAt(), width);
    }
    separator(out);
    for (TicketItem item : ticket.items()) {
      command(out, ESC, 'E', 1);
      command(out, GS, '!', DOUBLE_HEIGHT);
      line(out, item.quantity() + " x " + item.name(), width);
      command(out, GS, '!', NORMAL);
      command(out, ESC, 'E', 0);
      for (String modifier : item.modifiers()) {
        line(out, "   + " + modifier, width);
      }
      if (item.note() != null && !item.note().isBlank()) {
        line(out, "   * " + item.note(), width);
      }
    }
    separator(out);
    command(out, ESC, 'd', 4);
    command(out, GS, 'V', 0);
    return out.toByteArray();
  }

  private void separator(ByteArrayOutputStream out) {
    out.writeBytes("-".repeat(width).getBytes(PC437));
    out.write(LF);
  }

  /** Writes text wrapped at {@code columns}, continuation lines indented like the first. */
  private static void line(ByteArrayOutputStream out, String text, int columns) {
    for (String l : wrap(sanitize(text), columns)) {
      out.writeBytes(encode(l));
      out.write(LF);
    }
  }

  static List<String> wrap(String text, int columns) {
    List<String> lines = new ArrayList<>();
    int indent = 0;
    while (indent < text.length() && text.charAt(indent) == ' ') {
      indent++;
    }
    // Continuation lines line up under the text after the "+ " or "2 x " marker.
    String pad = " ".repeat(Math.min(indent + 2, columns / 2));
    String rest = text;
    boolean first = true;
    while (rest.length() > columns) {
      int cut = rest.lastIndexOf(' ', columns);
      if (cut <= (first ? indent : pad.length())) {
        cut = columns; // one long word: break it
      }
      lines.add(rest.substring(0, cut).stripTrailing());
      rest = pad + rest.substring(cut).strip();
      first = false;
    }
    lines.add(rest);
    return lines;
  }

  /** Control characters (ESC, GS, LF …) would be commands to the printer: print spaces. */
  static String sanitize(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
    return b.toString();
  }

  private static byte[] encode(String text) {
    CharsetEncoder encoder =
        PC437
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith(new byte[] {'?'});
    try {
      ByteBuffer bytes = encoder.encode(CharBuffer.wrap(text));
      byte[] result = new byte[bytes.remaining()];
      bytes.get(result);
      return result;
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("PC437 encoding with replacement cannot fail", e);
    }
  }

  private static void command(ByteArrayOutputStream out, byte prefix, char letter) {
    out.write(prefix);
    out.write(letter);
  }

  private static void command(ByteArrayOutputStream out, byte prefix, char letter, int n) {
    out.write(prefix);
    out.write(letter);
    out.write(n);
  }
}
