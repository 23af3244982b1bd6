package dev.gatehouse.server.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver in the test's JVM: what a collector would get from a node, decoded
 * from the protobuf wire format by hand ({@code opentelemetry/proto/trace/v1/trace.proto}: just
 * the fields the tests read), so that the test goes through the real exporter, endpoint setting
 * and encoding.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** One received span; ids in lower-case hex, parent empty for a root span. */
  public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name,
      int kind, Map<String, Object> attributes, Map<String, Object> resource) {

    public static final int SERVER = 2;
    public static final int CLIENT = 3;
    public static final int PRODUCER = 4;
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  public OtlpReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/v1/traces", exchange -> {
      try (InputStream raw = exchange.getRequestBody()) {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream in = "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(raw) : raw;
        contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
        request(in.readAllBytes());
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      } catch (RuntimeException e) {
        exchange.sendResponseHeaders(400, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  /** The endpoint to configure as {@code tracing.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  public List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  /** Waits (at most 10 s) until a received span matches {@code wanted}, then returns it. */
  public ReceivedSpan await(Predicate<ReceivedSpan> wanted) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (ReceivedSpan s : spans) {
        if (wanted.test(s)) {
          return s;
        }
      }
      try {
        Thread.sleep(20);  // polling an exporter that sends every few tens of ms
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no such span within 10 s; received: " + spans.stream()
        .map(ReceivedSpan::name).toList());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
  private void request(byte[] body) {
    for (Field f : fields(body)) {
      if (f.number == 1) {
        resourceSpans(f.bytes);
      }
    }
  }

  // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
  private void resourceSpans(byte[] b) {
    Map<String, Object> resource = new LinkedHashMap<>();
    List<byte[]> scopes = new ArrayList<>();
    for (Field f : fields(b)) {
      if (f.number == 1) {
        for (Field a : fields(f.bytes)) {
          if (a.number == 1) {
            keyValue(a.bytes, resource);
          }
        }
      } else if (f.number == 2) {
        scopes.add(f.bytes);
      }
    }
    for (byte[] scope : scopes) {
      // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
      for (Field f : fields(scope)) {
        if (f.number == 2) {
          spans.add(span(f.bytes, Map.copyOf(resource)));
        }
      }
    }
  }

  // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5;
  //        SpanKind kind = 6; repeated KeyValue attributes = 9; }
  private static ReceivedSpan span(byte[] b, Map<String, Object> resource) {
    HexFormat hex = HexFormat.of();
    String trace = "";
    String id = "";
    String parent = "";
    String name = "";
    int kind = 0;
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Field f : fields(b)) {
      switch (f.number) {
        case 1 -> trace = hex.formatHex(f.bytes);
        case 2 -> id = hex.formatHex(f.bytes);
        case 4 -> parent = hex.formatHex(f.bytes);
        case 5 -> name = new String(f.bytes, StandardCharsets.UTF_8);
        case 6 -> kind = (int) f.varint;
        case 9 -> keyValue(f.bytes, attributes);
        default -> { }
      }
    }
    return new ReceivedSpan(trace, id, parent, name, kind, attributes, resource);
  }

  // KeyValue { string key = 1; AnyValue value = 2; }
  // AnyValue { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
  //            double double_value = 4; ... }
  private static void keyValue(byte[] b, Map<String, Object> into) {
    String key = null;
    Object value = null;
    for (Field f : fields(b)) {
      if (f.number == 1) {
        key = new String(f.bytes, StandardCharsets.UTF_8);
      } else if (f.number == 2) {
        for (Field v : fields(f.bytes)) {
          value = switch (v.number) {
            case 1 -> new String(v.bytes, StandardCharsets.UTF_8);
            case 2 -> v.varint != 0;
            case 3 -> v.varint;
            case 4 -> Double.longBitsToDouble(v.varint);
            default -> "(unsupported)";
          };
        }
      }
    }
    if (key != null) {
      into.put(key, value);
    }
  }

  private record Field(int number, long varint, byte[] bytes) {}

  /** The fields of one protobuf message: varints and fixed values in {@code varint}. */
  private static List<Field> fields(byte[] b) {
    List<Field> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < b.length) {
      long tag = varint(b, pos);
      int number = (int) (tag >>> 3);
      switch ((int) (tag & 7)) {
        case 0 -> out.add(new Field(number, varint(b, pos), null));
        case 1 -> {
          long v = 0;
          for (int i = 0; i < 8; i++) {
            v |= (b[pos[0] + i] & 0xffL) << (8 * i);
          }
          pos[0] += 8;
          out.add(new Field(number, v, null));
        }
        case 2 -> {
          int len = (int) varint(b, pos);
          byte[] bytes = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + len);
          pos[0] += len;
          out.add(new Field(number, 0, bytes));
        }
        case 5 -> {
          long v = 0;
          for (int i = 0; i < 4; i++) {
            v |= (b[pos[0] + i] & 0xffL) << (8 * i);
          }
          pos[0] += 4;
          out.add(new Field(number, v, null));
        }
        default -> throw new IllegalArgumentException("unsupported wire type in field " + number);
      }
    }
    return out;
  }

  private static long varint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }
}
