package dev.olympus.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  private static final Op OP =
      new Op(
          "0190a1b2-0000-7000-8000-000000000001",
          "orders",
          "order-1",
          OpAction.PATCH,
          Map.of("status", "ready", "total", 1250, "items", List.of(Map.of("sku", "B1", "qty", 2))),
          42L,
          43L,
          "edge-1");

  private static final RecordState RECORD =
      new RecordState(
          "orders",
          "order-1",
          Map.of("status", "ready", "total", 12.5),
          43L,
          "edge-1",
          Map.of("status", 43L, "total", 40L),
          false);

  @Test
  void op_roundTrip_usesSnakeCaseNamesAndKeepsValue() throws Exception {
    String text = json.writeValueAsString(OP);
    JsonNode tree = json.readTree(text);

    assertThat(iterableFieldNames(tree))
        .containsExactlyInAnyOrder(
            "op_id", "collection", "id", "action", "data", "base_version", "hlc", "node_id");
    assertThat(tree.get("action").asText()).isEqualTo("patch");
    assertThat(json.readValue(text, Op.class)).isEqualTo(OP);
  }

  @Test
  void op_fromProtocolJson_parsesIntsAsLongsSoValuesCompareEqual() throws Exception {
    Op parsed =
        json.readValue(
            """
            {"op_id":"o1","collection":"tables","id":"t1","action":"put",
             "data":{"seats":4,"nested":{"n":1}},"base_version":0,"hlc":7,"node_id":"edge-2"}
            """,
            Op.class);

    assertThat(parsed.data()).isEqualTo(Map.of("seats", 4L, "nested", Map.of("n", 1L)));
    assertThat(parsed.action()).isEqualTo(OpAction.PUT);
    assertThat(parsed.recordId()).isEqualTo("t1");
  }

  @Test
  void op_deleteWithoutData_hasEmptyData() throws Exception {
    Op parsed =
        json.readValue(
            """
            {"op_id":"o1","collection":"tables","id":"t1","action":"delete",
             "base_version":5,"hlc":7,"node_id":"edge-2"}
            """,
            Op.class);

    assertThat(parsed.data()).isEmpty();
  }

  @Test
  void op_unknownAction_failsNamingTheValue() {
    assertThatThrownBy(
            () ->
                json.readValue(
                    """
                    {"op_id":"o1","collection":"c","id":"i","action":"upsert",
                     "base_version":0,"hlc":1,"node_id":"n"}
                    """,
                    Op.class))
        .hasMessageContaining("'upsert'");
  }

  @Test
  void op_missingOpId_failsNamingTheField() {
    assertThatThrownBy(
            () ->
                json.readValue(
                    """
                    {"collection":"c","id":"i","action":"put","base_version":0,"hlc":1,"node_id":"n"}
                    """,
                    Op.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("op_id");
  }

  @Test
  void pushRequestAndResponse_roundTrip() throws Exception {
    PushRequest request = new PushRequest(List.of(OP));
    PushResponse response =
        new PushResponse(
            List.of(
                new OpResult(OP.opId(), Outcome.MERGED, 17L, RECORD, null, null),
                OpResult.rejected("o2", new ApiError("not_found", "no such record", "id"))));

    String requestText = json.writeValueAsString(request);
    String responseText = json.writeValueAsString(response);

    assertThat(json.readValue(requestText, PushRequest.class)).isEqualTo(request);
    assertThat(json.readValue(responseText, PushResponse.class)).isEqualTo(response);
    JsonNode results = json.readTree(responseText).get("results");
    assertThat(results.get(0).get("outcome").asText()).isEqualTo("merged");
    assertThat(results.get(0).get("seq").asLong()).isEqualTo(17L);
    assertThat(results.get(0).has("error")).isFalse();
    assertThat(results.get(1).get("outcome").asText()).isEqualTo("rejected");
    assertThat(results.get(1).get("error").get("error").asText()).isEqualTo("not_found");
    assertThat(results.get(1).get("error").get("field").asText()).isEqualTo("id");
    assertThat(results.get(1).has("seq")).isFalse();
    assertThat(results.get(1).has("queued_for_review")).isFalse();
  }

  @Test
  void opResultQueuedForReview_usesSnakeCase() throws Exception {
    OpResult r = new OpResult("o3", Outcome.REJECTED, null, null, ApiError.of("bad", "bad"), true);

    JsonNode tree = json.readTree(json.writeValueAsString(r));

    assertThat(tree.get("queued_for_review").asBoolean()).isTrue();
    assertThat(tree.get("error").has("field")).isFalse();
    assertThat(json.treeToValue(tree, OpResult.class)).isEqualTo(r);
  }

  @Test
  void opResultAsDuplicate_keepsSeqAndRecordButNotRejections() {
    OpResult applied = new OpResult("o1", Outcome.APPLIED, 5L, RECORD, null, null);
    OpResult rejected = OpResult.rejected("o2", ApiError.of("append_only", "no"));

    assertThat(applied.asDuplicate())
        .isEqualTo(new OpResult("o1", Outcome.DUPLICATE, 5L, RECORD, null, null));
    assertThat(rejected.asDuplicate()).isEqualTo(rejected);
  }

  @Test
  void opResultAsDuplicateOfCurrent_carriesFirstSeqAndCurrentRecord() {
    RecordState current =
        new RecordState(
            "orders", "order-1", Map.of("status", "completed"), 99L, "cloud", Map.of(), false);
    OpResult applied = new OpResult("o1", Outcome.APPLIED, 5L, RECORD, null, null);

    assertThat(applied.asDuplicate(current))
        .isEqualTo(new OpResult("o1", Outcome.DUPLICATE, 5L, current, null, null));
  }

  @Test
  void syncConfig_nullTablePolicy_failsNamingTheTable() {
    assertThatThrownBy(
            () ->
                json.readValue(
                    """
                    {"interval_seconds":30,"batch_size":10,"retry_attempts":5,
                     "conflict_strategy":"merge","tables":{"orders":null}}
                    """,
                    SyncConfig.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("tables.orders is null");
  }

  @Test
  void recordState_roundTrip_usesSnakeCaseAndOmitsHelpers() throws Exception {
    String text = json.writeValueAsString(RECORD);
    JsonNode tree = json.readTree(text);

    assertThat(iterableFieldNames(tree))
        .containsExactlyInAnyOrder(
            "collection", "id", "data", "version", "origin", "field_versions", "deleted");
    assertThat(json.readValue(text, RecordState.class)).isEqualTo(RECORD);
  }

  @Test
  void pullResponse_roundTrip_usesSnakeCase() throws Exception {
    PullResponse page =
        new PullResponse(
            List.of(new Change(9, "loc-1", RECORD), new Change(10, null, RECORD)), true, 10);

    String text = json.writeValueAsString(page);
    JsonNode tree = json.readTree(text);

    assertThat(iterableFieldNames(tree))
        .containsExactlyInAnyOrder("changes", "has_more", "next_since");
    assertThat(tree.get("changes").get(0).get("location_id").asText()).isEqualTo("loc-1");
    assertThat(tree.get("changes").get(1).has("location_id")).isFalse();
    assertThat(json.readValue(text, PullResponse.class)).isEqualTo(page);
  }

  @Test
  void syncConfig_roundTrip_usesSeedShape() throws Exception {
    SyncConfig d = SyncConfig.defaults();

    String text = json.writeValueAsString(d);
    JsonNode tree = json.readTree(text);

    assertThat(iterableFieldNames(tree))
        .containsExactlyInAnyOrder(
            "interval_seconds", "batch_size", "retry_attempts", "conflict_strategy", "tables");
    assertThat(tree.get("tables").get("orders").get("strategy").asText())
        .isEqualTo("custom:orders");
    assertThat(tree.get("tables").get("payments").get("priority").asText()).isEqualTo("critical");
    assertThat(json.readValue(text, SyncConfig.class)).isEqualTo(d);
  }

  @Test
  void syncConfig_invalidValue_failsWithTheValidationMessage() {
    assertThatThrownBy(
            () ->
                json.readValue(
                    """
                    {"interval_seconds":30,"batch_size":0,"retry_attempts":5,
                     "conflict_strategy":"merge","tables":{}}
                    """,
                    SyncConfig.class))
        .hasMessageContaining("batch_size must be between 1 and 10000, was 0");
  }

  @Test
  void syncConfig_unknownStrategy_failsNamingIt() {
    assertThatThrownBy(
            () ->
                json.readValue(
                    """
                    {"interval_seconds":30,"batch_size":10,"retry_attempts":5,
                     "conflict_strategy":"merge",
                     "tables":{"orders":{"priority":"high","strategy":"newest"}}}
                    """,
                    SyncConfig.class))
        .hasMessageContaining("'newest'");
  }

  @Test
  void apiError_serialisesAsProtocolErrorBody() throws Exception {
    JsonNode tree =
        json.readTree(
            json.writeValueAsString(new ApiError("missing_field", "id is missing", "id")));

    assertThat(tree.get("error").asText()).isEqualTo("missing_field");
    assertThat(tree.get("message").asText()).isEqualTo("id is missing");
    assertThat(tree.get("field").asText()).isEqualTo("id");
    assertThat(json.readTree(json.writeValueAsString(ApiError.of("x", "y"))).has("field"))
        .isFalse();
  }

  private static List<String> iterableFieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
