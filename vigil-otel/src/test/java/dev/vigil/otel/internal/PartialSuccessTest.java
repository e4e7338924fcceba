package dev.vigil.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hand-written reader agrees with protobuf-java on what a collector answers. */
class PartialSuccessTest {

  @Test
  void readsRejectedPointsAndTheMessage_asEncodedByProtobufJava() {
    byte[] bytes =
        ExportMetricsServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(300_000_000_000L)
                    .setErrorMessage("names must not contain «spaces»"))
            .build()
            .toByteArray();
    assertThat(PartialSuccess.parse(bytes))
        .isEqualTo(new PartialSuccess(300_000_000_000L, "names must not contain «spaces»"));
  }

  @Test
  void aFullSuccess_anEmptyBody_orSomethingElseThanProtobuf_isNoPartialSuccess() {
    assertThat(
            PartialSuccess.parse(ExportMetricsServiceResponse.getDefaultInstance().toByteArray()))
        .isNull();
    assertThat(PartialSuccess.parse(new byte[0])).isNull();
    assertThat(PartialSuccess.parse(null)).isNull();
    assertThat(PartialSuccess.parse("{\"partialSuccess\":{}}".getBytes(StandardCharsets.UTF_8)))
        .isNull();
    assertThat(PartialSuccess.parse(new byte[] {0x0A, 0x7F, 0x08})).isNull(); // truncated
  }

  @Test
  void unknownFieldsBeforeAndInside_areSkipped() {
    byte[] inner =
        ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(7).build().toByteArray();
    byte[] withUnknown = new byte[inner.length + 4];
    withUnknown[0] = 0x18; // field 3, varint
    withUnknown[1] = 0x05;
    withUnknown[2] = 0x0A; // field 1, length-delimited
    withUnknown[3] = (byte) inner.length;
    System.arraycopy(inner, 0, withUnknown, 4, inner.length);
    byte[] framed = new byte[withUnknown.length + 2];
    framed[0] = 0x28; // field 5, varint, before partial_success
    framed[1] = 0x01;
    System.arraycopy(withUnknown, 0, framed, 2, withUnknown.length);
    // framed = {5: 1} {3: 5} {1: {1: 7}}
    assertThat(PartialSuccess.parse(framed)).isEqualTo(new PartialSuccess(7, ""));
  }
}
