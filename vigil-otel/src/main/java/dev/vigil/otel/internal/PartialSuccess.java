package dev.vigil.otel.internal;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code partial_success} from an {@code ExportMetricsServiceResponse}, the body of a
 * successful OTLP/HTTP response and the message of a successful gRPC call: how many data points the
 * collector rejected and why. The SDK accepts such a response as a plain success, so the bridge
 * reads it itself; the two fields are all it needs, so it decodes the protobuf wire format here
 * instead of shipping protobuf-java (1.8 MB) to every application.
 *
 * <pre>
 * message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
 * message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
 * </pre>
 */
record PartialSuccess(long rejectedDataPoints, String errorMessage) {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  /** The partial success in {@code message}; null when there is none or it cannot be read. */
  static @Nullable PartialSuccess parse(byte @Nullable [] message) {
    if (message == null || message.length == 0) {
      return null;
    }
    try {
      Reader in = new Reader(message, 0, message.length);
      while (in.more()) {
        long tag = in.varint();
        if (tag >>> 3 == 1 && (tag & 7) == LENGTH_DELIMITED) {
          int length = in.length();
          return inner(new Reader(message, in.pos, in.pos + length));
        }
        in.skip((int) (tag & 7));
      }
      return null;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      return null; // not protobuf (an HTML error page, JSON): nothing to report
    }
  }

  private static PartialSuccess inner(Reader in) {
    long rejected = 0;
    String error = "";
    while (in.more()) {
      long tag = in.varint();
      long field = tag >>> 3;
      int wire = (int) (tag & 7);
      if (field == 1 && wire == VARINT) {
        rejected = in.varint();
      } else if (field == 2 && wire == LENGTH_DELIMITED) {
        int length = in.length();
        error = new String(in.bytes, in.pos, length, StandardCharsets.UTF_8);
        in.pos += length;
      } else {
        in.skip(wire);
      }
    }
    return new PartialSuccess(Math.max(0, rejected), error);
  }

  private static final class Reader {
    final byte[] bytes;
    int pos;
    final int end;

    Reader(byte[] bytes, int from, int end) {
      if (end > bytes.length || from > end) {
        throw new IllegalArgumentException("truncated");
      }
      this.bytes = bytes;
      this.pos = from;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = bytes[pos++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    int length() {
      long length = varint();
      if (length < 0 || length > end - pos) {
        throw new IllegalArgumentException("bad length");
      }
      return (int) length;
    }

    void skip(int wire) {
      switch (wire) {
        case VARINT:
          varint();
          return;
        case FIXED64:
          pos += 8;
          break;
        case LENGTH_DELIMITED:
          pos += length();
          break;
        case FIXED32:
          pos += 4;
          break;
        default:
          throw new IllegalArgumentException("wire type " + wire);
      }
      if (pos > end) {
        throw new IllegalArgumentException("truncated");
      }
    }
  }
}
