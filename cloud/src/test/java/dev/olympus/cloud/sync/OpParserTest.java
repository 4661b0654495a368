package dev.olympus.cloud.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.sync.OpAction;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-pass reading of a push answers exactly like the careful, tree-based one. */
class OpParserTest {
  private static final String GOOD =
      "{\"op_id\":\"op-1\",\"collection\":\"orders\",\"id\":\"o-1\",\"action\":\"put\","
          + "\"data\":{\"total\":12.5,\"n\":3,\"big\":123456789012345678901234567890,"
          + "\"items\":[{\"sku\":\"a\",\"qty\":2},null,true,\"x\"],\"note\":null},"
          + "\"base_version\":0,\"hlc\":42,\"node_id\":\"edge-1\"}";

  private static final List<String> OPS =
      List.of(
          GOOD,
          "{\"op_id\":\"op-2\",\"collection\":\"orders\",\"id\":\"o-2\",\"action\":\"delete\","
              + "\"hlc\":43,\"node_id\":\"edge-1\",\"base_version\":7,\"base_origin\":\"edge-1\"}",
          "{\"op_id\":\"op-3\",\"collection\":\"orders\",\"id\":\"o-3\",\"action\":\"patch\","
              + "\"data\":{\"status\":\"ready\"},\"hlc\":44,\"node_id\":\"edge-1\","
              + "\"base_origin\":null,\"extra\":{\"ignored\":[1,2]}}",
          // Each of these is wrong in one way; the answer must name the field.
          "{\"collection\":\"orders\",\"id\":\"o-4\",\"action\":\"put\",\"data\":{},\"hlc\":1,"
              + "\"node_id\":\"e\"}",
          "{\"op_id\":\"op 5\",\"collection\":\"orders\",\"id\":\"o-5\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-6\",\"collection\":\"Orders\",\"id\":\"o-6\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-7\",\"collection\":\"orders\",\"id\":\"o/7\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-8\",\"collection\":\"orders\",\"id\":\"o-8\",\"action\":\"upsert\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-9\",\"collection\":\"orders\",\"id\":\"o-9\",\"action\":\"put\","
              + "\"data\":[1],\"hlc\":1,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-10\",\"collection\":\"orders\",\"id\":\"o-10\",\"action\":\"put\","
              + "\"hlc\":1,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-11\",\"collection\":\"orders\",\"id\":\"o-11\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":-1,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-12\",\"collection\":\"orders\",\"id\":\"o-12\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":\"1\",\"node_id\":\"e\"}",
          "{\"op_id\":\"op-13\",\"collection\":\"orders\",\"id\":\"o-13\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\" \"}",
          "{\"op_id\":\"op-14\",\"collection\":\"orders\",\"id\":\"o-14\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\"e\",\"base_version\":1.5}",
          "{\"op_id\":\"op-15\",\"collection\":\"orders\",\"id\":\"o-15\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":99999999999999999999999,\"node_id\":\"e\"}",
          "{\"op_id\":\"op-16\",\"collection\":\"orders\",\"id\":\"o-16\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\"e\",\"base_origin\":5}",
          "{\"op_id\":17,\"collection\":\"orders\",\"id\":\"o-17\",\"action\":\"put\","
              + "\"data\":{},\"hlc\":1,\"node_id\":\"e\"}",
          "\"not an op\"",
          "[1,2]");

  @Test
  void oneOpAtATimeAnswersLikeTheTreeReading() {
    String body = "{\"ops\":[" + String.join(",", OPS) + "]}";
    List<IncomingOp> fast =
        OpParser.readPush(body.getBytes(StandardCharsets.UTF_8), 1000).orElseThrow();
    assertThat(fast).hasSize(OPS.size());
    JsonNode tree = Json.readTree(body).get("ops");
    for (int i = 0; i < OPS.size(); i++) {
      IncomingOp careful = OpParser.parse(tree.get(i), i);
      IncomingOp quick = fast.get(i);
      assertThat(quick.opId()).as("op %d id", i).isEqualTo(careful.opId());
      assertThat(quick.op()).as("op %d", i).isEqualTo(careful.op());
      assertThat(quick.error()).as("op %d error", i).isEqualTo(careful.error());
    }
    assertThat(fast.get(3).error().field()).isEqualTo("op_id");
    assertThat(fast.get(11).error().field()).isEqualTo("hlc");
  }

  @Test
  void dataKeepsItsTextAndItsValues() {
    String body = "{\"ops\":[" + GOOD + "]}";
    IncomingOp op =
        OpParser.readPush(body.getBytes(StandardCharsets.UTF_8), 10).orElseThrow().get(0);
    assertThat(op.op().action()).isEqualTo(OpAction.PUT);
    assertThat(op.dataJson()).isEqualTo(Json.readTree(GOOD).get("data").toString());
    Map<String, Object> data = op.op().data();
    assertThat(data.get("total")).isEqualTo(12.5);
    assertThat(data.get("n")).isEqualTo(3L);
    assertThat(data.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(data).containsKey("note");
  }

  @Test
  void aBodyThatIsNotAPushIsLeftToTheCarefulReading() {
    for (String body :
        List.of(
            "{\"ops\":{}}",
            "{\"ops\":[" + GOOD + "]} x",
            "[]",
            "{\"ops\":[{\"op_id\":\"a\",\"op_id\":\"b\"}]}",
            "{\"ops\":[{\"op_id\":\"a\",\"collection\":\"o\",\"id\":\"x\",\"action\":\"put\","
                + "\"data\":{\"k\":1,\"k\":null},\"hlc\":1,\"node_id\":\"e\"}]}",
            "{\"ops\":[{\"op_id\":\"a\",\"x\":1,\"x\":2}]}",
            "{\"ops\":[],\"ops\":[]}",
            "{\"nothing\":1}")) {
      assertThat(OpParser.readPush(body.getBytes(StandardCharsets.UTF_8), 10)).as(body).isEmpty();
    }
    String two = "{\"ops\":[" + GOOD + "," + GOOD + "]}";
    assertThat(OpParser.readPush(two.getBytes(StandardCharsets.UTF_8), 1)).isEmpty();
  }
}
