package dev.gatehouse.server.observe;

import dev.gatehouse.server.config.ObserveConfig;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.RoutingRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A node's tracing: the OpenTelemetry SDK sending spans over OTLP/HTTP, or nothing at all.
 *
 * <p>Off (the default), no span, context or header lookup is made on any path: the request filter
 * asks {@link #enabled()} once per request, and {@link Spans} finds no tracer in the current
 * context. On, the request filter starts a server span that continues the caller's W3C trace
 * context ({@code traceparent}, {@code tracestate}) and baggage, and puts this node's tracer into
 * the OpenTelemetry context beside it: code below (grants, client authentication, hashing,
 * signing, policy evaluation, JDBC, Redis) starts its spans through {@link Spans}, which looks the
 * tracer up there. Two nodes in one JVM (tests) so keep tracers of their own, and no global is set.
 *
 * <p>Span names and attributes follow the OpenTelemetry semantic conventions; what Gatehouse adds
 * is named {@code gatehouse.*}. No token, secret, password, address of a person or user id is
 * ever an attribute: a span says which route, grant, statement or command ran, not for whom.
 */
public final class Tracing implements AutoCloseable {

  /** The tracer of the node serving the current request; absent while tracing is off. */
  static final ContextKey<Tracer> TRACER = ContextKey.named("gatehouse-tracer");

  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS =
      AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
      "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final TextMapPropagator PROPAGATOR = TextMapPropagator.composite(
      W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
  private static final Tracing OFF = new Tracing(null);

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  /** The root context with this node's tracer in it: what server and background spans start on. */
  private final Context root;

  private Tracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get("dev.gatehouse.server");
    this.root = provider == null ? Context.root() : Context.root().with(TRACER, tracer);
  }

  /** Tracing that records nothing. */
  public static Tracing off() {
    return OFF;
  }

  /** The node's tracing as {@code config} says: {@link #off()} unless {@code tracing.enabled}. */
  public static Tracing start(ObserveConfig config) {
    if (!config.tracing()) {
      return OFF;
    }
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), config.serviceName(),
        AttributeKey.stringKey("service.instance.id"), UUID.randomUUID().toString())));
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.endpoint())
        .setTimeout(java.time.Duration.ofSeconds(10))
        .build();
    return new Tracing(SdkTracerProvider.builder()
        .setResource(resource)
        // A caller's sampling decision is kept, so that its trace is whole or absent.
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter)
            .setScheduleDelay(config.exportDelay()).build())
        .build());
  }

  /** True when spans are recorded (sampling aside). */
  public boolean enabled() {
    return tracer != null;
  }

  /**
   * Starts the server span of {@code req}, continuing the trace its {@code traceparent} names
   * (with {@code tracestate} and {@code baggage}), and makes it current. The route is not known
   * yet: {@link ServerSpan#end} names the span after it.
   */
  public ServerSpan server(RoutingRequest req) {
    Context parent = PROPAGATOR.extract(root, req, HEADERS);
    String method = req.prologue().method().text();
    Span span = tracer.spanBuilder(METHODS.contains(method) ? method : "HTTP")
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(HTTP_METHOD, METHODS.contains(method) ? method : "_OTHER")
        .setAttribute(URL_SCHEME, req.isSecure() ? "https" : "http")
        .startSpan();
    if (span.isRecording() && req.localPeer().address() instanceof InetSocketAddress local) {
      span.setAttribute(SERVER_ADDRESS, local.getHostString());
      span.setAttribute(SERVER_PORT, (long) local.getPort());
    }
    return new ServerSpan(span, parent.with(span).makeCurrent());
  }

  /** A server span and the scope that makes it current. */
  public record ServerSpan(Span span, Scope scope) {

    /** The trace id, for log lines and error bodies. */
    public String traceId() {
      return span.getSpanContext().getTraceId();
    }

    /** Ends the span, named {@code METHOD route} as the HTTP conventions say. */
    public void end(String method, String route, int status) {
      if (span.isRecording()) {
        span.updateName((METHODS.contains(method) ? method : "HTTP") + " " + route);
        span.setAttribute(HTTP_ROUTE, route);
        span.setAttribute(HTTP_STATUS, (long) status);
        if (status >= 500) {
          // Server spans: only 5xx are errors (4xx are the client's).
          span.setStatus(StatusCode.ERROR);
          span.setAttribute(ERROR_TYPE, Integer.toString(status));
        }
      }
      span.end();
      scope.close();
    }
  }

  /**
   * Starts a span of background work (no request around it: the outbox relay, webhook
   * deliveries) as the root of a new trace; {@link Span#getInvalid()} while tracing is off.
   */
  public Span background(String name, SpanKind kind) {
    if (tracer == null) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder(name).setParent(root).setSpanKind(kind).startSpan();
  }

  /** Makes {@code span} of {@link #background} current, so that calls below it are its children. */
  public Scope enter(Span span) {
    if (!span.getSpanContext().isValid()) {
      return Scope.noop();
    }
    return root.with(span).makeCurrent();
  }

  /**
   * Adds the current trace context ({@code traceparent}, {@code tracestate}) and baggage to the
   * headers of an outgoing call; nothing when no span is current.
   */
  public static void inject(Map<String, String> headers) {
    PROPAGATOR.inject(Context.current(), headers, (carrier, key, value) -> carrier.put(key,
        value));
  }

  /** Sends what is buffered and stops. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private static final TextMapGetter<RoutingRequest> HEADERS = new TextMapGetter<>() {
    private final List<String> fields = List.copyOf(PROPAGATOR.fields());

    @Override
    public Iterable<String> keys(RoutingRequest req) {
      return fields;
    }

    @Override
    public String get(RoutingRequest req, String key) {
      return req == null ? null : req.headers().first(HeaderNames.create(key)).orElse(null);
    }
  };
}
